/**
 * The standard node (modules/mycelium/apps/standard.ts): boards and the simulator run the same
 * apps in the same order, so their beacons advertise the same app ids.
 */
import { portableHashes as hashes } from '../../modules/mycelium/platform/portable.js';
import { addStandardApps, standardApps } from '../../modules/mycelium/apps/standard.js';
import { Node } from '../../modules/mycelium/node.js';
import { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { SpanningTree } from '../../modules/mycelium/apps/spanning-tree.js';
import { Ping } from '../../modules/mycelium/apps/ping.js';
import { DebugApp } from '../../modules/mycelium/apps/debug.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SimNodeApps } from '../../simulator/runner/sim-node.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { Air, station } from '../host/support.js';
import { virtualPlatform } from '../support/mesh.js';

const ids = (apps: readonly { id: Uint8Array }[]) => apps.map((a) => toHex(a.id));

test('the standard apps are upstream five then our Hello, in order, with per-app parameters', () => {
  const apps = standardApps(hashes, { beacon: { beacon_interval: 5000 }, ping: { count: 2 } });
  expect(apps.list.map((a) => a.name)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'DebugApp', 'Hello']);
  expect(apps.beacon.params.beacon_interval).toBe(5000);
  expect(apps.ping.params.count).toBe(2);
  expect(apps.list).toEqual([apps.beacon, apps.gossip, apps.tree, apps.ping, apps.debug, apps.hello]);
  expect(standardApps(hashes, { hello: false }).list.map((a) => a.name)).not.toContain('Hello');
});

test('debug: false leaves DebugApp out and keeps the others', () => {
  const apps = standardApps(hashes, { debug: false });
  expect(apps.debug).toBeUndefined();
  expect(apps.list.map((a) => a.name)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'Hello']);
});

test('a board host and a simulated node run the same standard apps', () => {
  const clock = new VirtualClock(0);
  const { host } = station(clock, new Air(clock), 1);
  const hostIds = ids(host.node.apps);
  const sim = ids(new SimNodeApps(hashes).all);
  // The simulator runs them without DebugApp, then its own traffic app; SignedTree (signed
  // scenarios only) is named so its frames count as control.
  expect(sim.slice(0, 4)).toEqual(hostIds.slice(0, 4));
  expect(hostIds).toEqual(ids(standardApps(hashes).list));
  expect(new SimNodeApps(hashes).all.map((a) => a.name)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'Hello', 'RouteVector', 'SimTraffic', 'StoreForward', 'StoreForward custody', 'SignedTree']);
});

test('node.app(Type) finds an app; the node is the one registry and refuses a second id', () => {
  const clock = new VirtualClock(0);
  const node = new Node({ platform: virtualPlatform(clock) });
  const apps = addStandardApps(node, { debug: false });
  expect(node.app(Gossip)).toBe(apps.gossip);
  expect(node.app(SpanningTree)).toBe(apps.tree);
  expect(node.app(DebugApp)).toBeUndefined();
  expect(() => node.addApp(new Gossip(hashes))).toThrow(/already on this node/);
  expect(node.apps.map((a) => a.name)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'Hello']);
  // the Packager's delivery map follows the registry
  expect(node.packager.applications.map((a) => a.name)).toEqual(['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'Hello']);
  node.removeApp(apps.ping);
  expect(node.app(Ping)).toBeUndefined();
  expect(node.packager.application(apps.ping.id)).toBeUndefined();
});

test('nodes share default params, not changes: overrides and a password stay with their node', () => {
  const a = standardApps(hashes, {});
  const b = standardApps(hashes, { spanningTree: { max_tree_age: 90 } });
  expect(b.tree.params.max_tree_age).toBe(90);
  expect(a.tree.params.max_tree_age).not.toBe(90);
  const before = toHex(b.debug!.params.admin_pass_hash);
  a.debug!.setPassword(new TextEncoder().encode('only-a'));
  expect(toHex(a.debug!.params.admin_pass_hash)).not.toBe(before);
  expect(toHex(b.debug!.params.admin_pass_hash)).toBe(before);
});

test("a node in modem sleep gossips its advert on change, every 4 min, with a 3-min tree age; explicit settings win", () => {
  const clock = new VirtualClock(0);
  const awake = addStandardApps(new Node({ platform: virtualPlatform(clock) }), { debug: false }).tree.params;
  expect([awake.pub_each_round, awake.pub_refresh_ms, awake.max_tree_age]).toEqual([true, 0, 60]); // upstream's
  const asleep = addStandardApps(new Node({ platform: virtualPlatform(clock), modemSleep: true }), { debug: false }).tree.params;
  expect([asleep.pub_each_round, asleep.pub_refresh_ms, asleep.max_tree_age]).toEqual([false, 240_000, 180]);
  const told = addStandardApps(new Node({ platform: virtualPlatform(clock), modemSleep: true }), { debug: false, spanningTree: { pub_each_round: true, max_tree_age: 60 } }).tree.params;
  expect([told.pub_each_round, told.pub_refresh_ms, told.max_tree_age]).toEqual([true, 240_000, 60]);
});
