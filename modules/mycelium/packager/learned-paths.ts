/**
 * Paths learnt from traffic (docs/routing.md "Short paths"). A routed packet from origin O that a
 * neighbour P hands us after t hops shows a path of t hops from us back to O through P: the
 * packet's ttl, which counts down from 255, tells t. Routing then bounds the hops to any target D
 * by t + dTree(O, D) — down the path to O, then along the tree — and takes that when it beats
 * what the tree and the neighbours' neighbours offer. Pings and their answers, acks and RTX
 * requests all travel both ways, so a flow's traffic teaches the relays on its way paths that
 * the tree alone does not see.
 *
 * Loop freedom needs P to keep its own entry for O (t − 1 hops) at least as long as we keep ours:
 * P heard the packet first, so an entry lives `lifetimeMs − t · HOP_SLACK_MS`, which makes ours
 * lapse before P's while the packet took less than HOP_SLACK_MS per hop. An entry is never made
 * worse while it lives (a longer path for O waits for it to lapse).
 *
 * Capped at `cap` entries. A full table evicts the soonest-lapsing entry of the neighbour that
 * holds the most: a neighbour writing made-up origins only ever evicts its own entries once it
 * holds more than anyone else.
 */
import type { Address } from '../wire/address.js';

/** Time a packet may take per hop for the lapse order to hold (ESP-NOW: a few ms; LoRa: ~1 s). */
export const HOP_SLACK_MS = 1000;

export interface LearnedPath {
  readonly origin: Address;
  readonly viaKey: string;
  readonly hops: number;
  readonly expiresAt: number;
}

export class LearnedPaths {
  private readonly cap: number;
  private readonly lifetimeMs: number;
  /** Keyed by `Address.tableKey`: most origins then need no key string (issue 21). */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private byOrigin: Map<number | string, LearnedPath> | undefined;

  constructor(cap: number, lifetimeMs: number) {
    this.cap = cap;
    this.lifetimeMs = lifetimeMs;
  }

  get size(): number {
    return (this.byOrigin?.size ?? 0);
  }

  /** A packet from `origin` reached us from neighbour `viaKey` after `hops` hops. */
  learn(origin: Address, viaKey: string, hops: number, now: number): void {
    if (this.cap <= 0 || !(hops >= 1) || hops * HOP_SLACK_MS >= this.lifetimeMs) return;
    const key = origin.tableKey;
    const old = this.byOrigin?.get(key);
    if (old && old.expiresAt > now && old.hops < hops) return;
    if (!old && (this.byOrigin?.size ?? 0) >= this.cap && !this.evict(now)) return;
    (this.byOrigin ??= new Map()).set(key, { origin, viaKey, hops, expiresAt: now + this.lifetimeMs - hops * HOP_SLACK_MS });
  }

  /**
   * The entries still alive (lapsed ones are dropped on the way). An array, not a generator: a
   * generator method's own prototype object is left unfrozen by Moddable's preload (xsl warns).
   */
  alive(now: number): LearnedPath[] {
    const out: LearnedPath[] = [];
    for (const [key, e] of this.byOrigin ?? []) {
      if (e.expiresAt <= now) this.byOrigin?.delete(key);
      else out.push(e);
    }
    return out;
  }

  forget(origin: Address): void {
    this.byOrigin?.delete(origin.tableKey);
  }

  /** A neighbour went: paths through it are gone. */
  forgetVia(viaKey: string): void {
    for (const [key, e] of this.byOrigin ?? []) if (e.viaKey === viaKey) this.byOrigin?.delete(key);
  }

  clear(): void {
    this.byOrigin?.clear();
  }

  private evict(now: number): boolean {
    const counts = new Map<string, number>();
    for (const [key, e] of this.byOrigin ?? []) {
      if (e.expiresAt <= now) this.byOrigin?.delete(key);
      else counts.set(e.viaKey, (counts.get(e.viaKey) ?? 0) + 1);
    }
    if ((this.byOrigin?.size ?? 0) < this.cap) return true;
    let heaviest: string | undefined;
    let most = 0;
    for (const [via, n] of counts) if (n > most) [heaviest, most] = [via, n];
    let victim: [number | string, LearnedPath] | undefined;
    for (const entry of this.byOrigin ?? []) if (entry[1].viaKey === heaviest && (!victim || entry[1].expiresAt < victim[1].expiresAt)) victim = entry;
    if (!victim) return false;
    this.byOrigin?.delete(victim[0]);
    return true;
  }
}
