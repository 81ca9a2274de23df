/**
 * A neighbour appeared (new, back after a window of silence, or rebooted): our next hello names us
 * (carries our 32-byte id), so that a neighbour that lost our Beacon can make us a peer. That one
 * hello is a broadcast with no retry; lost, the neighbour waited for the id on every twelfth hello
 * (36 s) while we already counted it as a peer. It could not list us, we could not use it, and a
 * tree could not cross it: on a 40-node lossy line with churn a rebooted relay stayed a stranger to
 * its far neighbour for 38 s and two trees stood side by side (`docs/routing.md` "Link quality").
 * Now the id rides on three hellos in a row after a neighbour's reboot. On the virtual clock.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { hellosOnAir } from '../support/hellos-on-air.js';
import { reboot } from '../support/reboot.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { afterNamed, namedAgain, neighbourAppeared, nextPace, NAMED_AFTER_RESTART, withAppeared, withRestart } from '../../modules/mycelium/apps/hello-pace.js';

const macHex = (n: AppNode) => Array.from(n.radio.mac, (b) => b.toString(16)).join(':');

/** `a`'s hellos since the log was cleared: whether each carried its id. */
function named(mesh: AppMesh, a: AppNode): boolean[] {
  return (hellosOnAir(mesh, (a.hello as NonNullable<AppNode['hello']>).id).get(macHex(a)) ?? []).map((h) => h.nodeId !== undefined);
}

/** Beacons only at boot (their period far beyond the test), hellos every 3 s. */
const BEACONS = { beacon_interval: 3_600_000 };

/** The app a frame on the medium is for (compact frames read as the upstream frame they stand for). */
function appOf(frame: Uint8Array): string | undefined {
  const p = parsePacket(frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, frame) ?? frame) : frame);
  const pkg = p.ok ? parsePackage(p.value.body) : undefined;
  return pkg?.ok ? toHex(pkg.value.appId) : undefined;
}

test.each([2, 5, 9, 13, 21])('a rebooted neighbour that missed our first named hello makes us a peer within a hello period (seed %d)', (seed) => {
  const mesh = new AppMesh({ seed, hello: true, beacon: BEACONS });
  const [r, m, n] = mesh.addApps(3).sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
  mesh.wire(r, m);
  mesh.wire(m, n);
  mesh.startAll();
  mesh.run(60_000);
  expect(mesh.roots()).toEqual([toHex(r.node.nodeId)]);
  // m loses power (its goodbye is never heard) and boots again.
  mesh.medium.unlink(r.radio, m.radio);
  mesh.medium.unlink(m.radio, n.radio);
  mesh.run(1);
  mesh.medium.clearLog();
  const fresh = reboot(mesh, m, seed + 100, { beacon: BEACONS }).node;
  mesh.medium.link(r.radio, m.radio);
  mesh.medium.link(m.radio, n.radio);
  // What m hears from n: never its Beacons (n's answer to m's start burst), and nothing until n has
  // sent the hello that names it (n noticed the restart in m's hello numbers): that one is lost.
  const beacon = toHex(n.beacon.id);
  const nMac = toHex(n.radio.mac);
  const hear = m.radio.onReceive as NonNullable<typeof m.radio.onReceive>;
  let namedSent = false;
  m.radio.onReceive = (frame, mac) => {
    if (mac && toHex(mac) === nMac) {
      if (!namedSent) return void (namedSent = named(mesh, n).includes(true)); // up to that hello, itself too
      if (appOf(frame) === beacon) return;
    }
    hear(frame, mac);
  };
  let t = 0;
  while (!namedSent && t < 20_000) {
    mesh.run(100);
    t += 100;
  }
  expect(namedSent).toBe(true);
  expect(fresh.packager.peer(n.node.nodeId)).toBeUndefined();
  let back = -1;
  for (let s = 0; s <= 40_000 && back < 0; s += 100) {
    if (fresh.packager.peer(n.node.nodeId)) back = s;
    else mesh.run(100);
  }
  // Within one of n's hello periods (3 s, with jitter): its next hello names it again. Before, the
  // id came on the twelfth hello (up to 36 s later) or with n's next Beacon.
  expect(back).toBeGreaterThanOrEqual(0);
  expect(back).toBeLessThanOrEqual(4_000);
});

test('after a neighbour rebooted the id rides on NAMED_AFTER_RESTART hellos in a row, then no more', () => {
  let pace = 0;
  const sent: boolean[] = [];
  for (let i = 0; i < 6; i++) {
    if (i === 1) pace = withRestart(pace);
    sent.push(neighbourAppeared(pace) || namedAgain(pace));
    pace = afterNamed(withAppeared(pace, false));
    pace = nextPace(pace, true, 0x1234);
  }
  expect(NAMED_AFTER_RESTART).toBe(3);
  expect(sent).toEqual([false, true, true, true, false, false]);
});

test('naming ourselves again does not stop a calm leaf from slowing down', () => {
  // The count shares the pace word with the tree signature: it must not read as a tree change.
  let pace = withAppeared(withRestart(0), false);
  pace = nextPace(pace, true, 0x1234);
  pace = nextPace(pace, true, 0x1234);
  expect(pace & 7).toBe(1); // one doubling: the second hello found the signature unchanged
  expect(namedAgain(pace)).toBe(true);
});
