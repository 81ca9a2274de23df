/**
 * Proof-of-work weighting of root claims (issue 20; the key-grinding attack of Yggdrasil #1339).
 * Without pinned roots, the lowest claim score wins, and a score bit costs an attacker about two
 * key generations. With `root_work`, a root's *work* comes first: the leading zero bits W of
 *
 *   SHA-256("myc-root-work\x01" ‖ public key ‖ nonce u64 BE)
 *
 * for the best nonce its owner found. The election score becomes [255 − W] ‖ claim score, so a
 * claim outranks the root only with more work (or equal work and a lower claim score), and every
 * score bit of work costs twice the one before: 2^W hash attempts in all. Honest nodes grind a
 * fixed budget of nonces once, at key generation, and keep the best (stored with the key); the
 * best of N honest nodes grinding A attempts each has W ≈ log2(N·A), which is what an attacker
 * must beat (docs/security.md "Proof of work"). Verifying a claim's work is one hash.
 */
import type { Hashes, Platform } from '../platform/platform.js';
import { bytesEqual, concatBytes, toHex, utf8Encode } from '../wire/bytes.js';
import { claimScore } from '../wire/ids.js';
import { leadingFraction } from '../apps/tree-pace.js';

export const WORK_NONCE_BYTES = 8;
/** Storage key of the node's best nonce (≤ 15 characters: ESP-IDF NVS). */
export const ROOT_WORK_STORAGE = 'root_work';
/** Nonces a node tries at key generation when no floor is set (tests): ≈ 14 bits of work. */
export const ROOT_WORK_ATTEMPTS = 16_384;
/**
 * The work floor F (`root_work_floor`): work below F bits counts for nothing, and each bit from F
 * on is one score bit, so W bits (2^W attempts) buy W − F + 1 score bits and every score bit
 * claimed costs at least 2^F attempts (docs/security.md "Proof of work"). Honest nodes grind
 * until they reach F: 2^20 attempts expected, once, at key generation.
 */
export const ROOT_WORK_FLOOR_BITS = 20;
/** A node grinding to the floor gives up after this many attempts (2^24: 16× the expected 2^20). */
export const ROOT_WORK_MAX_ATTEMPTS = 16_777_216;
const WORK_DOMAIN = 'myc-root-work\x01';

