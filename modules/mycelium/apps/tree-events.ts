/**
 * What the SpanningTree's timers and its remote callbacks (upstream's invoke/available) run that
 * needs only its public side: shared functions given the tree, so that a pending event or an
 * exposed callback holds no closure over it (≈ 200 B each on XS, issue 21).
 */
import { claimScore } from '../wire/ids.js';
import type { Callback } from './app.js';

/** Suffixes of the tree's event ids after its app id: maintenance, advert, watch, consider, refresh, request retry, news relay. */
export const TREE_EVENT_SUFFIXES = Object.freeze(['s', 'a', 'w', 'c', 'r', 'q', 'n']);

/** The tree as these functions see it (spanning-tree.ts). */
export interface TreePublic {
  maintain(): void;
  broadcast(): void;
  readonly root: Uint8Array;
  readonly parentKey: string | undefined;
  children(): Record<string, number>;
  knownClaims(): { claim: string; depth: number; peer: string }[];
  consider(retry?: boolean): void;
  watchTick(): void;
}

/** The watch event (parent and heartbeat checks). */
export function watchNow(t: TreePublic): void {
  t.watchTick();
}

/** The scheduled consideration of claims heard. */
export function considerNow(t: TreePublic): void {
  t.consider();
}

/** The periodic maintenance event. */
export function maintainNow(t: TreePublic): void {
  t.maintain();
}

/** The refresh advert, sent soon after the root's freshness reached us. */
export function advertNow(t: TreePublic): void {
  t.broadcast();
}

/** Upstream's callbacks, exposed when first asked for (MeshApp.exposeCallbacks). */
export function exposeTreeCallbacks(t: TreePublic, expose: (name: string, fn: Callback) => void): void {
  expose('broadcast', () => t.broadcast());
  expose('maintain_tree', () => t.maintain());
  expose('claim_score', (claim: Uint8Array) => claimScore(claim));
  expose('get_current_best_root_id', () => t.root);
  expose('get_current_parent', () => t.parentKey);
  expose('get_current_children', () => t.children());
  expose('get_known_claims', () => t.knownClaims());
}
