/**
 * Open-mode admin across reboots (issue 19, class 9): the newest timestamp of an accepted admin
 * operation is kept in the platform's storage. After a reboot the in-memory replay table is
 * empty and the node's clock restarts, so a captured operation would pass the window again;
 * anything at or before the mark kept by the previous boot is refused instead. Within one boot
 * the window and the (sender, nonce, ts) table do the work, so two operations in the same
 * second still pass. Signed mode has its own counter (signed/admin-auth.ts).
 */
import type { Storage } from '../platform/platform.js';

/** Storage key (≤ 15 characters: ESP-IDF NVS). */
export const ADMIN_MARK_KEY = 'dbg.admin_ts';

export class AdminMark {
  private readonly storage: Storage | undefined;
  /** The mark the previous boots left: operations at or before it are replays. */
  private readonly boot: number;
  private mark: number;

  constructor(storage: Storage | undefined) {
    this.storage = storage;
    this.boot = read(storage);
    this.mark = this.boot;
  }

  /** `ts` (s) is not newer than what an earlier boot accepted. */
  replayed(ts: number): boolean {
    return ts <= this.boot;
  }

  /** An operation stamped `ts` was accepted: the mark moves forward, and is kept. */
  accepted(ts: number): void {
    if (!(ts > this.mark)) return;
    this.mark = ts;
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, ts);
    try {
      this.storage?.set(ADMIN_MARK_KEY, bytes);
    } catch {
      // A full or failing flash must not take the admin path down: this boot's table still holds.
    }
  }
}

function read(storage: Storage | undefined): number {
  try {
    const b = storage?.get(ADMIN_MARK_KEY);
    if (b && b.length === 8) {
      const v = new DataView(b.buffer, b.byteOffset, 8).getFloat64(0);
      if (Number.isFinite(v)) return v;
    }
  } catch {
    // unreadable: no mark
  }
  return -Infinity;
}
