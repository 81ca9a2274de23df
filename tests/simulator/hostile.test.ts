/**
 * Hostile nodes (simulator/adversary/) and the soak (simulator/soak/): attackers put only real
 * frames on the air, honest traffic never starts or ends at them, and a short soak of the
 * shipped soak-100 scenario (20 nodes × 5 simulated minutes) runs every part of the benchmark
 * (`npm run bench:soak` runs the 2-hour, 100-node one; its figures are in docs/benchmarks.md).
 */
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { runScenario } from '../../simulator/runner/run.js';
import { ATTACK_NAMES } from '../../simulator/adversary/attack.js';
import { dealAttacks } from '../../simulator/adversary/hostiles.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import { runSoak } from '../../simulator/soak/soak.js';
import { TABLE_FIGURES } from '../../simulator/soak/tables.js';
import { scenario } from './helpers.js';

const SOAK = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'simulator', 'scenarios', 'soak-100.json');

test('every attack goes to some hostile node, each node gets its own mix of distinct attacks', () => {
  const mixes = dealAttacks(new SeededRandom(3), ATTACK_NAMES, 5, 3);
  expect(new Set(mixes.flat())).toEqual(new Set(ATTACK_NAMES));
  for (const m of mixes) {
    expect(m.length).toBeGreaterThanOrEqual(3);
    expect(new Set(m).size).toBe(m.length);
  }
});

test('a hostile node attacks with frames any radio could send; flows avoid it; the same seed, the same run', async () => {
  const s = scenario({
    name: 'hostile-12',
    seed: 5,
    duration_ms: 150_000,
    topology: { grid: { rows: 3, cols: 4, spacing: 60 } },
    traffic: [{ random: { flows: 10 }, kind: 'ping', interval_ms: 10_000, start_ms: 40_000 }],
    hostile: { fraction: 0.1, attacks: [...ATTACK_NAMES], per_node: 9, start_ms: 20_000, episode_ms: 12_000, pause_ms: 0 },
  });
  const once = async () => {
    let frames = 0;
    let unparsable = 0;
    const r = await runScenario(s, {
      onWorld: (world, hostiles) => {
        world.medium.onTransmit((from, frame) => {
          if (!hostiles?.isHostile(from)) return;
          frames++;
          // Its own stack's hellos go compact between our nodes (hello.ts): read what they stand for.
          if (!parsePacket(frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, frame) ?? frame) : frame).ok) unparsable++;
        });
      },
    });
    if (!r.ok || !r.hostiles) throw new Error('no run');
    return { r, frames, unparsable };
  };
  const { r, frames, unparsable } = await once();
  const hostile = r.hostiles!.indices;
  expect(hostile).toHaveLength(1);
  const attacker = r.hostiles!.attackers.get(hostile[0])!;
  expect(Object.keys(attacker.episodes).length).toBeGreaterThanOrEqual(4);
  const injected = Object.values(attacker.tally).reduce((sum, t) => sum + (t.frames ?? 0), 0);
  expect(injected).toBeGreaterThan(100);
  expect(frames).toBeGreaterThan(injected);
  expect(unparsable).toBe(0);
  expect(r.report.flows.length).toBeGreaterThan(0);
  for (const f of r.report.flows) expect([f.src, f.dst]).not.toContain(hostile[0]);
  const again = await once();
  expect(JSON.stringify(again.r.report)).toBe(JSON.stringify(r.report));
  expect(again.r.hostiles!.attackers.get(hostile[0])!.tally).toEqual(attacker.tally);
});

test('soak smoke: 20 nodes of soak-100 for 5 simulated minutes read every honest node twice and check its timers', async () => {
  const r = await runSoak({ scenarioPath: SOAK, nodes: 20, minutes: 5 });
  console.log(
    `soak smoke: honest delivery ${r.report.delivered}/${r.report.sent}; timers lost ${r.timers.lost.length} in ${r.timers.checks} checks; ` +
      `attacks ${Object.keys(r.attacks).join(', ')}; gossip bytes max ${r.end.summary.gossip_bytes.max}`,
  );
  expect(r.hostile).toHaveLength(1);
  expect(r.early.nodes).toHaveLength(19);
  expect(r.end.nodes).toHaveLength(19);
  expect(Object.keys(r.end.summary)).toEqual([...TABLE_FIGURES]);
  // Every honest node is checked every 10 s from 30 s on.
  expect(r.timers.checks).toBe(19 * 27);
  expect(r.report.sent).toBeGreaterThan(20);
  expect(Object.keys(r.attacks).length).toBeGreaterThanOrEqual(3);
  // Bounded tables stay within their caps, whatever the attacks.
  for (const f of ['peers', 'routes', 'events', 'inbound_bytes'] as const) expect(r.end.summary[f].max).toBeLessThanOrEqual(r.caps[f] ?? Infinity);
});
