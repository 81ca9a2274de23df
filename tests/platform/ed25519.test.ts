/**
 * Ed25519 at the platform seam: the portable fallback (what xsnap runs) and the node:crypto one
 * must both match RFC 8032's vectors, agree with each other, and refuse what RFC 8032 refuses.
 */
import { readFileSync } from 'node:fs';
import { PortableEd25519 } from '../../modules/mycelium/platform/ed25519.js';
import { Sha512 } from '../../modules/mycelium/platform/sha512.js';
import type { Signatures } from '../../modules/mycelium/platform/platform.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { createHash, randomBytes } from 'node:crypto';

interface Vector { name: string; secret: string; public: string; message: string; signature: string }
const { vectors } = JSON.parse(readFileSync(new URL('./fixtures/rfc8032-ed25519.json', import.meta.url), 'utf8')) as { vectors: Vector[] };
const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

const impls: [string, Signatures][] = [
  ['portable', new PortableEd25519()],
  ['node:crypto', nodeSignatures],
];

describe.each(impls)('%s Ed25519', (_name, ed) => {
  test.each(vectors.map((v) => [v.name, v] as const))('RFC 8032 %s: key, signature and verification', (_n, v) => {
    expect(hex(ed.keygen(bytes(v.secret)))).toBe(v.public);
    expect(hex(ed.sign(bytes(v.secret), bytes(v.message)))).toBe(v.signature);
    expect(ed.verify(bytes(v.public), bytes(v.message), bytes(v.signature))).toBe(true);
  });

  test('a changed message, signature or key does not verify', () => {
    const v = vectors[2];
    const [pub, msg, sig] = [bytes(v.public), bytes(v.message), bytes(v.signature)];
    for (let bit = 0; bit < 512; bit += 37) {
      const bad = sig.slice();
      bad[bit >> 3] ^= 1 << (bit & 7);
      expect(ed.verify(pub, msg, bad)).toBe(false);
    }
    expect(ed.verify(pub, Uint8Array.of(0xaf, 0x83), sig)).toBe(false);
    expect(ed.verify(bytes(vectors[0].public), msg, sig)).toBe(false);
  });

  test('malformed input is refused, not thrown', () => {
    const v = vectors[0];
    const [pub, sig] = [bytes(v.public), bytes(v.signature)];
    expect(ed.verify(pub.subarray(1), new Uint8Array(0), sig)).toBe(false);
    expect(ed.verify(pub, new Uint8Array(0), sig.subarray(1))).toBe(false);
    // S + L: the same point equation, but RFC 8032 §5.1.7 requires S < L (malleability)
    const L = 2n ** 252n + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i]);
    const malleable = sig.slice();
    s += L;
    for (let i = 0; i < 32; i++) malleable[32 + i] = Number((s >> BigInt(8 * i)) & 255n);
    expect(ed.verify(pub, new Uint8Array(0), malleable)).toBe(false);
    // a y with no x on the curve (y = 2 is not a valid encoding)
    const notOnCurve = new Uint8Array(32);
    notOnCurve[0] = 2;
    expect(ed.verify(notOnCurve, new Uint8Array(0), sig)).toBe(false);
  });
});

test('the portable and node:crypto implementations agree on random keys and messages', () => {
  const portable = new PortableEd25519();
  for (let i = 0; i < 12; i++) {
    const seed = Uint8Array.from(randomBytes(32));
    const message = Uint8Array.from(randomBytes(i * 23));
    const pub = portable.keygen(seed);
    expect(hex(pub)).toBe(hex(nodeSignatures.keygen(seed)));
    const sig = portable.sign(seed, message);
    expect(hex(sig)).toBe(hex(nodeSignatures.sign(seed, message)));
    expect(nodeSignatures.verify(pub, message, sig)).toBe(true);
    expect(portable.verify(pub, message, sig)).toBe(true);
  }
});

test('the portable SHA-512 matches node:crypto fed whole or in pieces, around block boundaries', () => {
  const h = new Sha512();
  for (const n of [0, 1, 111, 112, 113, 127, 128, 129, 239, 240, 1000]) {
    const data = Uint8Array.from({ length: n }, (_v, i) => (i * 7 + n) & 255);
    const want = createHash('sha512').update(data).digest('hex');
    expect(hex(h.start().update(data).finish())).toBe(want);
    expect(hex(h.start().update(data.subarray(0, n >> 1)).update(data.subarray(n >> 1)).finish())).toBe(want);
  }
});
