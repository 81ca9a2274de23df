/**
 * The Packager's applications, found by their id bytes (packager/applications.ts keeps them in an
 * array since session 23; a hex-keyed Map before): the same answers as the Map gave — a second app
 * with an id replaces the first where it was, look-ups need all 16 bytes, removal says whether
 * anything was removed, even when a hook removed the app first — and a Package reaches its app.
 */
import { TestMesh, TEST_APP_ID } from '../support/mesh.js';
import type { Application } from '../../modules/mycelium/packager/application.js';

const app = (first: number, tag: string): Application & { tag: string } => ({ id: new Uint8Array(16).fill(first), tag, receive: () => {} });

test('apps by id bytes: replaced in place, whole ids only, removal told truly, list in order', () => {
  const mesh = new TestMesh();
  const [n] = mesh.add(1);
  const p = n.packager;
  const before = p.applications.length; // the mesh's recording app
  const a = app(1, 'a');
  const b = app(2, 'b');
  expect(p.addApplication(a).ok).toBe(true);
  expect(p.addApplication(b).ok).toBe(true);
  const a2 = app(1, 'a2');
  expect(p.addApplication(a2).ok).toBe(true);
  expect(p.applications.slice(before)).toEqual([a2, b]); // a2 took a's place, not the end
  expect(p.application(new Uint8Array(16).fill(2))).toBe(b);
  expect(p.application(new Uint8Array(15).fill(2))).toBeUndefined();
  expect(p.application(new Uint8Array(16).fill(3))).toBeUndefined();
  expect(p.addApplication({ id: new Uint8Array(15), receive: () => {} }).ok).toBe(false);
  expect(p.removeApplication(new Uint8Array(16).fill(3))).toBe(false);
  expect(p.removeApplication(b)).toBe(true);
  expect(p.applications.slice(before)).toEqual([a2]);
  // A hook that removes the app itself (once): the removal it interrupted finds nothing and says
  // so, and removes no other app.
  let once = true;
  p.addHook('remove_application', (x: Application) => {
    if (x === a2 && once) {
      once = false;
      p.removeApplication(a2);
    }
  });
  const last = app(4, 'last');
  p.addApplication(last);
  expect(p.removeApplication(a2)).toBe(false);
  expect(p.applications.slice(before)).toEqual([last]);
});

test('a Package reaches the app its id names', () => {
  const mesh = new TestMesh();
  const [x, y] = mesh.add(2);
  mesh.connect(x, y);
  expect(x.packager.send(TEST_APP_ID, Uint8Array.of(7), { nodeId: y.node.nodeId }).ok).toBe(true);
  mesh.clock.advance(1_000);
  expect(y.app.received.map((r) => Array.from(r.blob))).toEqual([[7]]);
});
