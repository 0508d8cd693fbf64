/**
 * The app's run client over the direct management API client and over durable-functions' client,
 * on the same instances of each engine (the emulation, and Microsoft's Durable extension where .NET
 * is present; those cases skip, saying why, without it): the same starts, status reads, events and
 * errors, except that a status read without `showInput` comes without the input from the direct
 * client only (durable-functions cannot ask for that).
 */
import path from 'node:path';
import { enginesHere, useEngineHost } from './engine-host';

const APP = path.join(__dirname, '../../fixtures/apps/direct-client');

jest.setTimeout(180_000);

type Via = 'direct' | 'df';
interface Outcome {
  value?: unknown;
  error?: string;
}

describe.each(enginesHere())('the run client, direct and through durable-functions (%s engine)', (engine) => {
  const h = useEngineHost(engine, APP);

  async function call(via: Via, op: string, args: unknown): Promise<Outcome> {
    const res = await fetch(`${h().host.baseUrl}/api/runclient/${via}/${op}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': h().host.functionKey },
      body: JSON.stringify(args),
    });
    const text = await res.text();
    expect(`${res.status} ${text}`).toMatch(/^200 /);
    return JSON.parse(text) as Outcome;
  }

  /** The same call through both clients. */
  async function both(op: string, args: unknown): Promise<{ direct: Outcome; df: Outcome }> {
    return { df: await call('df', op, args), direct: await call('direct', op, args) };
  }

  it('starts, reads, raises and fails alike on the same instances', async () => {
    const stamp = `${engine}-${Date.now().toString(36)}`;
    const input = { plan: { workflow: 'support', note: 'ünïcode "quoted"' }, nonce: 'n1' };
    const ids = { direct: `direct-${stamp}`, df: `df-${stamp}` };
    for (const via of ['direct', 'df'] as const) {
      expect(await call(via, 'start', { name: 'waitForApproval', instanceId: ids[via], input })).toEqual({
        value: ids[via],
      });
    }
    for (const id of Object.values(ids))
      await h().waitFor(id, (s) => s.runtimeStatus === 'Running', 'Running');

    for (const id of Object.values(ids)) {
      const withInput = await both('status', { instanceId: id, options: { showInput: true } });
      expect(withInput.direct).toEqual(withInput.df);
      expect(withInput.direct.value).toMatchObject({ runtimeStatus: 'Running', input, output: null });
      // Without showInput: durable-functions still gets the input (it cannot ask otherwise), the
      // direct client does not; everything else is the same.
      const plain = await both('status', { instanceId: id });
      expect(plain.df.value).toMatchObject({ input });
      expect(plain.direct.value).toEqual({ ...(plain.df.value as object), input: null });
    }

    expect(await both('status', { instanceId: `missing-${stamp}` })).toEqual({
      direct: { value: null },
      df: { value: null },
    });
    // A start of a running instance's id: the extension refuses it, both clients fail alike.
    const again = await both('start', { name: 'waitForApproval', instanceId: ids.df, input });
    expect(again.direct).toEqual(again.df);
    expect(again.direct.error).toMatch(/unexpected status code/);

    // An event to each instance, one through each client; both orchestrations end the same way.
    expect(
      await call('direct', 'raise', { instanceId: ids.direct, eventName: 'approve', data: true }),
    ).toEqual({
      value: 'raised',
    });
    expect(await call('df', 'raise', { instanceId: ids.df, eventName: 'approve', data: true })).toEqual({
      value: 'raised',
    });
    for (const id of Object.values(ids)) expect((await h().finished(id)).output).toEqual({ approved: true });
    const ended = await both('status', { instanceId: ids.direct, options: { showInput: true } });
    expect(ended.direct).toEqual(ended.df);
    expect(ended.direct.value).toMatchObject({ runtimeStatus: 'Completed', output: { approved: true } });

    // An event to an instance that ended (410) is no error; to a missing one, the same error.
    expect(await both('raise', { instanceId: ids.df, eventName: 'approve', data: 1 })).toEqual({
      direct: { value: 'raised' },
      df: { value: 'raised' },
    });
    const missing = await both('raise', { instanceId: `missing-${stamp}`, eventName: 'approve', data: 1 });
    expect(missing.direct).toEqual(missing.df);
    expect(missing.direct.error).toBe(`No instance with ID 'missing-${stamp}' found.`);
  });
});
