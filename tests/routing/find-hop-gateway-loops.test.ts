/**
 * The loops left between trees joined by borders (docs/routing.md "Any diameter"), found by
 * scripts/route-losses.mjs on random-1000-trees seed 42 once it printed each holder's gateways
 * and how it saw the next one:
 * - a node that had become another tree's root drew packets for its old tree's gateway on its
 *   old address there, and sent them straight back across its border;
 * - two relays of one tree, one knowing a gateway the other did not, each took the other for
 *   the way to its own gateway;
 * - a neighbour back at its old coordinate kept the other tree's address as its newest.
 */
import { findHop } from '../../modules/mycelium/packager/find-hop.js';
import { BorderTable } from '../../modules/mycelium/packager/borders.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { hopView, plainPeer } from '../support/hop-view.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));
const HERE = 195;
const FAR = 16;
const OTHER = 140;

const peer = plainPeer;
const view = hopView;

const counters = { inc: () => undefined };
const target = addr(FAR, [6, 5, 1, 1]);

test('toward our gateway, not through a neighbour that left our tree for another', () => {
  // 88 was 195-141112, next to the gateway 195-14; it is tree 140's root now and would send a
  // packet for tree 16 back across its border to us.
  const gone = peer('gone', addr(HERE, [1, 4, 1, 1, 1, 2]), addr(OTHER, []));
  const parent = peer('parent', addr(HERE, [1, 1, 1, 2, 2]));
  const borders = new BorderTable();
  borders.add(FAR, addr(HERE, [1, 4]), 0, 1e9);
  const v = view([addr(HERE, [1, 1, 1, 2, 2, 1])], [gone, parent], borders);
  const r = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in r && r.hop.peer.key).toBe('parent');
});

test('inside our tree too, a neighbour that left is not a relay, unless it holds the target', () => {
  const gone = peer('gone', addr(HERE, [2, 1]), addr(OTHER, [3]));
  const stayed = peer('stayed', addr(HERE, [2]));
  const borders = new BorderTable();
  const v = view([addr(HERE, [2, 2])], [gone, stayed], borders);
  const deep = findHop(v, addr(HERE, [2, 1, 5]), Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in deep && deep.hop.peer.key).toBe('stayed');
  const itself = findHop(v, addr(HERE, [2, 1]), Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in itself && itself.hop.peer.key).toBe('gone');
});

test('a gateway we make no progress toward without the excluded neighbour gives way to the next', () => {
  // We know two gateways of our tree to the far tree: the nearer lies beyond our parent, who
  // just handed the packet back (excluded), the other below us.
  const parent = peer('parent', addr(HERE, [5]));
  const child = peer('child', addr(HERE, [5, 4, 1]));
  const borders = new BorderTable();
  borders.add(FAR, addr(HERE, [2]), 0, 1e9); // d3 from us, through the parent
  borders.add(FAR, addr(HERE, [5, 4, 1, 4, 1, 2]), 0, 1e9); // d4, through the child
  const v = view([addr(HERE, [5, 4])], [parent, child], borders);
  const first = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in first && first.hop.peer.key).toBe('parent');
  const back = findHop(v, target, Metric.dTree, new Set(['parent']), 0, true, counters);
  expect('hop' in back && back.hop.peer.key).toBe('child');
});

test("a neighbour's own advert of an address it held before makes it its newest again", () => {
  const p = new Peer('k', 0, 4);
  p.setAddr(addr(HERE, [1]));
  p.setAddr(addr(OTHER, [3]));
  p.holdsNow(addr(HERE, [1]));
  expect(p.addrs.map((a) => a.treeState)).toEqual([OTHER, HERE]);
  p.holdsNow(addr(HERE, [1]));
  expect(p.addrs.map((a) => a.treeState)).toEqual([OTHER, HERE]);
});

test('a packet that came back goes to the nearest gateway, however many crossings lie beyond it', () => {
  // The far tree is one crossing beyond a gateway up the tree (d3) and two beyond one below us
  // (d1). Fewest crossings first picks the one up the tree; a neighbour that does not know that
  // border sends it down and the two hand it back and forth. Once it has come back, the nearest.
  const MIDDLE = 247;
  const parent = peer('parent', addr(HERE, [5]));
  const child = peer('child', addr(HERE, [5, 4, 1]));
  const borders = new BorderTable();
  borders.add(FAR, addr(HERE, [2]), 0, 1e9);
  borders.add(MIDDLE, addr(HERE, [5, 4, 1]), 0, 1e9);
  borders.add(FAR, addr(MIDDLE, [7]), 0, 1e9);
  const v = view([addr(HERE, [5, 4])], [parent, child], borders);
  const first = findHop(v, target, Metric.dTree, new Set(), 0, false, counters);
  expect('hop' in first && first.hop.peer.key).toBe('parent');
  const back = findHop(v, target, Metric.dTree, new Set(), 0, true, counters);
  expect('hop' in back && back.hop.peer.key).toBe('child');
});
