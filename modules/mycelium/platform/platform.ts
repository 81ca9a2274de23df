/**
 * The platform seam: everything the protocol core needs from the world, injected by the host.
 * The core imports nothing else (no Node, DOM or Moddable module), so the same compiled modules
 * run on XS on an ESP32 (`hosts/*`), on XS in simulation, and on Node.
 */

/** A cancellable timer handle, opaque to the core. */
export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds, monotonic; only differences are meaningful (upstream's time_ms()). */
  now(): number;
}

export interface Timers {
  /** Run `callback` once after `delayMs`. */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface Hashes {
  /** SHA-256 of `data`: 32 bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /** CRC-32 (IEEE 802.3 / zlib polynomial, as Python's binascii.crc32), unsigned. */
  crc32(data: Uint8Array): number;
}

export interface Random {
  /** Fill `into` with random bytes and return it. */
  randomBytes(into: Uint8Array): Uint8Array;
}

/** Log levels, lowest first: a platform writes a line whose level ranks at or above its minimum. */
export const LOG_LEVELS = Object.freeze(['debug', 'info', 'warn', 'error'] as const);
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Position of `level` in LOG_LEVELS (debug 0 … error 3). */
export function logRank(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

export interface Log {
  log(level: LogLevel, message: string): void;
}

/** Optional persistent key/value storage (Moddable Preference, a file on Node, memory in tests). */
export interface Storage {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
}

/**
 * Ed25519 (RFC 8032, pure, cofactorless verification). A secret key is the 32-byte seed of
 * RFC 8032 §5.1.5, drawn from `randomBytes`; the core never prints or sends it.
 */
export interface Signatures {
  /** The 32-byte public key of a 32-byte secret seed. */
  keygen(seed: Uint8Array): Uint8Array;
  /** The 64-byte signature of `message` by the key whose seed is `seed`. */
  sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Whether `signature` is `publicKey`'s signature of `message`. False, never a throw, for any
   * malformed input (wrong lengths, a key that is not a curve point, S not below the group order).
   */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/**
 * One table of immutable values for every node of a process: a simulator runs thousands of nodes
 * in one heap, and each receiver of a hello would otherwise keep its own copy of every address it
 * lists (apps/reach-addresses.ts). `share(key, value)` gives the value kept under `key`, else keeps
 * `value` and gives it back. A key must stand for all of a value's content, and keys of values of
 * different kinds must differ. May forget old keys (its size is its host's business).
 */
export interface SharedValues {
  share<T extends object>(key: number | string, value: T): T;
}

export interface Platform extends Clock, Timers, Hashes, Random, Log {
  readonly storage?: Storage;
  /** Absent on a device: a node alone has nobody to share with. */
  readonly shared?: SharedValues;
  /** Ed25519; absent on a host that cannot sign, which then runs in open mode only. */
  readonly signatures?: Signatures;
}
