/**
 * Issue 19, class 4 (event table exhaustion): 200 sends a second for two minutes toward a peer
 * whose acks never come (a mod's loop, or answers to forged Ping requests) must not take the
 * event table from the protocol's periodic timers: Beacon, Gossip sync, SpanningTree and Hello
 * keep re-arming through the flood and after it.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

test('a send flood leaves every periodic protocol timer armed', () => {
  const mesh = new AppMesh({ seed: 4, hello: true });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.run(30_000);
  const periodic = [a.beacon.idHex + 'b', a.gossip.idHex, a.tree.idHex + 's'];
  expect(periodic.map((id) => a.packager.isScheduled(id))).toEqual([true, true, true]);
  mesh.medium.link(b.radio, a.radio, 1, true); // b → a: every ack lost
  let lostTimers = 0;
  let most = 0;
  for (let t = 0; t < 120_000; t += 5) {
    a.packager.send(TEST_APP_ID, Uint8Array.of(t & 255, t >> 8, t >> 16), { nodeId: b.node.nodeId });
    mesh.run(5);
    most = Math.max(most, a.packager.sizes().events.size);
    if (t % 1_000 === 0) lostTimers += periodic.filter((id) => !a.packager.isScheduled(id)).length;
  }
  mesh.medium.link(b.radio, a.radio, 0, true);
  mesh.run(60_000);
  expect(lostTimers).toBe(0); // before: the table filled with retries and the re-arms were refused
  expect(periodic.map((id) => a.packager.isScheduled(id))).toEqual([true, true, true]);
  expect(most).toBeLessThanOrEqual(a.packager.sizes().events.limit);
  console.log(`send flood: 24,000 sends in 120 s; most events pending ${most}; periodic timers lost ${lostTimers}`);
});

test('one app filling the event table (ping tests of 60 requests, one after another) cannot starve the others', () => {
  const mesh = new AppMesh({ seed: 5, hello: true });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  mesh.startAll();
  mesh.run(30_000);
  const periodic = [a.beacon.idHex + 'b', a.gossip.idHex, a.tree.idHex + 's'];
  let lostTimers = 0;
  let refused = 0;
  for (let t = 0; t < 120_000; t += 500) {
    const k = t / 500;
    const r = a.ping.ping({ target: unwrap(Address.fromCoords(7, [1 + (k % 100), 1 + Math.floor(k / 100)])), count: 60 });
    if (!r.ok) refused++;
    mesh.run(500);
    if (t % 1_000 === 0) lostTimers += periodic.filter((id) => !a.packager.isScheduled(id)).length;
  }
  mesh.run(120_000);
  console.log(`ping-test flood: 240 tests of 60 in 120 s, ${refused} refused; periodic timers lost ${lostTimers}`);
  expect(lostTimers).toBe(0); // before: Ping took all 256 slots and the periodic re-arms were refused for good
  expect(periodic.map((id) => a.packager.isScheduled(id))).toEqual([true, true, true]);
  expect(refused).toBeGreaterThan(0);
});

test('a periodic timer whose handler sends before re-arming survives a full table; one owner gets at most its share', () => {
  const mesh = new AppMesh({ seed: 6 });
  const [a] = mesh.addApps(1);
  const p = a.packager;
  const periodicId = 'f'.repeat(32) + ':tick';
  let ticks = 0;
  const tick = () => {
    ticks++;
    p.schedule('RP-side-effect-' + ticks, 2_000, () => {}); // a send's retry, taken before the re-arm
    p.schedule(periodicId, 1_000, tick);
  };
  p.schedule(periodicId, 1_000, tick);
  // A flood from one owner (here: an app's events) tries to take every slot.
  let accepted = 0;
  for (let i = 0; i < 1_000; i++) if (p.schedule('e'.repeat(32) + ':' + i, 600_000, () => {})) accepted++;
  for (let i = 0; accepted < 1_000 && i < 1_000; i++) if (p.schedule('x' + i, 600_000, () => {})) accepted++;
  mesh.run(30_000);
  expect(ticks).toBe(30); // before: the first tick's side effect took the freed slot and the timer died
  expect(p.isScheduled(periodicId)).toBe(true);
  expect(p.counters.get('schedule_owner_full')).toBeGreaterThan(0);
});
