/**
 * App ids by prefix in compact frames (wire/compact-frame.ts shape bit 2, Beacon's CompactAppIds
 * capability; docs/lora.md "Compact frames"): a user app's 16-byte id goes as its first 4 bytes
 * to a neighbour whose Beacon lists both the capability and that app, and whole to any other.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { SimTraffic } from '../../simulator/runner/traffic-app.js';

/** a–b–c with compact frames on; `runs[i]`: node i runs the user app (and so its Beacon lists it). */
function line(runs: readonly boolean[], prefixes = true) {
  const mesh = new AppMesh({ beacon: { compact_frames: true } });
  const nodes = mesh.addApps(3);
  const apps = nodes.map((n, i) => {
    if (!prefixes) Object.assign(n.beacon.params, { compact_frames: false });
    if (!runs[i]) return undefined;
    const app = new SimTraffic(portableHashes);
    n.node.addApp(app);
    return app;
  });
  expect(mesh.startLine(nodes)).toBe(true);
  const [a, b, c] = nodes;
  return { mesh, a, b, c, apps };
}

/** Lengths of the frames longer than a probe that `from` sent to `to` since the log was cleared. */
function sent(mesh: AppMesh, from: AppNode, to: AppNode): { compact: boolean; length: number }[] {
  return mesh.medium.log
    .filter((f) => bytesEqual(f.from, from.radio.mac) && f.to && bytesEqual(f.to, to.radio.mac) && f.frame.length > 5)
    .map((f) => ({ compact: f.frame[0] === COMPACT_MARKER, length: f.frame.length }));
}

function sendAtoC(l: ReturnType<typeof line>): number[] {
  const got: number[] = [];
  const [ta, , tc] = l.apps;
  if (tc) tc.onMessage = (id) => got.push(id);
  expect(ta?.sendMessage(7, 16, { nodeId: l.c.node.nodeId, address: l.c.packager.address }, Metric.dTree).ok).toBe(true);
  l.mesh.run(5_000);
  return got;
}

test("every node runs the app: its id goes as 4 bytes on both hops, 12 bytes under the whole id's frame", () => {
  const l = line([true, true, true]);
  expect(sendAtoC(l)).toEqual([7]);
  const hops = [sent(l.mesh, l.a, l.b)[0], sent(l.mesh, l.b, l.c)[0]];
  expect(hops.every((h) => h.compact)).toBe(true);
  // The same message between nodes that do not list the capability (compact_frames off): whole id.
  const whole = line([true, true, true], false);
  expect(sendAtoC(whole)).toEqual([7]);
  const wholeHop = sent(whole.mesh, whole.a, whole.b)[0];
  expect(wholeHop.compact).toBe(false);
  // Compact with the whole id is 43 bytes in a one-byte-address tree (compact-frame.test.ts).
  expect(hops.map((h) => h.length).every((n) => n <= 43 - 12)).toBe(true);
  expect(l.b.packager.counters.get('drop_compact_invalid')).toBe(0);
  expect(l.c.packager.counters.get('drop_compact_invalid')).toBe(0);
});

test('a relay that does not run the app gets its whole id, and sends it whole (it watches only its own apps)', () => {
  const all = line([true, true, true]);
  sendAtoC(all);
  const l = line([true, false, true]);
  expect(sendAtoC(l)).toEqual([7]);
  const [toRelay] = sent(l.mesh, l.a, l.b);
  const [toDest] = sent(l.mesh, l.b, l.c);
  expect(toRelay.compact && toDest.compact).toBe(true);
  expect([toRelay.length, toDest.length]).toEqual([sent(all.mesh, all.a, all.b)[0].length + 12, sent(all.mesh, all.b, all.c)[0].length + 12]);
  expect(l.b.packager.counters.get('drop_compact_invalid')).toBe(0);
});
