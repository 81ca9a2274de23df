/**
 * Broadcasts with priority (Packager.prioritizeBroadcasts, SpanningTree `advert_priority`: on in
 * the LoRa defaults). A RYLR-998 sheds plain broadcasts once its hour is 70 % spent, so a busy
 * relay's tree adverts went and its subtree gave the tree up (docs/lora.md "Session 10"); the
 * tree's broadcasts now reach the radio marked, and nothing else changes.
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import { AppMesh } from '../support/apps-mesh.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

/** Every broadcast `radio` is handed, with its priority argument. */
function spy(radio: Radio): { frame: Uint8Array; priority: boolean }[] {
  const calls: { frame: Uint8Array; priority: boolean }[] = [];
  const inner = radio.broadcast.bind(radio);
  radio.broadcast = (frame: Uint8Array, priority?: boolean) => {
    calls.push({ frame, priority: priority === true });
    return inner(frame, priority);
  };
  return calls;
}

test("an app's broadcasts go with priority once it is set, and without once it is cleared", () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const calls = spy(a.radio);
  const other = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
  a.packager.broadcast(TEST_APP_ID, Uint8Array.of(1));
  expect(a.packager.prioritizeBroadcasts(TEST_APP_ID)).toBe(true);
  a.packager.broadcast(TEST_APP_ID, Uint8Array.of(2));
  a.packager.broadcast(other, Uint8Array.of(3));
  a.packager.prioritizeBroadcasts(TEST_APP_ID, false);
  a.packager.broadcast(TEST_APP_ID, Uint8Array.of(4));
  expect(calls.map((c) => c.priority)).toEqual([false, true, false, false]);
  mesh.run(100);
  expect(b.app.received.map((r) => r.blob[0])).toEqual([1, 2, 4]);
});

test('at most 8 apps: a ninth is refused, the others keep theirs', () => {
  const { packager } = new TestMesh().add(1)[0];
  for (let i = 0; i < 8; i++) expect(packager.prioritizeBroadcasts(Uint8Array.of(i, ...new Uint8Array(15)))).toBe(true);
  expect(packager.prioritizeBroadcasts(Uint8Array.of(9, ...new Uint8Array(15)))).toBe(false);
  expect(packager.prioritizeBroadcasts(Uint8Array.of(0, ...new Uint8Array(15)))).toBe(true); // already set
});

test.each([true, false])('SpanningTree advert_priority %s: its broadcasts (and only its) are marked', (on) => {
  const mesh = new AppMesh({ tree: { advert_priority: on } });
  const [a, b] = mesh.addApps(2);
  mesh.wire(a, b);
  const calls = spy(a.radio);
  mesh.startAll();
  mesh.run(60_000);
  expect(mesh.converged()).toBe(true);
  const tree = toHex(a.tree.id);
  // A broadcast frame of schema 0: 4-byte header, packet id, then the Package (app id first).
  const ofTree = calls.filter((c) => toHex(c.frame.subarray(5, 21)) === tree);
  const others = calls.filter((c) => toHex(c.frame.subarray(5, 21)) !== tree);
  expect(ofTree.length).toBeGreaterThan(0);
  expect(others.length).toBeGreaterThan(0);
  expect(ofTree.every((c) => c.priority === on)).toBe(true);
  expect(others.every((c) => !c.priority)).toBe(true);
});