/** Leading zero bits of `digest` (0..256). */
export function leadingZeroBits(digest: Uint8Array): number {
  let bits = 0;
  for (const b of digest) {
    if (b === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(b) - 24;
  }
  return bits;
}

/** The work `nonce` proves for `key`: leading zero bits of its work hash. */
export function workBits(hashes: Hashes, key: Uint8Array, nonce: Uint8Array): number {
  if (key.length !== 32 || nonce.length !== WORK_NONCE_BYTES) return 0;
  return leadingZeroBits(hashes.sha256(concatBytes(utf8Encode(WORK_DOMAIN), key, nonce)));
}

function nonceBytes(n: number): Uint8Array {
  const out = new Uint8Array(WORK_NONCE_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, Math.floor(n / 0x1_0000_0000));
  view.setUint32(4, n >>> 0);
  return out;
}

/** Try nonces `from`..`from + attempts − 1` for `key` (stopping at one of `stopAt` bits); the best one found and its bits. */
export function grindWork(hashes: Hashes, key: Uint8Array, attempts: number, from = 0, stopAt = Infinity): { nonce: Uint8Array; bits: number } {
  const prefix = concatBytes(utf8Encode(WORK_DOMAIN), key);
  const input = new Uint8Array(prefix.length + WORK_NONCE_BYTES);
  input.set(prefix);
  let best = { nonce: nonceBytes(from), bits: -1 };
  for (let i = 0; i < attempts; i++) {
    const nonce = nonceBytes(from + i);
    input.set(nonce, prefix.length);
    const bits = leadingZeroBits(hashes.sha256(input));
    if (bits > best.bits) best = { nonce, bits };
    if (bits >= stopAt) break;
  }
  return { nonce: best.nonce, bits: Math.max(0, best.bits) };
}

/**
 * The node's work nonce: the stored one (if it is still for this key: checked with one hash,
 * so a key replaced keeps no stale claim), else `attempts` nonces ground now and the best stored.
 * `attempts` 0: no work (the node never grinds; its claims weigh 0 bits).
 */
export function loadRootWork(platform: Platform, key: Uint8Array, attempts = ROOT_WORK_ATTEMPTS, stopAt = Infinity): { nonce: Uint8Array; bits: number } {
  const stored = platform.storage?.get(ROOT_WORK_STORAGE);
  if (stored && stored.length === WORK_NONCE_BYTES + 32 && stored.subarray(0, 32).every((b, i) => b === key[i])) {
    const nonce = stored.slice(32);
    return { nonce, bits: workBits(platform, key, nonce) };
  }
  const found = grindWork(platform, key, Math.max(0, Math.floor(attempts)), 0, stopAt);
  platform.storage?.set(ROOT_WORK_STORAGE, concatBytes(key, found.nonce));
  return found;
}

/** Score bits that `bits` of work buy above the floor: 0 below it, 1 at it, one more per bit beyond. */
export function creditedBits(bits: number, floor: number): number {
  return bits >= floor ? Math.min(255, bits - Math.max(1, floor) + 1) : 0;
}

/**
 * The election score of `claim` weighted by `bits` of work (lower wins): 255 − the bits credited
 * above `floor` first, then upstream's claim score (its last byte dropped: scores stay 32 bytes,
 * as the tree compares them). Floor 1: every bit of work counts.
 */
export function weightedScore(claim: Uint8Array, bits: number, floor = 1): Uint8Array {
  const out = new Uint8Array(32);
  out[0] = 255 - creditedBits(Math.max(0, bits), floor);
  out.set(claimScore(claim).subarray(0, 31), 1);
  return out;
}

/**
 * Where a claim weighted by `bits` of work lies among all claims, 0 best … 1 worst, for pacing
 * formation (apps/tree-pace.ts): each credited bit halves it, as each halves the claims ahead.
 */
export function weightedPace(claim: Uint8Array, bits: number, floor = 1): number {
  return leadingFraction(claimScore(claim)) / 2 ** creditedBits(Math.max(0, bits), floor);
}

/**
 * The best work seen for each root key (the nonce, to pass on in our own claims). Bounded by
 * `limit`: when full, a key with less work than every kept one is not kept, else the entry with
 * the least work goes — an attacker's keys without work never push out an honest root's.
 * Our own entry is never evicted.
 */
export class WorkBook {
  readonly #limit: () => number;
  readonly #own: string;
  readonly #work = new Map<string, { nonce: Uint8Array; bits: number }>();

  constructor(ownKey: string, own: { nonce: Uint8Array; bits: number } | undefined, limit: () => number) {
    this.#limit = limit;
    this.#own = ownKey;
    if (own) this.#work.set(ownKey, { nonce: own.nonce.slice(), bits: own.bits });
  }

  bits(key: string): number {
    return this.#work.get(key)?.bits ?? 0;
  }

  nonce(key: string): Uint8Array | undefined {
    return this.#work.get(key)?.nonce;
  }

  /** Keep the work a verified claim attached for its root: one hash, none when the nonce is the one held. */
  learnNonce(hashes: Hashes, root: Uint8Array, nonce: Uint8Array | undefined): void {
    if (!nonce) return;
    const key = toHex(root);
    const held = this.nonce(key);
    if (held && bytesEqual(held, nonce)) return;
    this.learn(key, nonce, workBits(hashes, root, nonce));
  }

  /** Keep `nonce` for `key` if it proves more than what we hold; `bits` computed by the caller. */
  learn(key: string, nonce: Uint8Array, bits: number): void {
    if (bits <= this.bits(key)) return;
    if (!this.#work.has(key) && this.#work.size >= this.#limit()) {
      let weakest: string | undefined;
      for (const [k, w] of this.#work) if (k !== this.#own && (weakest === undefined || w.bits < this.bits(weakest))) weakest = k;
      if (weakest === undefined || this.bits(weakest) >= bits) return;
      this.#work.delete(weakest);
    }
    this.#work.set(key, { nonce: nonce.slice(), bits });
  }
}
