import { memoizeText } from '../../../../devhost/durable/text/text-memo';

describe('memoizeText', () => {
  it('answers a text it has seen from memory, and computes each new text once', () => {
    const calls: string[] = [];
    const upper = memoizeText(
      (text: string) => {
        calls.push(text);
        return text.toUpperCase();
      },
      { maxEntries: 10, maxLength: 100 },
    );
    expect([upper('a'), upper('b'), upper('a'), upper('b')]).toEqual(['A', 'B', 'A', 'B']);
    expect(calls).toEqual(['a', 'b']);
  });

  it('remembers undefined results too', () => {
    let calls = 0;
    const nothing = memoizeText(
      () => {
        calls += 1;
        return undefined;
      },
      { maxEntries: 10, maxLength: 100 },
    );
    expect([nothing('x'), nothing('x')]).toEqual([undefined, undefined]);
    expect(calls).toBe(1);
  });

  it('does not keep texts longer than maxLength, and starts over once it holds maxEntries', () => {
    const calls: string[] = [];
    const length = memoizeText(
      (text: string) => {
        calls.push(text);
        return text.length;
      },
      { maxEntries: 2, maxLength: 3 },
    );
    length('long');
    length('long');
    expect(calls).toEqual(['long', 'long']);
    calls.length = 0;
    for (const text of ['a', 'b', 'a', 'c', 'a']) length(text);
    // 'c' came when two were kept: the memo started over with 'c' alone, so 'a' was computed again.
    expect(calls).toEqual(['a', 'b', 'c', 'a']);
  });

  it('keeps nothing when the function throws, and throws again next time', () => {
    let calls = 0;
    const failing = memoizeText(
      () => {
        calls += 1;
        throw new RangeError('bad');
      },
      { maxEntries: 10, maxLength: 100 },
    );
    expect(() => failing('x')).toThrow('bad');
    expect(() => failing('x')).toThrow('bad');
    expect(calls).toBe(2);
  });
});
