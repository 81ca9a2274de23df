/**
 * Sleepy leaves (docs/sleep.md "Sleepy leaves") on the virtual clock: a leaf listens one window
 * in eight; its neighbours hold its frames until then (capped, oldest first), and a leaf whose
 * parent dies re-attaches under another routing node.
 */
import { TestMesh, TEST_APP_ID, nodeIdOf, type MeshNode } from '../support/mesh.js';
import { AppMesh } from '../support/apps-mesh.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { inWindow, msUntilWindow } from '../../modules/mycelium/packager/wake-schedule.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/**
 * Node 0 routes, node 1 is a sleepy leaf; linked, both sleeping on one schedule. `reportsSent`:
 * their radios report each frame done with (Radio.onSent).
 */
function routerAndLeaf(peerQueue?: number, reportsSent?: boolean) {
  const mesh = new TestMesh({
    node: { modemSleep: true, packager: peerQueue ? { limits: { peerQueue } } : undefined },
    nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined),
    ...(reportsSent === undefined ? {} : { radio: { reportsSent } }),
  });
  const [router, leaf] = mesh.add(2);
  for (const n of [router, leaf]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(router, leaf);
  router.node.start();
  mesh.clock.advance(700);
  leaf.node.start();
  mesh.clock.advance(20_000);
  return { mesh, router, leaf };
}

/** Move to `ms` after the leaf's window closed (it sleeps then). */
function afterLeafWindow(mesh: TestMesh, leaf: MeshNode, ms: number): void {
  const s = leaf.node.modemSleep!.ownLeafWindows;
  mesh.clock.advance(msUntilWindow(s, mesh.clock.now()) + s.windowMs + ms);
}

/** Share of the next `ms` (sampled every ms) the radio of `n` is on. */
function onShareOver(mesh: TestMesh, n: MeshNode, ms: number): number {
  let on = 0;
  for (let i = 0; i < ms; i++) {
    mesh.clock.advance(1);
    if (n.radio.on) on++;
  }
  return on / ms;
}

/** When each stretch of ≥ 3 s radio-on (a continuous listen) began, over the next `ms`, from now. */
function continuousListens(mesh: TestMesh, n: MeshNode, ms: number): number[] {
  const listens: number[] = [];
  let on = 0;
  for (let t = 0; t < ms; t++) {
    mesh.clock.advance(1);
    on = n.radio.on ? on + 1 : 0;
    if (on === 3_000) listens.push(t - 3_000);
  }
  return listens;
}

function received(n: MeshNode): number[][] {
  return n.app.received.map((r) => Array.from(r.blob));
}

