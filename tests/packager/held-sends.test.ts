/**
 * Our own acked unicasts that find no way into their target's tree yet wait as their retries
 * would have (packager/held-sends.ts, docs/routing.md "Sends that wait for a way"). What a user
 * notices: a message sent a moment before its node joins the tree (after a boot, or while a
 * neighbour's reboot has cut it off into a tree of its own) arrives, where it was refused
 * (`no_address`) and lost; one that never finds a way is reported failed by its number after
 * its last try, as an unacked one is. On the virtual clock.
 */
import { TEST_APP_ID, TestMesh } from '../support/mesh.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** a — b — c in tree 4 at [], [1], [1, 1]; `a` not placed yet (no address in any tree). */
function line(options = {}) {
  const mesh = new TestMesh(options);
  const [a, b, c] = mesh.add(3);
  mesh.connect(a, b);
  mesh.connect(b, c);
  mesh.place(b, 4, [1]);
  const cAt = mesh.place(c, 4, [1, 1]);
  const failed: [number, string][] = [];
  a.packager.addHook('message_failed', (message: number, reason: string) => failed.push([message, reason]));
  return { mesh, a, b, c, cAt, failed };
}

test('a message sent before its node joins the tree arrives once the node has joined', () => {
  const { mesh, a, c, cAt, failed } = line();
  const r = a.packager.send(TEST_APP_ID, text('early'), { address: cAt });
  expect(r.ok).toBe(true);
  expect(r.ok && r.value.frames).toBe(0); // waiting, not sent
  mesh.runAwake(1_000);
  expect(c.app.received).toHaveLength(0);
  mesh.place(a, 4, []); // a joins: the root of tree 4
  mesh.runAwake(3_000); // its next try, one retry delay after the send
  expect(c.app.received.map((x) => new TextDecoder().decode(x.blob))).toEqual(['early']);
  expect(failed).toEqual([]);
  expect(a.packager.counters.get('send_held')).toBe(1);
});

test('a message that never finds a way is reported failed by its number after its last try', () => {
  const { mesh, a, c, failed } = line();
  const elsewhere = unwrap(Address.fromCoords(9, [2]));
  const r = a.packager.send(TEST_APP_ID, text('nowhere'), { address: elsewhere });
  const message = r.ok ? r.value.message : undefined;
  expect(message).toBeGreaterThan(0);
  mesh.runAwake(5_000);
  expect(failed).toEqual([]); // still trying: three retries, 2 s apart
  mesh.runAwake(2_000);
  expect(failed).toEqual([[message, 'no_address']]);
  expect(a.packager.counters.get('send_held_failed')).toBe(1);
  expect(c.app.received).toHaveLength(0);
  expect(mesh.medium.log.filter((f) => f.from === a.radio.mac)).toHaveLength(0);
});

test('with sendRetryMaxBackoff 4 its tries wait as those retries would, 2, 4 and 8 s, and it is given up after the last', () => {
  const { mesh, a, failed } = line({ node: { packager: { timings: { sendRetryMaxBackoff: 4 } } } });
  const r = a.packager.send(TEST_APP_ID, text('nowhere'), { address: unwrap(Address.fromCoords(9, [2])) });
  const message = r.ok ? r.value.message : undefined;
  mesh.runAwake(13_000);
  expect(failed).toEqual([]); // the third try is due at 14 s
  mesh.runAwake(2_000);
  expect(failed).toEqual([[message, 'no_address']]);
});

test('a message held after another is tried at its own time, not at the first one\'s next try', () => {
  const { mesh, a, c, cAt } = line();
  a.packager.send(TEST_APP_ID, text('first'), { address: cAt }); // tried at 2 s, then 4 s
  mesh.runAwake(1_000);
  a.packager.send(TEST_APP_ID, text('second'), { address: cAt }); // tried at 3 s
  mesh.runAwake(1_200);
  mesh.place(a, 4, []);
  mesh.runAwake(1_300); // 3.5 s: the second's try has been made, the first's next is at 4 s
  expect(c.app.received.map((x) => new TextDecoder().decode(x.blob))).toEqual(['second']);
  mesh.runAwake(1_000);
  expect(c.app.received.map((x) => new TextDecoder().decode(x.blob))).toEqual(['second', 'first']);
});

test('at most four wait: one more is refused at once, as before', () => {
  const { a, cAt } = line();
  const results = [0, 1, 2, 3, 4].map((i) => a.packager.send(TEST_APP_ID, text(`m${i}`), { address: cAt }));
  expect(results.slice(0, 4).every((r) => r.ok)).toBe(true);
  const fifth = results[4];
  expect(!fifth.ok && fifth.error.code).toBe('no_address');
  expect(a.packager.counters.get('send_held_full')).toBe(1);
});

test('a blob of many fragments does not wait: four would be a device heap', () => {
  const { a, cAt } = line();
  const r = a.packager.send(TEST_APP_ID, new Uint8Array(2_000), { address: cAt });
  expect(!r.ok && r.error.code).toBe('no_address');
  expect(a.packager.counters.get('send_held_full')).toBe(1);
});

test('a send that asks no ack is refused as before: nothing would try it again', () => {
  const { a, cAt } = line();
  const r = a.packager.send(TEST_APP_ID, text('once'), { address: cAt }, { unacked: true });
  expect(!r.ok && r.error.code).toBe('no_address');
  expect(a.packager.counters.get('send_held')).toBe(0);
});

test('a node settled in its tree is refused at once: no way into another tree will come by waiting', () => {
  const { mesh, a, failed } = line();
  mesh.place(a, 4, []);
  mesh.runAwake(31_000); // past the moments after a tree is taken (own-addresses.ts: 15 retry delays)
  const r = a.packager.send(TEST_APP_ID, text('far'), { address: unwrap(Address.fromCoords(9, [2])) });
  expect(!r.ok && r.error.code).toBe('no_address');
  expect(a.packager.counters.get('send_held')).toBe(0);
  expect(failed).toEqual([]);
});
