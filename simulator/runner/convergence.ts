/**
 * Watches the tree: the run samples every node's view at a fixed period and this records the
 * first time all live nodes share one root, one tree state and distinct addresses, and how long
 * the mesh took to get back there after each churn event.
 */
import type { TreeView } from './sim-node.js';

export interface Reconvergence {
  /** When the churn event happened. */
  readonly event_ms: number;
  readonly action: string;
  /** First sample after it with the mesh converged again; null if it never did. */
  readonly converged_ms: number | null;
}

/** True when the live nodes agree on one root and tree state and own distinct addresses. */
export function isConverged(views: readonly (TreeView | undefined)[]): boolean {
  let root: string | undefined;
  let state = -1;
  const seen = new Set<string>();
  let live = 0;
  for (const v of views) {
    if (!v || !v.running) continue;
    live++;
    if (v.address === undefined) return false;
    if (root === undefined) {
      root = v.root;
      state = v.treeState;
    } else if (v.root !== root || v.treeState !== state) {
      return false;
    }
    if (seen.has(v.address)) return false;
    seen.add(v.address);
  }
  return live > 0;
}

/** Distinct roots followed by live nodes. */
export function rootsOf(views: readonly (TreeView | undefined)[]): Map<string, number> {
  const roots = new Map<string, number>();
  for (const v of views) if (v?.running) roots.set(v.root, (roots.get(v.root) ?? 0) + 1);
  return roots;
}

export class ConvergenceWatch {
  #first: number | null = null;
  #converged = false;
  readonly #events: { event_ms: number; action: string; converged_ms: number | null }[] = [];
  #latest: readonly (TreeView | undefined)[] = [];

  observe(time: number, views: readonly (TreeView | undefined)[]): void {
    this.#latest = views;
    this.#converged = isConverged(views);
    if (!this.#converged) return;
    if (this.#first === null) this.#first = time;
    for (const e of this.#events) if (e.converged_ms === null) e.converged_ms = time;
  }

  churn(time: number, action: string): void {
    this.#events.push({ event_ms: time, action, converged_ms: null });
  }

  /** The last sample (a run's view of addresses and roots between samples). */
  get latest(): readonly (TreeView | undefined)[] {
    return this.#latest;
  }

  get convergedMs(): number | null {
    return this.#first;
  }

  get convergedNow(): boolean {
    return this.#converged;
  }

  get reconvergence(): readonly Reconvergence[] {
    return this.#events.map((e) => ({ ...e }));
  }
}
