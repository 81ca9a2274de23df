/**
 * The run's two views of the radio graph, over live nodes, recomputed after churn:
 *   usable  links with loss ≤ `usable_loss` (not cut): whether a flow's destination counts as
 *           reachable (a flow does not send to an unreachable node: `skipped.unreachable`);
 *   real    every link that exists (loss < 1, not cut), directed as the packet travels: the
 *           shortest path stretch is measured against. A packet only ever crosses such links,
 *           so its hop count is never below it and stretch is never below 1.
 * One BFS per source and view, cached until the topology changes.
 */
import type { Medium } from '../medium/medium.js';
import { bfsHops, radioGraph } from '../scenario/graph.js';
import type { ExtraMedium } from '../scenario/build.js';
import { withExtraLinks } from './extra-links.js';

/** Links with loss below this exist: a loss of 1 never delivers. */
const EXISTS_BELOW = 1;

export class RunPaths {
  readonly #medium: Medium;
  readonly #usableLoss: number;
  #usable: number[][] | undefined;
  #real: number[][] | undefined;
  readonly #usableHops = new Map<number, Int32Array>();
  readonly #realHops = new Map<number, Int32Array>();
  #changedAt = -1;

  readonly #extras: readonly ExtraMedium[];

  /** `extras`: the scenario's second radios (bridges), whose links join the graph. */
  constructor(medium: Medium, usableLoss: number, extras: readonly ExtraMedium[] = []) {
    this.#medium = medium;
    this.#usableLoss = usableLoss;
    this.#extras = extras;
  }

  /** Hops from a to b over usable links (-1: unreachable). */
  usable(a: number, b: number): number {
    this.#usable ??= withExtraLinks(radioGraph(this.#medium, this.#usableLoss), this.#extras, (loss, usable) => loss <= usable);
    return this.#hops(this.#usable, this.#usableHops, a, b);
  }

  /** Hops from a to b over the links that exist (-1: unreachable). */
  real(a: number, b: number): number {
    this.#real ??= withExtraLinks(realGraph(this.#medium), this.#extras, (loss) => loss < EXISTS_BELOW);
    return this.#hops(this.#real, this.#realHops, a, b);
  }

  /**
   * The real shortest path now when the topology changed after `since` (a link restored or a
   * node powered on while the message travelled may have made a shorter path), else undefined.
   */
  realIfChangedSince(since: number, a: number, b: number): number | undefined {
    return this.#changedAt > since ? this.real(a, b) : undefined;
  }

  /** Churn changed links or nodes at `at`. */
  changed(at: number): void {
    this.#changedAt = at;
    this.#usable = undefined;
    this.#real = undefined;
    this.#usableHops.clear();
    this.#realHops.clear();
  }

  #hops(graph: number[][], cache: Map<number, Int32Array>, a: number, b: number): number {
    let h = cache.get(a);
    if (!h) cache.set(a, (h = bfsHops(graph, a, (v) => !this.#medium.isUp(v))));
    return h[b];
  }
}

/** Directed edges i → j for every link j hears i on (loss < 1, not cut). */
export function realGraph(medium: Medium): number[][] {
  const adj: number[][] = [];
  for (let i = 0; i < medium.size; i++) adj.push(medium.links(i).filter((l) => !l.cut && l.loss < EXISTS_BELOW).map((l) => l.to));
  return adj;
}