/** The leaf is back on its sparse windows, and a unicast from `router` reaches it there. */
function expectSparseAndReached(mesh: TestMesh, router: MeshNode, leaf: MeshNode, byte: number): void {
  expect(onShareOver(mesh, leaf, 8_000)).toBeLessThan(0.05);
  expect(router.packager.send(TEST_APP_ID, Uint8Array.of(byte), { nodeId: leaf.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(2_000);
  expect(received(leaf)).toEqual([[byte]]);
}

test('a leaf listens one window in eight, and its neighbour holds its unicasts until then', () => {
  const { mesh, router, leaf } = routerAndLeaf();
  let on = 0;
  for (let i = 0; i < 8_000; i++) {
    mesh.clock.advance(1);
    if (leaf.radio.on) on++;
  }
  expect(on / 8_000).toBeLessThan(0.05);
  afterLeafWindow(mesh, leaf, 100);
  expect(leaf.radio.on).toBe(false);
  expect(router.packager.send(TEST_APP_ID, Uint8Array.of(1), { nodeId: leaf.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(1_000);
  expect(received(leaf)).toEqual([]); // held: the leaf has not listened since
  const s = leaf.node.modemSleep!.ownLeafWindows;
  mesh.clock.advance(msUntilWindow(s, mesh.clock.now()) + s.windowMs);
  expect(received(leaf)).toEqual([[1]]);
  // The frame went on air inside the leaf's window, not before.
  expect(router.packager.counters.get('drop_peer_asleep')).toBe(0);
});

test('what a neighbour holds for a leaf is capped: the oldest frames go first, counted', () => {
  const { mesh, router, leaf } = routerAndLeaf(4);
  afterLeafWindow(mesh, leaf, 50);
  for (let k = 1; k <= 6; k++) expect(router.packager.send(TEST_APP_ID, Uint8Array.of(k), { nodeId: leaf.node.nodeId }).ok).toBe(true);
  expect(router.packager.counters.get('drop_peer_queue_full')).toBe(2);
  const s = leaf.node.modemSleep!.ownLeafWindows;
  mesh.clock.advance(msUntilWindow(s, mesh.clock.now()) + s.windowMs);
  expect(received(leaf)).toEqual([[3], [4], [5], [6]]);
});

test('a leaf’s own unicast waits for its neighbour’s window and wakes the leaf’s radio to send it', () => {
  const { mesh, router, leaf } = routerAndLeaf();
  afterLeafWindow(mesh, leaf, 100);
  const r = router.node.modemSleep!.schedule;
  if (inWindow(r, mesh.clock.now())) mesh.clock.advance(r.windowMs);
  expect(leaf.packager.send(TEST_APP_ID, Uint8Array.of(5), { nodeId: router.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(r.periodMs + 5);
  expect(received(router)).toEqual([[5]]);
  expect(leaf.packager.counters.get('radio_refused')).toBe(0);
});

test('a leaf whose parent dies re-attaches under another routing node, and is never a parent', () => {
  const mesh = new AppMesh({ hello: true, node: { modemSleep: true }, nodeAt: (i) => (i >= 3 ? { modemSleep: { leaf: true } } : undefined) });
  // Routers 0-1-2 in a line; leaves 3 and 4 hear routers 1 and 2 (and each other).
  const [r0, r1, r2, l3, l4] = mesh.addApps(5);
  mesh.wire(r0, r1);
  mesh.wire(r1, r2);
  for (const l of [l3, l4]) {
    mesh.wire(l, r1);
    mesh.wire(l, r2);
  }
  mesh.wire(l3, l4);
  mesh.startAll();
  mesh.clock.advance(90_000);
  expect(mesh.converged()).toBe(true);
  const parentOf = (n: typeof l3) => n.node.state().tree?.parent;
  for (const l of [l3, l4]) expect(l.node.state().tree?.children).toEqual([]);
  expect([toHex(r1.node.nodeId), toHex(r2.node.nodeId)]).toContain(parentOf(l3));
  // Kill the leaf's parent (and the other leaf's, if the same).
  const parent = parentOf(l3) === toHex(r1.node.nodeId) ? r1 : r2;
  const other = parent === r1 ? r2 : r1;
  parent.node.stop();
  mesh.medium.unlink(parent.radio, l3.radio);
  mesh.medium.unlink(parent.radio, l4.radio);
  mesh.medium.unlink(parent.radio, r0.radio);
  mesh.medium.unlink(parent.radio, other.radio);
  mesh.clock.advance(120_000);
  expect(parentOf(l3)).toBe(toHex(other.node.nodeId));
  expect(l3.packager.address).toBeDefined();
  expect(parentOf(l4)).toBe(toHex(other.node.nodeId));
});

test('a leaf gives no address to a neighbour that asks it: that neighbour joins through a router', () => {
  // Leaf l1 hears router r0; node n2 hears only l1 and r3. n2 runs no Hello, so it never learns
  // that l1 is a leaf (as a neighbour that asked before l1's hello told it): it asks l1 for an
  // address. A leaf is nobody's parent: a child of one had no way to route (no leaf relays), so
  // l1 refuses, and n2 joins through r3 instead.
  const mesh = new AppMesh({ node: { modemSleep: true }, nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined) });
  const [r0, l1, n2, r3] = mesh.addApps(4);
  for (const n of [r0, l1, r3]) n.node.addApp(new Hello(nodeHashes));
  mesh.wire(r0, l1);
  mesh.wire(l1, n2);
  mesh.wire(n2, r3);
  mesh.wire(r3, r0);
  mesh.startAll();
  mesh.clock.advance(120_000);
  expect(l1.node.state().tree?.children).toEqual([]);
  expect(l1.packager.counters.get('tree_leaf_refused_child')).toBeGreaterThan(0);
  expect(n2.node.state().tree?.parent).toBe(toHex(r3.node.nodeId));
});

test('a leaf that hears no routing neighbour listens again as at boot, less often each time', () => {
  // Its schedule may be one nobody keeps any more (its routers moved to another source's while
  // it listened one window in eight, or its router died): one window in eight would never hear
  // the schedule its neighbours keep now. Each listen that finds nobody doubles the wait. (Alone:
  // one that hears other leaves becomes a routing node after two, leaf-promotion.test.ts.)
  const { mesh, router, leaf } = routerAndLeaf();
  router.node.stop();
  const listens = continuousListens(mesh, leaf, 120_000);
  expect(listens.length).toBeGreaterThanOrEqual(3);
  expect(listens[0]).toBeLessThan(20_000);
  expect(listens[2] - listens[1]).toBeGreaterThan(1.5 * (listens[1] - listens[0]));
  expect(leaf.packager.counters.get('sleep_leaf_resync')).toBe(listens.length);
});

test('a leaf that has heard no router since it started listens again at once, asking nobody', () => {
  // Nobody to ask and no routers' windows to listen in: straight to the next continuous listen,
  // 12 s after the boot listen (a leaf that had a router asks it, then listens in every window:
  // its first continuous listen came 22 s after boot, its promotion ~110 s; random leaves).
  const mesh = new TestMesh({ node: { modemSleep: { leaf: true } } });
  const [leaf] = mesh.add(1);
  leaf.node.addApp(new Hello(nodeHashes));
  leaf.node.start();
  const listens = continuousListens(mesh, leaf, 50_000);
  expect(listens[0]).toBeLessThan(1_000); // the boot listen
  expect(listens[1]).toBeLessThan(18_000);
  expect(leaf.packager.counters.get('sleep_leaf_probe')).toBe(0);
  expect(leaf.packager.counters.get('sleep_leaf_windows')).toBe(0);
});

test('a leaf left alone keeps its radio under 5 % while it keeps looking for a router', () => {
  // Its routers gone, a leaf still listens one window in eight (2.5 %) and looks for them again
  // and again (every-window and continuous listens, 4.1 s a round): with the waits doubling only
  // to 96 s that was 6.6 % of the time over an hour. A router that comes back is still found.
  const { mesh, router, leaf } = routerAndLeaf();
  router.node.stop();
  mesh.clock.advance(5 * 60_000); // its first looks, close together
  expect(onShareOver(mesh, leaf, 60 * 60_000)).toBeLessThan(0.05);
  router.node.start();
  mesh.clock.advance(15 * 60_000);
  expect(leaf.node.modemSleep!.schedule.periodMs).toBe(router.node.modemSleep!.schedule.periodMs);
  expectSparseAndReached(mesh, router, leaf, 6);
});

test('a leaf that misses its router for a while first listens in every window, and finds it there', () => {
  // On a lossy radio most silences are hello copies lost in a row, or the leaves' window moved to
  // another window of the same schedule: every window of a superframe or two hears the routers
  // again for 16 windows' radio time, where a continuous listen as at boot takes 3.5 s.
  const { mesh, router, leaf } = routerAndLeaf();
  mesh.medium.unlink(router.radio, leaf.radio);
  for (let t = 0; t < 20_000 && leaf.packager.counters.get('sleep_leaf_windows') === 0; t += 10) mesh.clock.advance(10);
  expect(leaf.packager.counters.get('sleep_leaf_windows')).toBe(1);
  mesh.medium.link(router.radio, leaf.radio);
  let on = 0;
  let longest = 0;
  for (let t = 0; t < 8_000; t++) {
    mesh.clock.advance(1);
    on = leaf.radio.on ? on + 1 : 0;
    longest = Math.max(longest, on);
  }
  expect(leaf.packager.counters.get('sleep_leaf_resync')).toBe(0);
  expect(longest).toBeLessThan(200); // never a continuous listen
  // Back on its sparse windows: the router's frames for it arrive there.
  expectSparseAndReached(mesh, router, leaf, 9);
});

test('a leaf whose router’s hellos are all lost asks the router, and keeps its schedule without listening', () => {
  // On a lossy radio a broadcast gets no retry, a unicast is retried by the radio until acked:
  // most of a leaf's silences are hello copies lost in a row from a router that still listens
  // where the leaf thinks. Every 12 s of silence cost an every-window listen (640 ms) and, when
  // that heard nobody either, a continuous one (up to 3.5 s). Now the leaf asks the router it
  // heard last, whose answer (held for the leaf's window) says the schedule holds.
  const { mesh, router, leaf } = routerAndLeaf();
  const transmit = mesh.medium.transmit.bind(mesh.medium);
  mesh.medium.transmit = (from, to, frame) => (from === router.radio && to === undefined ? true : transmit(from, to, frame));
  expect(onShareOver(mesh, leaf, 60_000)).toBeLessThan(0.04);
  expect(leaf.packager.counters.get('sleep_leaf_probe')).toBeGreaterThanOrEqual(3);
  expect(leaf.packager.counters.get('sleep_leaf_windows')).toBe(0);
  expect(leaf.packager.counters.get('sleep_leaf_resync')).toBe(0);
  expectSparseAndReached(mesh, router, leaf, 5);
});

test('a leaf’s boot listen ends a superframe after its first router’s hello, not after the full 3.5 s', () => {
  // The boot listen was 1.2 % of a 5-minute run's radio time by itself; once a router's hello set
  // the schedule, one superframe more hears the other routers' hellos (docs/sleep.md "Session 18").
  const mesh = new TestMesh({ node: { modemSleep: true }, nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined) });
  const [router, leaf] = mesh.add(2);
  for (const n of [router, leaf]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(router, leaf);
  router.node.start();
  mesh.clock.advance(20_000);
  const started = mesh.clock.now();
  leaf.node.start();
  mesh.clock.advance(200);
  (router.node.app(Hello) as Hello).send();
  let offAt = -1;
  for (let t = 0; t < 5_000 && offAt < 0; t++) {
    mesh.clock.advance(1);
    if (!leaf.radio.on) offAt = mesh.clock.now() - started;
  }
  const s = leaf.node.modemSleep!.schedule;
  expect(s.periodMs).toBe(router.node.modemSleep!.schedule.periodMs);
  expect(offAt).toBeGreaterThan(0);
  expect(offAt).toBeLessThanOrEqual(200 + 2 * s.periodMs + 8 * s.periodMs); // hello sent within a period, heard, then a superframe
  expect(offAt).toBeLessThan(leaf.node.modemSleep!.bootListenMs);
  // Then on its sparse windows, reached there.
  expectSparseAndReached(mesh, router, leaf, 7);
});

/**
 * Router a and a leaf on a's schedule, and router b, linked to neither, on its own 100 ms (half a
 * period) away; `ids` (a, leaf, b) rank b's schedule against a's.
 */
function leafAndTwoSchedules(ids?: readonly Uint8Array[]) {
  const mesh = new TestMesh({ node: { modemSleep: true }, nodeAt: (i) => (i === 1 ? { modemSleep: { leaf: true } } : undefined), ...(ids && { nodeIdAt: (i: number) => ids[i] }) });
  const [a, leaf, b] = mesh.add(3);
  for (const n of [a, leaf, b]) n.node.addApp(new Hello(nodeHashes));
  mesh.connect(a, leaf);
  a.node.start();
  mesh.clock.advance(100);
  b.node.start();
  mesh.clock.advance(600);
  leaf.node.start();
  mesh.clock.advance(20_000);
  const period = a.node.modemSleep!.schedule.periodMs;
  const phaseGap = (x: MeshNode, y: MeshNode) => {
    const g = Math.abs(x.node.modemSleep!.schedule.epoch - y.node.modemSleep!.schedule.epoch) % period;
    return Math.min(g, period - g);
  };
  expect(phaseGap(leaf, a)).toBeLessThan(2);
  expect(phaseGap(b, a)).toBeGreaterThan(50);
  return { mesh, a, leaf, b, phaseGap };
}

test('a leaf whose router is replaced by one on another schedule finds it, and that router keeps sending hellos', () => {
  // Router a and the leaf share a's schedule; router b, never heard by either, keeps its own,
  // half a period away, and a larger id (a leaf never used to follow a larger source). Then a
  // dies and b comes in reach. b once waited for the leaf's window and then for its own, for
  // ever: it sent no hello at all. The leaf must listen again to find b's schedule.
  const { mesh, a, leaf, b, phaseGap } = leafAndTwoSchedules();
  a.node.stop();
  mesh.medium.unlink(a.radio, leaf.radio);
  mesh.connect(b, leaf);
  const sentBefore = b.packager.counters.get('tx_frames');
  mesh.clock.advance(30_000);
  expect(b.packager.counters.get('tx_frames') - sentBefore).toBeGreaterThan(5);
  expect(phaseGap(leaf, b)).toBeLessThan(2);
  expect(b.packager.send(TEST_APP_ID, Uint8Array.of(7), { nodeId: leaf.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(2_000);
  expect(received(leaf)).toEqual([[7]]);
});

/**
 * Node 0 routes, node 1 is a sleepy leaf, on radios that report each frame sent (ESP-NOW's send
 * callback); `leafSends` makes the leaf send a unicast to the router out of its own window.
 */
function leafSendsOutOfWindow(reportsSent: boolean) {
  const { mesh, router, leaf } = routerAndLeaf(undefined, reportsSent);
  afterLeafWindow(mesh, leaf, 50);
  expect(leaf.radio.on).toBe(false);
  expect(leaf.packager.send(TEST_APP_ID, Uint8Array.of(7), { nodeId: router.node.nodeId }).ok).toBe(true);
  // The frame waits for the router's next window (at most one period); count the leaf's radio
  // time until well after it, with no window of the leaf's own in between.
  const on = onShareOver(mesh, leaf, 400) * 400;
  mesh.clock.advance(2_000);
  return { on, router };
}

test('a leaf woken to send goes back to sleep once its radio has sent the frame', () => {
  const { on, router } = leafSendsOutOfWindow(true);
  expect(received(router)).toEqual([[7]]);
  // The frame and its report take a few ms; a whole window (40 ms) was spent before (session 19).
  expect(on).toBeLessThan(10);
});

test('on a radio that does not report its frames sent, a leaf listens a whole window after its send', () => {
  const { on, router } = leafSendsOutOfWindow(false);
  expect(received(router)).toEqual([[7]]);
  expect(on).toBeGreaterThanOrEqual(40);
});

test('a leaf whose router moves to a better schedule follows it at once, without listening for it', () => {
  // Router a and the leaf share a's schedule; router c keeps its own, 100 ms (half a period) away,
  // and starts from a smaller id, so when c comes in reach of a, a moves to c's schedule. The
  // leaf listens one window in eight and a's hellos now come in other windows: it heard none of
  // them, and after 12 s of silence listened in every window of the old schedule (640 ms), then
  // continuously (up to 3.5 s), to find a again. a now sends a copy of its hello in the leaf's
  // window, waking for it, while the leaf is behind on a schedule it would leave for a's.
  const { mesh, a, leaf, b: c, phaseGap } = leafAndTwoSchedules([nodeIdOf(0x50), nodeIdOf(0x60), nodeIdOf(0x10)]); // c ranks first
  mesh.connect(a, c);
  for (let t = 0; t < 30_000 && phaseGap(c, a) > 2; t += 10) mesh.clock.advance(10);
  expect(phaseGap(c, a)).toBeLessThan(2); // a moved to c's schedule
  mesh.clock.advance(15_000);
  expect(phaseGap(leaf, a)).toBeLessThan(2);
  expect(leaf.packager.counters.get('sleep_leaf_windows')).toBe(0);
  expect(leaf.packager.counters.get('sleep_leaf_resync')).toBe(0);
  expect(a.packager.send(TEST_APP_ID, Uint8Array.of(8), { nodeId: leaf.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(2_000);
  expect(received(leaf)).toEqual([[8]]);
});
