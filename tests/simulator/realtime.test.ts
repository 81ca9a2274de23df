/**
 * `--realtime`: a scenario runs at wall-clock pace with the hub open, and an external node (a
 * UDP socket speaking HUB.md) joins the same medium as the in-process nodes: it hears their
 * beacons and they hear its frames.
 */
import { createSocket } from 'node:dgram';
import { decodeHubMessage, encodeHubMessage, type HubMessage } from '../../modules/espnow/hub-codec.js';
import { runScenario } from '../../simulator/runner/run.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { startRealtime } from '../../simulator/cli/realtime.js';
import { expectValidReport } from './support/schemas.js';

const EXT_MAC = Uint8Array.of(0x02, 0xee, 0, 0, 0, 1);

test('an external node joins a realtime run, hears the mesh and is heard; time follows the wall clock', async () => {
  const v = validateScenario({ name: 'rt', duration_ms: 3000, topology: { line: { n: 3, spacing: 50 } } });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  const realtime = await startRealtime({ port: 0, speed: 1.5 });
  const socket = createSocket('udp4');
  const got: HubMessage[] = [];
  socket.on('message', (msg) => {
    const m = decodeHubMessage(new Uint8Array(msg));
    if (m.ok) got.push(m.value);
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const send = (m: HubMessage) => {
    const bytes = encodeHubMessage(m);
    if (!bytes.ok) throw new Error(bytes.error.message);
    socket.send(bytes.value, realtime.port() as number, '127.0.0.1');
  };
  const started = performance.now();
  const result = await runScenario(v.scenario, {
    ...realtime.runOptions,
    onWorld: async (world) => {
      await realtime.runOptions.onWorld?.(world);
      // Join at once (between node 0 and node 1), then broadcast a frame a little later.
      send({ type: 'hello', mac: EXT_MAC, kind: 0, x: 25, y: 0, name: 'ext' });
      setTimeout(() => send({ type: 'send', dest: new Uint8Array(6).fill(0xff), payload: Uint8Array.of(0, 0, 0, 0, 0) }), 500);
    },
  });
  const wallMs = performance.now() - started;
  await realtime.close();
  socket.close();
  if (!result.ok) throw new Error(result.error);
  const { world, report } = result;
  expectValidReport(report);
  expect(wallMs).toBeGreaterThan(3000 / 1.5 - 100);
  expect(got.some((m) => m.type === 'welcome')).toBe(true);
  // The in-process nodes' start-up beacons reached the external node as RECV.
  expect(got.filter((m) => m.type === 'recv').length).toBeGreaterThan(0);
  // Its broadcast went on the medium and reached the in-process nodes in range.
  const ext = world.medium.indexOf(EXT_MAC) as number;
  expect(ext).toBe(3);
  expect(world.medium.nodeStats(ext).sent).toBe(1);
  expect(report.frames.delivered).toBeGreaterThan(0);
  expect(report.nodes).toBe(3); // the report covers the scenario's nodes
}, 20_000);
