/**
 * A `mycelium-node` joins a realtime simulator run through the hub (simulator/HUB.md): it
 * appears on the run's ESP-NOW medium, learns the simulated nodes as peers and pings one of them
 * by short id.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../../simulator/runner/run.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { startRealtime } from '../../simulator/cli/realtime.js';
import { NodeProcess, sleep } from './node-process.js';

const dir = mkdtempSync(join(tmpdir(), 'mycelium-hub-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a mycelium-node joins a mycelium-sim --realtime run and pings a simulated node', async () => {
  const v = validateScenario({ name: 'rt', duration_ms: 40_000, topology: { line: { n: 3, spacing: 50 } } });
  if (!v.ok) throw new Error(v.errors.join('\n'));
  const realtime = await startRealtime({ port: 0, speed: 1 });
  const file = join(dir, 'ext.json');
  writeFileSync(file, JSON.stringify({ apps: { spanning_tree: { max_start_delay: 1000, tree_maintenance_delay: 3000 } } }));
  let node: NodeProcess | undefined;
  let pinged: string[] = [];
  const abort = new AbortController(); // the run ends once the test has seen what it needs
  const run = runScenario(v.scenario, {
    ...realtime.runOptions,
    signal: abort.signal,
    onWorld: async (world) => {
      await realtime.runOptions.onWorld?.(world);
      // Between simulated nodes 0 and 1 (50 m apart, in range of both).
      node = new NodeProcess(['--config', file, '--name', 'ext', '--bind', '127.0.0.1', '--hub', `127.0.0.1:${realtime.port()}`, '--at', '25,0']);
    },
  });
  try {
    while (!node) await sleep(100);
    const n = node;
    await n.waitFor('WELCOME', (lines) => (lines.some((l) => l.startsWith('hub: joined the run')) ? true : undefined));
    // A simulated node as a peer, and an address in the tree.
    const peer = await n.waitFor(
      'a peer and an address',
      (lines) => {
        n.send('get peers');
        n.send('status');
        const at = lines.lastIndexOf('Peers:');
        const id = at >= 0 ? /^\t([0-9a-f]{64})/.exec(lines[at + 1] ?? '')?.[1] : undefined;
        const addressed = lines.some((l) => /^Addresses: \d/.test(l));
        return id && addressed ? id : undefined;
      },
      30_000,
    );
    const mark = n.lines.length;
    n.send(`ping ${peer.slice(0, 8)} 2 2`);
    pinged = await n.waitFor('the ping report', (lines) => {
      const tail = lines.slice(mark);
      const at = tail.indexOf('Ping report:');
      return at >= 0 && tail.some((l, k) => k > at && l.startsWith('\tsuccess_rate')) ? tail.slice(at) : undefined;
    });
    expect(await n.quit()).toBe(0);
  } finally {
    node?.kill();
    abort.abort();
  }
  const result = await run;
  await realtime.close();
  if (!result.ok) throw new Error(result.error);
  expect(pinged.find((l) => l.startsWith('\tsuccess_rate'))).not.toBe('\tsuccess_rate: 0%');
  // The external node's frames went on the simulated medium.
  expect(result.world.medium.nodeStats(3).sent).toBeGreaterThan(0);
}, 90_000);
