/**
 * The radio graph of a world with bridges: the main medium's links joined with those of each
 * extra radio (scenario `radios`) between two nodes that both have it. The run's reachability,
 * shortest paths and connected parts are over this union, so a ping from one ESP-NOW island to
 * the other counts as reachable through the LoRa bridges.
 */
import type { ExtraMedium } from '../scenario/build.js';

/** Which links of an extra medium count: its link's loss and the spec's usable loss. */
export type ExtraLinkFilter = (loss: number, usableLoss: number) => boolean;

/** `adj` (node → neighbours) with the links of every extra medium added, between members only. */
export function withExtraLinks(adj: number[][], extras: readonly ExtraMedium[], keep: ExtraLinkFilter): number[][] {
  if (extras.length === 0) return adj;
  for (const x of extras) {
    const usable = x.spec.radio.usable_loss;
    for (const i of x.spec.nodes) {
      if (i >= adj.length) continue;
      const row = new Set(adj[i]);
      for (const l of x.medium.links(i)) {
        if (l.to < adj.length && x.radios[l.to] !== undefined && !l.cut && keep(l.loss, usable)) row.add(l.to);
      }
      adj[i] = [...row];
    }
  }
  return adj;
}

/** Two-way links only (the parts' view): j in i's list and i in j's. */
export function twoWay(adj: number[][]): number[][] {
  const sets = adj.map((r) => new Set(r));
  return adj.map((r, i) => r.filter((j) => sets[j]?.has(i)).sort((a, b) => a - b));
}
