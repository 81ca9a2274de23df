/**
 * Compact frames on the air (Beacon `compact_frames`, wire/compact-frame.ts): only between
 * neighbours whose Beacons list the capability, delivered as if sent in upstream's bytes.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { bytesEqual, toHex } from '../../modules/mycelium/wire/bytes.js';

/** A line a–b–c whose nodes list the capability as `compact` says; the tree formed. */
function line(compact: readonly boolean[]) {
  const mesh = new AppMesh({ beacon: { compact_frames: true } });
  const nodes = mesh.addApps(3);
  // A node without the capability stands for an older build: it neither lists it nor sends compact.
  nodes.forEach((n, i) => Object.assign(n.beacon.params, { compact_frames: compact[i], expands_compact: compact[i] }));
  expect(mesh.startLine(nodes)).toBe(true);
  const [a, b, c] = nodes;
  return { mesh, a, b, c };
}

/**
 * First bytes of the unicast frames `from` put on air to `to` since the log was cleared; not the
 * 5-byte RNS/NIA probes (the memory medium's peers modem-sleep), which have nothing to leave out.
 */
function unicasts(mesh: AppMesh, from: AppNode, to: AppNode): { first: number; length: number }[] {
  return mesh.medium.log
    .filter((f) => bytesEqual(f.from, from.radio.mac) && f.to && bytesEqual(f.to, to.radio.mac) && f.frame.length > 5)
    .map((f) => ({ first: f.frame[0], length: f.frame.length }));
}

describe('Beacon compact_frames', () => {
  test('a routed message between our nodes goes compact on every hop, arrives whole, and its ack too', () => {
    const { mesh, a, b, c } = line([true, true, true]);
    const blob = Uint8Array.from({ length: 16 }, (_, i) => i + 1);
    expect(a.packager.send(a.app.id, blob, { nodeId: c.node.nodeId, address: c.packager.address }) .ok).toBe(true);
    mesh.run(5_000);
    expect(c.app.received.map((r) => toHex(r.blob))).toEqual([toHex(blob)]);
    for (const [x, y] of [[a, b], [b, c], [c, b], [b, a]] as const) {
      const frames = unicasts(mesh, x, y);
      expect(frames.length).toBeGreaterThan(0);
      expect(frames.filter((f) => f.first !== COMPACT_MARKER).map((f) => f.length)).toEqual([]);
    }
    // 87 bytes upstream (schema 5, a user app's 16-byte blob), ≤ 43 compact (addresses of one
    // byte or less in this tree); its ack 39 → ≤ 11.
    expect(unicasts(mesh, a, b)[0].length).toBeLessThanOrEqual(43);
    expect(unicasts(mesh, c, b)[0].length).toBeLessThanOrEqual(11);
    expect(a.packager.counters.get('send_unacked')).toBe(0);
    expect(b.packager.counters.get('rx_compact')).toBeGreaterThanOrEqual(2);
  });

  test('a neighbour whose Beacon does not list it gets upstream bytes; the others still compact', () => {
    const { mesh, a, b, c } = line([true, true, false]);
    const blob = Uint8Array.of(9, 9, 9);
    expect(a.packager.send(a.app.id, blob, { nodeId: c.node.nodeId, address: c.packager.address }) .ok).toBe(true);
    mesh.run(5_000);
    expect(c.app.received.length).toBe(1);
    expect(unicasts(mesh, a, b).every((f) => f.first === COMPACT_MARKER)).toBe(true);
    expect(unicasts(mesh, b, c).every((f) => f.first === 0)).toBe(true);
    expect(unicasts(mesh, c, b).every((f) => f.first === 0)).toBe(true);
    expect(c.packager.counters.get('rx_compact')).toBe(0);
  });

  test('broadcasts stay in upstream bytes (every neighbour, upstream or not, reads them)', () => {
    const { mesh, a } = line([true, true, true]);
    a.tree.broadcast();
    a.beacon.broadcast();
    mesh.run(1_000);
    const broadcasts = mesh.medium.log.filter((f) => bytesEqual(f.from, a.radio.mac) && !f.to);
    expect(broadcasts.length).toBeGreaterThan(0);
    expect(broadcasts.every((f) => f.frame[0] === 0)).toBe(true);
  });

  test('a compact frame that does not expand is dropped and counted', () => {
    const { mesh, a, b } = line([true, true, true]);
    a.radio.send(b.radio.mac, Uint8Array.of(COMPACT_MARKER, 25, 0, 0x04, 1, 2, 3));
    mesh.run(100);
    expect(b.packager.counters.get('drop_compact_invalid')).toBe(1);
  });
});
