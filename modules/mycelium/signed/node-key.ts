/**
 * A node's Ed25519 key pair (issue 20): generated once from the platform's randomness, kept in
 * the platform's storage (Preferences on a board, the node file on Node), never printed or sent.
 * In signed and mixed modes the node id IS the 32-byte public key — upstream's spec calls the
 * node id a "public key" — so every message that names a node already carries its key, and a
 * signature by that id needs no extra field. In open mode the node id stays upstream's
 * SHA-256(SHA-256(MAC)) and no key is used.
 */
import type { Platform, Signatures } from '../platform/platform.js';

/** Storage key of the secret seed (≤ 15 characters: ESP-IDF NVS). */
export const NODE_KEY_STORAGE = 'ed25519_seed';
export const SEED_BYTES = 32;

export class NodeKey {
  readonly publicKey: Uint8Array;
  readonly #seed: Uint8Array;
  readonly #signatures: Signatures;

  private constructor(signatures: Signatures, seed: Uint8Array) {
    this.#signatures = signatures;
    this.#seed = seed;
    this.publicKey = signatures.keygen(seed);
  }

  /**
   * The node's key: the stored seed, else a new one from `randomBytes`, stored at once so the
   * node keeps its id across restarts. Undefined when the platform cannot sign. Without storage
   * the key lives as long as the process (a new id at every start: the caller should warn).
   */
  static load(platform: Platform): NodeKey | undefined {
    const signatures = platform.signatures;
    if (!signatures) return undefined;
    const stored = platform.storage?.get(NODE_KEY_STORAGE);
    if (stored && stored.length === SEED_BYTES) return new NodeKey(signatures, stored);
    const seed = platform.randomBytes(new Uint8Array(SEED_BYTES));
    platform.storage?.set(NODE_KEY_STORAGE, seed);
    return new NodeKey(signatures, seed);
  }

  /** A key from a known seed (tests and the simulator's reproducible runs). */
  static fromSeed(signatures: Signatures, seed: Uint8Array): NodeKey {
    if (seed.length !== SEED_BYTES) throw new RangeError(`a seed is ${SEED_BYTES} bytes`);
    return new NodeKey(signatures, seed.slice());
  }

  sign(message: Uint8Array): Uint8Array {
    return this.#signatures.sign(this.#seed, message);
  }

  /** What a log line or JSON dump shows: the public half only. */
  toString(): string {
    let hex = '';
    for (const b of this.publicKey) hex += (b < 16 ? '0' : '') + b.toString(16);
    return `NodeKey(${hex})`;
  }

  toJSON(): { publicKey: string } {
    return { publicKey: this.toString().slice(8, -1) };
  }
}
