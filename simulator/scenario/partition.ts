/**
 * Named partitions: one churn event cuts every link between a set of nodes and the rest of the
 * medium (both directions), a later `heal` with the same name restores exactly the links that
 * partition cut. Links that were already cut (a `link_cut`, the scenario's `links`) stay cut on
 * heal, so a partition never undoes a cut it did not make.
 */
import type { Medium } from '../medium/medium.js';

export class Partitions {
  /** Name → the directed links (from, to) it cut. */
  readonly #cut = new Map<string, [number, number][]>();

  /** Cut `nodes` off from every other node of the medium. */
  partition(medium: Medium, name: string, nodes: readonly number[]): void {
    const inside = new Set(nodes);
    const cut: [number, number][] = [];
    for (let i = 0; i < medium.size; i++) {
      for (const l of medium.links(i)) {
        if (l.cut || inside.has(i) === inside.has(l.to)) continue;
        medium.cut(i, l.to, true);
        cut.push([i, l.to]);
      }
    }
    this.#cut.set(name, [...(this.#cut.get(name) ?? []), ...cut]);
  }

  /** Restore what partition `name` cut (nothing if it never happened). */
  heal(medium: Medium, name: string): void {
    for (const [a, b] of this.#cut.get(name) ?? []) medium.restore(a, b, true);
    this.#cut.delete(name);
  }
}
