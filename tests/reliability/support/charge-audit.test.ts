import { auditCharges, epochAt, type HostEpoch, type ObservedCall } from './charge-audit';

const epochs: HostEpoch[] = [
  { spawnedAt: 0, killedAt: 1_000 },
  { spawnedAt: 1_100, killedAt: 2_000 },
  { spawnedAt: 2_100 },
];
const call = (at: number, turn = 2): ObservedCall => ({
  key: '[r01]|shipping_agent|1',
  tag: '[r01]',
  turn,
  at,
});

describe('the model-call audit of the crash loop', () => {
  it('places a request in the host life that was spawned last before it arrived', () => {
    expect(epochAt(epochs, 500)).toBe(0);
    expect(epochAt(epochs, 1_050)).toBe(0); // sent by the dying host, received after its kill
    expect(epochAt(epochs, 1_100)).toBe(1);
    expect(epochAt(epochs, 9_000)).toBe(2);
  });

  it('allows a repeat of a call whose host was killed before the turn was shown as done', () => {
    const result = auditCharges({
      expectedKeys: ['[r01]|shipping_agent|1'],
      calls: [call(900), call(1_500)],
      epochs,
      turnSeenDoneAt: () => 1_700,
    });
    expect(result).toEqual({ allowedRepeats: 1, violations: [], missing: [] });
  });

  it('flags a repeat of a call whose turn the status showed as done before the kill', () => {
    const result = auditCharges({
      expectedKeys: ['[r01]|shipping_agent|1'],
      calls: [call(500), call(1_500)],
      epochs,
      turnSeenDoneAt: () => 800,
    });
    expect(result.allowedRepeats).toBe(0);
    expect(result.violations).toEqual([
      expect.stringContaining('turn 2 was shown as done 200 ms before the kill, yet charged again'),
    ]);
  });

  it('flags a repeat made by a host life that was never killed, and one made before the kill', () => {
    const afterLastStart = auditCharges({
      expectedKeys: [],
      calls: [call(2_200), call(2_300)],
      epochs,
      turnSeenDoneAt: () => undefined,
    });
    expect(afterLastStart.violations).toEqual([expect.stringContaining('was never killed')]);
    const sameLife = auditCharges({
      expectedKeys: [],
      calls: [call(1_200), call(1_300)],
      epochs,
      turnSeenDoneAt: () => undefined,
    });
    expect(sameLife.violations).toEqual([expect.stringContaining('same host life')]);
  });

  it('reports expected calls that were never made', () => {
    const result = auditCharges({
      expectedKeys: ['[r01]|shipping_agent|1', '[r01]|coordinator_agent|1'],
      calls: [call(100)],
      epochs,
      turnSeenDoneAt: () => undefined,
    });
    expect(result.missing).toEqual(['[r01]|coordinator_agent|1']);
  });
});
