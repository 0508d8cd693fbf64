import { createHash } from 'node:crypto';
import { canonicalJson } from '../../src/core/json';
import { sha256Hex, utf8Bytes } from '../../src/core/sha256';

describe('sha256Hex', () => {
  it('matches the FIPS 180-4 test vectors', () => {
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('agrees with node:crypto on texts of every length across block boundaries, including non-ASCII', () => {
    const alphabet = 'aé→😀Zz0 "{}\n';
    for (let length = 0; length < 200; length += 7) {
      const text = Array.from({ length }, (_, i) => [...alphabet][i % [...alphabet].length]).join('');
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it('encodes UTF-8 like Buffer does', () => {
    const text = 'refund → 😀 ü';
    expect(Buffer.from(utf8Bytes(text)).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every level and leaves out undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: undefined } })).toBe(
      '{"a":{"d":[2,{"y":"x","z":null}]},"b":1}',
    );
  });

  it('refuses values JSON cannot carry', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});
