/**
 * Hop finding for a packet into a tree we are not in (docs/routing.md "Any diameter"): a node
 * keeps its previous tree's address and each neighbour's previous one (two a peer), and those
 * place nobody where that tree is now. Found by scripts/route-losses.mjs on random-300-borders
 * seed 4: ten nodes that had all left tree 174 handed its packets to each other on their old
 * addresses until the loop guard dropped them, while their border directory named the gateway.
 */
import { findHop, type HopView } from '../../modules/mycelium/packager/find-hop.js';
import { BorderTable } from '../../modules/mycelium/packager/borders.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { hopView, plainPeer } from '../support/hop-view.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));
const OLD = 174;
const NOW = 45;

const peer = plainPeer;
const view = (own: Address[], peers: Peer[], borders = new BorderTable()): HopView => hopView(own, peers, borders);

const counters = { inc: () => undefined };
const target = addr(OLD, [3, 4]);

test('toward the gateway of our tree, not along old addresses in the tree we all left', () => {
  const gatewayward = peer('gatewayward', addr(OLD, [2, 6]), addr(NOW, [2, 1, 1, 1, 1]));
  const oldCloser = peer('old-closer', addr(OLD, [3]), addr(NOW, [7, 7, 7])); // was next to the target
  const borders = new BorderTable();
  borders.add(OLD, addr(NOW, [2, 1, 1, 1, 1, 1]), 0, 1e9);
  const v = view([addr(OLD, [2, 4]), addr(NOW, [2, 1, 1, 1, 2])], [gatewayward, oldCloser], borders);
  const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in r && r.hop.peer.key).toBe('gatewayward');
});

test('into the tree through a neighbour in it now, however close an old address looks', () => {
  const member = peer('member', addr(NOW, [5]), addr(OLD, [3, 4, 1, 1])); // in tree 174 now
  const oldCloser = peer('old-closer', addr(OLD, [3, 4, 1]), addr(NOW, [7]));
  const v = view([addr(OLD, [2, 4]), addr(NOW, [6])], [oldCloser, member]);
  const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in r && r.hop.peer.key).toBe('member');
});

test('old addresses are still the last resort when nothing else leads there', () => {
  const oldCloser = peer('old-closer', addr(OLD, [3]), addr(NOW, [7]));
  const v = view([addr(NOW, [6])], [oldCloser]);
  const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in r && r.hop.peer.key).toBe('old-closer');
});
