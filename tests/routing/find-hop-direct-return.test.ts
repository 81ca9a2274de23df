/**
 * A packet that came back to a node with a direct route to its target over a lossy link
 * (packager/find-hop.ts `directAfterReturn`). Greedy routing tries clean links first, so the node
 * hands the packet to a clean neighbour one tree hop nearer the target; when that neighbour's
 * short path leads back through the node, the packet goes round until the loop guard drops it.
 * Found by scripts/route-losses.mjs on lossy-50 seed 16: 15 pings of one flow lost in a row.
 */
import { findHop, type HopView } from '../../modules/mycelium/packager/find-hop.js';
import { BorderTable } from '../../modules/mycelium/packager/borders.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import type { RouteTable } from '../../modules/mycelium/packager/routes.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { hopView, plainPeer } from '../support/hop-view.js';

const addr = (coords: number[]) => unwrap(Address.fromCoords(7, coords));
const counters = { inc: () => undefined };

/** A neighbour on a link of ETX `etx`: usable up to 8 (link-quality.ts), clean up to 1.6. */
function peerAt(key: string, etx: number, a: Address): Peer {
  return { ...plainPeer(key, a), usable: () => etx <= 8, linkCost: () => etx } as unknown as Peer;
}

/** Node at `own` whose route table names `targetKey` as the holder of `target`. */
function node(own: Address, peers: Peer[], target: Address, targetKey: string): HopView {
  const v = hopView([own], peers, new BorderTable());
  const routes = { get: (a: Address) => (a.equals(target) ? { nodeKey: targetKey, address: target } : undefined) } as unknown as RouteTable;
  return { ...v, routes };
}

const own = addr([1, 2, 1, 2, 1, 2, 1, 1]);
const parent = addr([1, 2, 1, 2, 1, 2, 1]);
const target = addr([1, 3, 1, 4, 1, 1, 2, 1]); // 14 tree hops from us, 13 from our parent

test('first pass: the clean neighbour a tree hop nearer, as before', () => {
  const v = node(own, [peerAt('parent', 1.1, parent), peerAt('target', 3, target)], target, 'target');
  const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in r && r.hop.peer.key).toBe('parent');
});

test('back again: straight to the target over the usable link, not round the same loop', () => {
  const v = node(own, [peerAt('parent', 1.1, parent), peerAt('target', 3, target)], target, 'target');
  const r = findHop(v, target, Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in r && r.hop.peer.key).toBe('target');
  expect('hop' in r && r.hop.address.equals(target)).toBe(true);
});

test('back again, but the clean hop is the target’s own parent: it still costs less', () => {
  const targetParent = addr([1, 3, 1, 4, 1, 1, 2]);
  const v = node(own, [peerAt('tparent', 1.1, targetParent), peerAt('target', 7, target)], target, 'target');
  const r = findHop(v, target, Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in r && r.hop.peer.key).toBe('tparent');
});

test('back again over a dead link: never the direct hop', () => {
  const v = node(own, [peerAt('parent', 1.1, parent), peerAt('target', 20, target)], target, 'target');
  const r = findHop(v, target, Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in r && r.hop.peer.key).toBe('parent');
});
