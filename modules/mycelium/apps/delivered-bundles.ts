/**
 * The bundle identities a destination delivered (docs/store-forward.md "Exactly once"): each
 * remembered for the bundle's remaining lifetime, so a copy resent after a lost receipt is
 * answered again but not delivered again. Kept in the platform's storage too (flash on a
 * board): a destination that powers off between delivering a bundle and its receipt reaching
 * the holder would otherwise deliver the resent copy a second time after it boots.
 *
 * The stored record is written before the app sees the message (a power cut after the write
 * costs nothing; one before it means the message was never delivered). It holds, per identity,
 * 8 bytes of the origin's node id, the counter and the remaining lifetime in seconds (16 bytes,
 * `limit` entries), stored as hex text (4 KB at 128), since some hosts keep settings as text
 * (the Linux node file). A reboot does not know how long the node was off, so a
 * reloaded identity is kept for its whole remaining lifetime from the boot: longer than needed,
 * never shorter. Without storage (tests, a host without flash) it is memory only.
 */
import type { Storage } from '../platform/platform.js';
import { TtlCache } from '../packager/ttl-cache.js';
import { fromHex, toHex, utf8Decode, utf8Encode } from '../wire/bytes.js';

/** ESP32 NVS keys are at most 15 characters. */
export const DELIVERED_STORAGE_KEY = 'sf.delivered';
const ORIGIN_PREFIX_BYTES = 8;
const ENTRY_BYTES = ORIGIN_PREFIX_BYTES + 4 + 4;

export class DeliveredBundles {
  /** `${origin prefix hex}:${counter}` → expiry (platform ms). */
  readonly #ids: TtlCache<number>;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #storage: Storage | undefined;
  /** The storage refused a write (full, or a host error): counted by the owner. */
  readonly #onStoreError: () => void;

  constructor(limit: number, now: () => number, storage: Storage | undefined, onStoreError: () => void) {
    this.#limit = Math.max(1, limit);
    this.#ids = new TtlCache<number>(this.#limit, { now });
    this.#now = now;
    this.#storage = storage;
    this.#onStoreError = onStoreError;
  }

  /** Read what an earlier boot stored. */
  load(): void {
    let stored: Uint8Array | undefined;
    try {
      stored = this.#storage?.get(DELIVERED_STORAGE_KEY);
    } catch {
      this.#onStoreError();
    }
    if (!stored) return;
    const blob = fromHex(utf8Decode(stored));
    if (!blob) {
      this.#onStoreError();
      return;
    }
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    for (let o = 0; o + ENTRY_BYTES <= blob.length; o += ENTRY_BYTES) {
      const origin = toHex(blob.subarray(o, o + ORIGIN_PREFIX_BYTES));
      const counter = view.getUint32(o + ORIGIN_PREFIX_BYTES);
      const leftMs = view.getUint32(o + ORIGIN_PREFIX_BYTES + 4) * 1000;
      if (leftMs > 0) this.#ids.add(`${origin}:${counter}`, this.#now() + leftMs, leftMs);
    }
  }

  has(origin: Uint8Array, counter: number): boolean {
    return this.#ids.get(idOf(origin, counter)) !== undefined;
  }

  /** Remember a delivery for `ttlMs`, in storage too. */
  add(origin: Uint8Array, counter: number, ttlMs: number): void {
    this.#ids.add(idOf(origin, counter), this.#now() + ttlMs, ttlMs);
    if (this.#storage) this.#save();
  }

  #save(): void {
    const now = this.#now();
    const keys = this.#ids.keys();
    const out = new Uint8Array(keys.length * ENTRY_BYTES);
    const view = new DataView(out.buffer);
    let o = 0;
    for (const k of keys) {
      const expires = this.#ids.get(k);
      const sep = k.indexOf(':');
      const origin = fromHex(k.slice(0, sep));
      if (expires === undefined || !origin) continue;
      out.set(origin, o);
      view.setUint32(o + ORIGIN_PREFIX_BYTES, Number(k.slice(sep + 1)) >>> 0);
      // Rounded up: a remembered identity must never be forgotten early.
      view.setUint32(o + ORIGIN_PREFIX_BYTES + 4, Math.min(0xffffffff, Math.ceil((expires - now) / 1000)));
      o += ENTRY_BYTES;
    }
    try {
      this.#storage?.set(DELIVERED_STORAGE_KEY, utf8Encode(toHex(out.subarray(0, o))));
    } catch {
      this.#onStoreError();
    }
  }
}

function idOf(origin: Uint8Array, counter: number): string {
  return `${toHex(origin.subarray(0, ORIGIN_PREFIX_BYTES))}:${counter >>> 0}`;
}
