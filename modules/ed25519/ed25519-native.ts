/**
 * Ed25519 on Moddable (ESP32 and the desktop simulator) over ed25519-native.c (Monocypher).
 * Implements the platform's Signatures; hosts hand it to the core as `platform.signatures`.
 * Inputs may be any Uint8Array (views included); results are fresh Uint8Arrays.
 */
import type { Signatures } from '../mycelium/platform/platform.js';

function keygen(this: unknown, seed: Uint8Array): ArrayBuffer {
  return native('xs_ed25519_keygen').call(this, seed);
}

function sign(this: unknown, seed: Uint8Array, message: Uint8Array): ArrayBuffer {
  return native('xs_ed25519_sign').call(this, seed, message);
}

function verify(this: unknown, publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  return native('xs_ed25519_verify').call(this, publicKey, message, signature);
}

/** Bytes of C stack one verification uses (an estimate by stack painting, for the self-test). */
export function verifyStackBytes(): number {
  return native('xs_ed25519_stack_probe').call(undefined);
}

export const nativeSignatures: Signatures = Object.freeze({
  keygen: (seed: Uint8Array) => new Uint8Array(keygen.call(undefined, seed)),
  sign: (seed: Uint8Array, message: Uint8Array) => new Uint8Array(sign.call(undefined, seed, message)),
  verify: (publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array) => verify.call(undefined, publicKey, message, signature),
});

export default nativeSignatures;
