/**
 * Periodic timers every honest node must always have armed: Beacon's next burst, Hello's next
 * hello, the tree's maintenance round and repair watch, Gossip's sync round. Each re-arms in
 * its own handler, so between two clock events a healthy node has every one pending; one found
 * missing is lost (nothing would ever arm it again). Checked on each node every `everyMs`.
 */
import { Hello } from '../../modules/mycelium/apps/hello.js';
import type { SimNode } from '../runner/sim-node.js';

export const PERIODIC_TIMERS = ['beacon', 'hello', 'tree maintenance', 'tree watch', 'gossip sync'] as const;
export type PeriodicTimer = (typeof PERIODIC_TIMERS)[number];

/** The timers of `n` that should be armed and are not. */
export function missingTimers(n: SimNode): PeriodicTimer[] {
  const p = n.node.packager;
  const has = (id: string): boolean => p.isScheduled(id);
  const hello = n.node.app(Hello);
  const out: PeriodicTimer[] = [];
  if (!has(n.beacon.idHex) && !has(n.beacon.idHex + 'b')) out.push('beacon');
  if (hello && !has(hello.idHex + ':h')) out.push('hello');
  if (!has(n.tree.idHex + 's')) out.push('tree maintenance');
  if (!has(n.tree.idHex + 'w')) out.push('tree watch');
  if (!has(n.gossip.idHex)) out.push('gossip sync');
  return out;
}

/** Every (node, timer) found missing, and when first. */
export class TimerWatch {
  checks = 0;
  readonly lost = new Map<string, { node: number; timer: PeriodicTimer; atMs: number }>();

  check(index: number, n: SimNode, now: number): void {
    this.checks++;
    for (const t of missingTimers(n)) {
      const key = `${index}/${t}`;
      if (!this.lost.has(key)) this.lost.set(key, { node: index, timer: t, atMs: now });
    }
  }

  /** Nodes with at least one timer lost. */
  get nodes(): number {
    return new Set([...this.lost.values()].map((l) => l.node)).size;
  }
}
