/**
 * Ed25519 for Node hosts (tests, the simulator, mycelium-node) through node:crypto (OpenSSL).
 * node:crypto takes keys as DER: a raw 32-byte seed or public key is wrapped in the fixed
 * PKCS#8 / SPKI prefix for the Ed25519 OID (RFC 8410), so nothing but the bytes is kept.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import type { Signatures } from '../../modules/mycelium/platform/platform.js';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function privateKey(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export const nodeSignatures: Signatures = Object.freeze({
  keygen(seed: Uint8Array): Uint8Array {
    const der = createPublicKey(privateKey(seed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(der.subarray(SPKI_PREFIX.length));
  },
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, message, privateKey(seed)));
  },
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
    if (publicKey.length !== 32 || signature.length !== 64) return false;
    try {
      const key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
      return verify(null, message, key, signature);
    } catch {
      return false; // not a point on the curve
    }
  },
});
