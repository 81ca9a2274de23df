/**
 * Ping requests made while the node holds no address wait for one (apps/ping-wait.ts,
 * docs/routing.md "Sends that wait for a way"): upstream refused them, and a node that booted a
 * moment ago lost every ping it made before its tree reached it.
 */
import { TestMesh } from '../support/mesh.js';
import { appFrames, hashes, macHex, strangerId, withApps } from './support.js';
import { Ping } from '../../modules/mycelium/apps/ping.js';
import { PingOp, parsePing } from '../../modules/mycelium/wire/messages/ping.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

/** Us without an address beside a peer, who knows a remote node by route. */
function unplaced() {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  const us = withApps(a, { gossip: false });
  mesh.place(b, 1, []);
  const remoteId = strangerId(7);
  a.packager.addRoute(remoteId, mesh.place(b, 1, []));
  mesh.medium.clearLog();
  return { mesh, a, b, us, remoteId };
}

function requests(mesh: TestMesh, fromMac: string) {
  return appFrames(mesh, new Ping(hashes).id)
    .filter((f) => f.from === fromMac)
    .map((f) => unwrap(parsePing(f.blob)))
    .filter((pm) => pm.op === PingOp.REQUEST);
}

describe('ping requests that wait for an address', () => {
  test('a request made without an address goes once the node takes one, carrying it', () => {
    const { mesh, a, us, remoteId } = unplaced();
    const r = us.ping.request(remoteId, Metric.dCPL, 9);
    expect(r.ok).toBe(true);
    mesh.run(1500);
    expect(requests(mesh, macHex(a))).toHaveLength(0);
    const own = mesh.place(a, 1, [1]);
    mesh.run(10);
    const sent = requests(mesh, macHex(a));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ nonce: 9, metric: Metric.dCPL, treeState: 1, ts1: BigInt(mesh.clock.now() - 10) });
    expect(sent[0].address).toEqual(own.bytes);
    expect(a.packager.counters.get('ping_wait')).toBe(1);
    expect(a.packager.counters.get('ping_wait_failed')).toBe(0);
  });

  test('past the retry span it is given up, and a later address sends nothing', () => {
    const { mesh, a, us, remoteId } = unplaced();
    expect(us.ping.request(remoteId).ok).toBe(true);
    const t = a.packager.timings;
    mesh.run(t.sendRetryDelayMs * t.sendRetryCount + 1);
    expect(a.packager.counters.get('ping_wait_failed')).toBe(1);
    mesh.place(a, 1, [1]);
    mesh.run(1000);
    expect(requests(mesh, macHex(a))).toHaveLength(0);
  });

  test('at most four wait: the fifth is refused as before', () => {
    const { mesh, a, us, remoteId } = unplaced();
    for (let i = 0; i < 4; i++) expect(us.ping.request(remoteId, Metric.dTree, i).ok).toBe(true);
    const fifth = us.ping.request(remoteId, Metric.dTree, 4);
    expect(!fifth.ok && fifth.error.code).toBe('no_address');
    expect(a.packager.counters.get('ping_wait_full')).toBe(1);
    mesh.place(a, 1, [1]);
    mesh.run(10);
    expect(requests(mesh, macHex(a)).map((pm) => pm.nonce)).toEqual([0, 1, 2, 3]);
  });

  test('a stopped app drops what waits', () => {
    const { mesh, a, us, remoteId } = unplaced();
    expect(us.ping.request(remoteId).ok).toBe(true);
    a.node.stop();
    a.node.start();
    mesh.place(a, 1, [1]);
    mesh.run(10);
    expect(requests(mesh, macHex(a))).toHaveLength(0);
  });
});
