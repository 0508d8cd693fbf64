/**
 * A bounded memo of a pure function of a string: for the conversions an episode repeats over the
 * same strings of an instance's cached history (its input's JSON text, its events' timestamps),
 * which showed in the local host's profiles (#16). A string's hash is computed once per string
 * object, so looking up the same text again is cheap. Texts longer than `maxLength` are not kept;
 * when `maxEntries` are kept, the memo starts over.
 */
export function memoizeText<T>(
  fn: (text: string) => T,
  options: { maxEntries: number; maxLength: number },
): (text: string) => T {
  const memo = new Map<string, T>();
  return (text) => {
    if (text.length > options.maxLength) return fn(text);
    const known = memo.get(text);
    if (known !== undefined || memo.has(text)) return known as T;
    const value = fn(text);
    if (memo.size >= options.maxEntries) memo.clear();
    memo.set(text, value);
    return value;
  };
}
