/**
 * The connected parts of the mesh as the radio allows it right now: the scenario's live nodes
 * joined by links that are usable in BOTH directions (not cut, loss ≤ usable_loss each way).
 * A tree link needs both ways (a child asks its parent for an address and the parent answers),
 * so a one-way link cannot hold two nodes in one tree, and does not join two parts here.
 * Convergence is judged per part: a partitioned mesh is converged when each part has its own tree.
 */
import type { Medium } from '../medium/medium.js';
import type { ExtraMedium } from '../scenario/build.js';
import { twoWay, withExtraLinks } from './extra-links.js';

/** Part index of every node (-1 for a node that is not live), and the parts' members. */
export interface Parts {
  readonly of: Int32Array;
  readonly members: readonly (readonly number[])[];
  /** The two-way usable links the parts were drawn from (every node's neighbours). */
  readonly adj: readonly (readonly number[])[];
}

/** Nodes 0..n-1 (the scenario's; external hub nodes are left out) with two-way usable links. */
export function twoWayGraph(medium: Medium, n: number, usableLoss: number): number[][] {
  const out: Set<number>[] = [];
  for (let i = 0; i < n; i++) {
    const s = new Set<number>();
    for (const l of medium.links(i)) if (l.to < n && !l.cut && l.loss <= usableLoss) s.add(l.to);
    out.push(s);
  }
  return out.map((s, i) => [...s].filter((j) => out[j].has(i)).sort((a, b) => a - b));
}

/** Connected parts of the nodes `live` accepts, numbered by their lowest node index. */
export function liveParts(adj: readonly (readonly number[])[], live: (node: number) => boolean): Parts {
  const n = adj.length;
  const of = new Int32Array(n).fill(-1);
  const members: number[][] = [];
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (of[s] >= 0 || !live(s)) continue;
    const part = members.length;
    const list: number[] = [];
    of[s] = part;
    stack.push(s);
    while (stack.length > 0) {
      const u = stack.pop()!;
      list.push(u);
      for (const v of adj[u]) {
        if (of[v] >= 0 || !live(v)) continue;
        of[v] = part;
        stack.push(v);
      }
    }
    members.push(list.sort((a, b) => a - b));
  }
  return { of, members, adj };
}

/** The radio graph of a medium, rebuilt only after the topology changed (a churn event). */
export class LiveGraph {
  readonly #medium: Medium;
  readonly #n: number;
  readonly #usableLoss: number;
  #adj: number[][] | undefined;

  readonly #extras: readonly ExtraMedium[];

  /** `extras`: the scenario's second radios (bridges), whose two-way links join parts too. */
  constructor(medium: Medium, n: number, usableLoss: number, extras: readonly ExtraMedium[] = []) {
    this.#medium = medium;
    this.#n = n;
    this.#usableLoss = usableLoss;
    this.#extras = extras;
  }

  /** Links were cut or restored: read the medium again next time. */
  changed(): void {
    this.#adj = undefined;
  }

  /** The parts of the nodes that are up in the medium and `running` accepts. */
  parts(running: (node: number) => boolean): Parts {
    this.#adj ??= this.#extras.length === 0 ? twoWayGraph(this.#medium, this.#n, this.#usableLoss) : twoWay(withExtraLinks(twoWayGraph(this.#medium, this.#n, this.#usableLoss), this.#extras, (loss, usable) => loss <= usable));
    return liveParts(this.#adj, (i) => this.#medium.isUp(i) && running(i));
  }
}
