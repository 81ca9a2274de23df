/**
 * Broadcast pacing per interface (docs/lora.md "Bridges"). A node's apps keep one set of periods
 * (its fast interface's: ESP-NOW beacons every minute, tree adverts on every change), and every
 * broadcast goes out on every interface. On a slow, metered interface beside it (a bridge's
 * RYLR-998: a frame takes 0.1–1.2 s, 1 % of the hour may be used) each app's broadcasts leave at
 * most once per `broadcastSpacingMs` of that interface: the newest one made meanwhile replaces
 * the one held (its state is the current one: a beacon, a tree advert, a gossip digest) and goes
 * when the spacing has passed. Nothing is lost that a newer broadcast does not say again, and the
 * slow link carries the fast side's upkeep at its own pace, whatever the apps' periods are.
 *
 * Bounded: one entry per (interface, app), at most PACED_ENTRIES; a full table gives the slot of
 * the entry sent longest ago that holds nothing. Only our own apps make entries.
 */
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Radio } from './radio.js';

/** Entries (interface × app) kept: more than a node's apps times its radios. */
export const PACED_ENTRIES = 32;

/**
 * A held broadcast goes a random part of this share of the spacing after it has passed. Without
 * it every release came exactly one spacing after the last, so bridges that booted together sent
 * their paced beacons and tree adverts together for good, and on a channel without carrier sense
 * those collided (session 28).
 */
export const PACING_JITTER = 0.25;

interface Paced {
  /** Platform ms the last broadcast of this app went out on this interface. */
  last: number;
  /** Frames of the newest broadcast waiting for the spacing to pass. */
  held: readonly Uint8Array[] | undefined;
  readonly iface: AttachedInterface;
}

/** Sends a released frame (the Sending part). */
export interface BroadcastEmitter {
  broadcastFrame(radio: Radio, frame: Uint8Array): void;
}

export class BroadcastPacer {
  private readonly ctx: PackagerContext;
  private readonly emit: BroadcastEmitter;
  /** The interfaces still attached (the Neighbours part): held frames of a removed one are dropped. */
  private readonly attached: { readonly interfaces: readonly AttachedInterface[] };
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private entries: Map<string, Paced> | undefined;

  constructor(ctx: PackagerContext, emit: BroadcastEmitter, attached: { readonly interfaces: readonly AttachedInterface[] }) {
    this.ctx = ctx;
    this.emit = emit;
    this.attached = attached;
  }

  /**
   * True when `frames` (one broadcast of app `appKey`) may go on `iface` now: the caller sends
   * them. False when they are held for later (or, with a full table, dropped and counted).
   */
  offer(iface: AttachedInterface, appKey: string, frames: readonly Uint8Array[]): boolean {
    const spacing = iface.timings.broadcastSpacingMs;
    if (!(spacing > 0)) return true;
    const ctx = this.ctx;
    const now = ctx.platform.now();
    const key = iface.key + appKey;
    let e = this.entries?.get(key);
    if (!e) {
      if ((this.entries?.size ?? 0) >= PACED_ENTRIES && !this.evictIdle()) {
        ctx.counters.inc('tx_paced_full');
        return false;
      }
      e = { last: -Infinity, held: undefined, iface };
      (this.entries ??= new Map()).set(key, e);
    }
    if (e.held === undefined && now - e.last >= spacing) {
      e.last = now;
      return true;
    }
    ctx.counters.inc(e.held ? 'tx_paced_replaced' : 'tx_paced_held');
    e.held = frames;
    const id = 'bp' + key;
    if (!ctx.scheduler.has(id)) {
      const r = ctx.platform.randomBytes(new Uint8Array(2));
      const jitter = Math.floor((((r[0] << 8) | r[1]) / 65536) * PACING_JITTER * spacing);
      ctx.schedule(id, Math.max(1, e.last + spacing - now + jitter), () => this.release(key));
    }
    return false;
  }

  get size(): number {
    return (this.entries?.size ?? 0);
  }

  clear(): void {
    for (const key of this.entries?.keys() ?? []) this.ctx.cancel('bp' + key);
    this.entries?.clear();
  }

  private release(key: string): void {
    const e = this.entries?.get(key);
    if (!e || !e.held) return;
    const frames = e.held;
    e.held = undefined;
    if (!this.attached.interfaces.includes(e.iface)) {
      this.entries?.delete(key);
      return;
    }
    e.last = this.ctx.platform.now();
    for (const f of frames) this.emit.broadcastFrame(e.iface.radio, f);
  }

  /** Free the slot of the entry that went out longest ago and holds nothing. */
  private evictIdle(): boolean {
    let oldest: string | undefined;
    let at = Infinity;
    for (const [k, e] of this.entries ?? []) {
      if (e.held === undefined && e.last < at) {
        at = e.last;
        oldest = k;
      }
    }
    if (oldest === undefined) return false;
    this.entries?.delete(oldest);
    return true;
  }
}
