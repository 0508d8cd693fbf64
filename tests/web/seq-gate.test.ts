import { SeqGate } from '../../web/src/seq-gate';

describe('SeqGate', () => {
  it('lets each new seq through once and drops repeats and older ones', () => {
    const gate = new SeqGate();
    expect([1, 2, 2, 3, 1, 5, 4, 6].map((seq) => gate.admit(seq))).toEqual([
      true,
      true,
      false,
      true,
      false,
      true,
      false,
      true,
    ]);
    expect(gate.last).toBe(6);
  });

  it('starts after the seq it is given, so a resumed stream skips what was shown', () => {
    const gate = new SeqGate(4);
    expect(gate.admit(4)).toBe(false);
    expect(gate.admit(5)).toBe(true);
  });
});
