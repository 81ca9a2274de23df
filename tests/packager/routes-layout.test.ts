/**
 * The route table on the node's key index (issue 21, session 13): addresses in a column by the
 * node's slot, expiry times in a Float64Array, routes made when asked. Driven side by side with
 * the layout it replaced (reference/routes-before.ts: an object per route, a Map of nodes)
 * through random adverts, removals, bans, clears, caps and lifetimes — one tree state and two,
 * nodes moving between addresses, addresses passing from node to node — every answer must be
 * the same, in the same order; and a node's slot goes back to the index with its last route.
 */
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { PackagerContext } from '../../modules/mycelium/packager/context.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS } from '../../modules/mycelium/packager/options.js';
import { RouteTable, type Route } from '../../modules/mycelium/packager/routes.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { RouteTableBefore } from './reference/routes-before.js';
import { rng } from '../support/xorshift.js';

function contextOf(clock: VirtualClock, routes: number, lifetime: number): PackagerContext {
  return new PackagerContext(virtualPlatform(clock), toHex(nodeIdOf(1)), { ...DEFAULT_TIMINGS, routeLifetimeMs: lifetime }, { ...DEFAULT_LIMITS, routes, peers: 8 });
}

const plain = (r: Route | undefined): unknown => r && [r.nodeKey, r.address.toString(), toHex(r.nodeId)];
const plainAll = (rs: Iterable<Route>): unknown => [...rs].map(plain);

test('a node keeps its slot while it has a route, and a reused slot starts with none', () => {
  const clock = new VirtualClock();
  const ctx = contextOf(clock, 8, 60_000);
  const routes = new RouteTable(ctx);
  const a = unwrap(Address.fromCoords(1, [1]));
  const b = unwrap(Address.fromCoords(2, [2]));
  routes.add('old', a);
  routes.add('old', b);
  const slot = ctx.nodeSlots.slotOf('old');
  routes.remove(a);
  expect(ctx.nodeSlots.slotOf('old')).toBe(slot);
  routes.remove(b);
  expect(ctx.nodeSlots.slotOf('old')).toBeUndefined();
  // Another table takes the freed slot for a new key: the routes know nothing of it.
  new SlotPairs(ctx.nodeSlots).put('new', 1, 2, 4);
  expect(ctx.nodeSlots.slotOf('new')).toBe(slot);
  expect([routes.has('new'), routes.addressesOf('new'), routes.keyOf('new'), routes.size]).toEqual([false, [], undefined, 0]);
  routes.add('new', a);
  expect(routes.values().next().value?.nodeKey).toBe('new');
  expect(routes.addressesOf('new').map(String)).toEqual([a.toString()]);
  routes.clear();
  expect(ctx.nodeSlots.size).toBe(1); // the SlotPairs' key only
});

test('a node in a tree transition: each of its two routes lapses after its own lifetime', () => {
  const clocks = [new VirtualClock(), new VirtualClock()];
  const ours = new RouteTable(contextOf(clocks[0], 4, 10_000));
  const ref = new RouteTableBefore(contextOf(clocks[1], 4, 10_000));
  const older = unwrap(Address.fromCoords(1, [1]));
  const newer = unwrap(Address.fromCoords(2, [1]));
  const both = (f: (t: RouteTable | RouteTableBefore) => unknown): void => expect(f(ours)).toEqual(f(ref));
  const advance = (ms: number): void => clocks.forEach((c) => c.advance(ms));
  both((t) => plainAll(t.add('x', older)));
  advance(3000);
  both((t) => plainAll(t.add('x', newer)));
  advance(8000); // the older route lapsed, the newer has 5 s left
  both((t) => t.addressesOf('x').map(String));
  expect(ours.addressesOf('x').map(String)).toEqual([newer.toString()]);
  // Three tree states a second apart: the third address drops the first, each keeps its own lifetime.
  const third = unwrap(Address.fromCoords(3, [1]));
  both((t) => plainAll(t.add('y', older)));
  advance(1000);
  both((t) => plainAll(t.add('y', newer)));
  advance(1000);
  both((t) => plainAll(t.add('y', third)));
  advance(8500); // the second address has 500 ms left, the third 1.5 s
  both((t) => t.addressesOf('y').map(String));
  expect(ours.addressesOf('y').map(String)).toEqual([newer.toString(), third.toString()]);
  advance(1000);
  both((t) => t.addressesOf('y').map(String));
  advance(1000);
  both((t) => [t.size, t.has('y')]);
});

test.each([1, 2, 3, 4, 5, 6, 7, 8])('on the key index, routes answer as the objects did (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const clockA = new VirtualClock();
  const clockB = new VirtualClock();
  const cap = pick([1, 2, 3, 6, 12, 40]);
  const lifetime = pick([5_000, 60_000, 480_000]);
  const ours = new RouteTable(contextOf(clockA, cap, lifetime));
  const ref = new RouteTableBefore(contextOf(clockB, cap, lifetime));
  const ctx = (ours as unknown as { ctx: PackagerContext }).ctx;
  // Node keys as the Packager makes them (hex of 32-byte ids), and addresses in three tree states.
  const nodes = Array.from({ length: seed % 2 ? 6 : 20 }, (_, i) => toHex(nodeIdOf(i + 2)));
  const addresses = Array.from({ length: 30 }, (_, i) => unwrap(Address.fromCoords(1 + (i % 3), [1 + (i % 7), 1 + Math.floor(i / 7)])));
  // Another table on the same index, so that slots are shared and reused as on a node.
  const other = new SlotPairs(ctx.nodeSlots);
  for (let i = 0; i < 2000; i++) {
    // Steps of a few seconds, and of a fraction of the lifetime: routes lapse in every state.
    const step = random() < 0.2 ? Math.floor((random() * lifetime) / 3) : Math.floor(random() * 3000);
    clockA.advance(step);
    clockB.advance(step);
    const node = pick(nodes);
    const address = pick(addresses);
    const op = random();
    if (op < 0.5) expect(plainAll(ours.add(node, address))).toEqual(plainAll(ref.add(node, address)));
    else if (op < 0.6) expect(plain(ours.remove(address))).toEqual(plain(ref.remove(address)));
    else if (op < 0.65) expect(plainAll(ours.removeNode(node))).toEqual(plainAll(ref.removeNode(node)));
    else if (op < 0.75) expect(plain(ours.get(address))).toEqual(plain(ref.get(address)));
    else if (op < 0.8) expect(ours.heldAddress(address)?.toString()).toBe(ref.heldAddress(address)?.toString());
    else if (op < 0.85) expect([ours.has(node), ours.keyOf(node), ours.addressesOf(node).map(String)]).toEqual([ref.has(node), ref.keyOf(node), ref.addressesOf(node).map(String)]);
    else if (op < 0.95) {
      if (random() < 0.5) other.put(node, i, i, 4);
      else other.delete(node);
    } else if (op < 0.96) {
      ours.clear();
      ref.clear();
    }
    if (i % 10 === 0) {
      expect(plainAll(ours.values())).toEqual(plainAll(ref.values()));
      expect(ours.size).toBe(ref.size);
      // The index holds a node while it has a route or the other table holds it.
      for (const n of nodes) expect(ctx.nodeSlots.slotOf(n) !== undefined).toBe(ref.addressesOf(n).length > 0 || other.has(n));
    }
  }
  expect(plainAll(ours.values())).toEqual(plainAll(ref.values()));
});
