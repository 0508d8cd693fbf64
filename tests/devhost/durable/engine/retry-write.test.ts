import { DevhostError } from '../../../../devhost/errors';
import { retryWrite } from '../../../../devhost/durable/engine/retry-write';

describe('retryWrite', () => {
  it('tries a failing write again until it succeeds', async () => {
    let calls = 0;
    const result = await retryWrite(
      () => {
        calls += 1;
        return calls < 3 ? Promise.reject(new Error('storage hiccup')) : Promise.resolve('written');
      },
      { firstDelayMs: 1 },
    );
    expect({ result, calls }).toEqual({ result: 'written', calls: 3 });
  });

  it('gives up after the last attempt with the last error', async () => {
    let calls = 0;
    await expect(
      retryWrite(
        () => {
          calls += 1;
          return Promise.reject(new Error(`failure ${calls}`));
        },
        { attempts: 2, firstDelayMs: 1 },
      ),
    ).rejects.toThrow('failure 2');
  });

  it('does not retry a write the stopped engine refused', async () => {
    let calls = 0;
    await expect(
      retryWrite(() => {
        calls += 1;
        return Promise.reject(new DevhostError('engine_stopped', 'stopped'));
      }),
    ).rejects.toMatchObject({ code: 'engine_stopped' });
    expect(calls).toBe(1);
  });
});
