#!/usr/bin/env node
// What a LoRa scenario's data frames collided with (docs/lora.md "Session 23"). Runs the scenario
// once per seed with listeners on the medium; for every data frame (a traffic message, relayed or
// not) lost to a collision at the node it was addressed to after the traffic started, names the
// frames that overlapped it there: sent by a node in the receiver's reach, or by the receiver
// itself (half duplex: it was transmitting). Kinds are FrameClassifier's; ".b" marks broadcasts.
// Usage: node scripts/lora-collisions.mjs [--scenario lora-20] [--seeds 1,2,3,18] [--top 8]
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { loadScenarioArg, seedsArg } from './lib/message-trace.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/lora-collisions.mjs [--scenario NAME|FILE] [--seeds N,N] [--top N]', {
  scenario: { type: 'string', default: 'lora-20' },
  seeds: { type: 'string' },
  top: { type: 'string', default: '8' },
});
const { runScenario } = await importTs(join(root, 'simulator/runner/run.ts'));
const { loadScenarioFile } = await importTs(join(root, 'simulator/scenario/load.ts'));
const { SimNodeApps } = await importTs(join(root, 'simulator/runner/sim-node.ts'));
const { FrameClassifier } = await importTs(join(root, 'simulator/runner/frame-class.ts'));
const { MODULE_OVERHEAD_BYTES, BANDWIDTH_HZ } = await importTs(join(root, 'modules/rylr998/config.ts'));
const { loraAirtimeMs } = await importTs(join(root, 'modules/rylr998/airtime.ts'));

const scenario = loadScenarioArg(root, loadScenarioFile, values.scenario);
const hashes = { sha256: (d) => new Uint8Array(createHash('sha256').update(d).digest()), crc32: () => 0 };
console.log(`${scenario.name}: what data frames collided with at their receiver (node scripts/lora-collisions.mjs)`);
for (const seed of seedsArg(values.seeds, scenario)) {
  const r = await collisionsOf({ ...scenario, seed });
  const shares = Object.entries(r.with).sort((a, b) => b[1] - a[1]).slice(0, Number(values.top));
  console.log(`seed ${seed}: ${r.data} data frames sent, ${r.collided} collided at their receiver (${((100 * r.collided) / Math.max(1, r.data)).toFixed(1)} %); with:`);
  for (const [k, v] of shares) console.log(`  ${String(v).padStart(5)}  ${k}`);
}

async function collisionsOf(scenario) {
  const lora = scenario.radio.lora;
  const air = (bytes) => loraAirtimeMs({ sf: lora.sf, bw: BANDWIDTH_HZ[lora.bw], cr: lora.cr, preamble: lora.preamble, payloadBytes: bytes });
  const start = Math.min(...(scenario.traffic ?? []).map((t) => t.start_ms ?? 0));
  const classifier = new FrameClassifier(new SimNodeApps(hashes).all, false, undefined, true);
  const recent = []; // the last frames on air (bounded): { from, start, end, kind, broadcast }
  const tally = { data: 0, collided: 0, with: {} };
  let clock;
  let medium;
  const result = await runScenario(scenario, {
    onWorld: (world) => {
      clock = world.clock;
      medium = world.medium;
      world.medium.onTransmit((from, frame) => {
        const now = clock.now();
        const kind = classifier.classify(from, frame.subarray(MODULE_OVERHEAD_BYTES));
        recent.push({ from, start: now, end: now + air(frame.length), kind: kind === 'SimTraffic' ? 'data' : kind, broadcast: ((frame[1] << 8) | frame[2]) === 0 });
        if (recent.length > 512) recent.splice(0, 128);
        if (kind === 'SimTraffic' && now >= start) tally.data++;
      });
      world.medium.onFrame((e) => {
        if (e.outcome !== 'collision' || e.time < start) return;
        // The module's address is the node's index + 1 (simulator/rylr998/twin.ts); 0: a broadcast.
        const to = ((e.frame[1] << 8) | e.frame[2]) - 1;
        if (to !== e.to) return;
        let own;
        for (let i = recent.length - 1; i >= 0 && !own; i--) if (recent[i].from === e.from && Math.abs(recent[i].end - e.time) < 50) own = recent[i];
        if (!own || own.kind !== 'data') return;
        tally.collided++;
        const reach = new Set(medium.links(e.to).map((l) => l.to));
        const others = recent.filter((x) => x !== own && x.start < own.end && x.end > own.start && (x.from === e.to || reach.has(x.from)));
        const key = others.length === 0 ? '(none found)' : others.map((x) => `${x.from === e.to ? 'half duplex: ' : ''}${x.kind}${x.broadcast ? '.b' : ''}`).sort().join(' + ');
        tally.with[key] = (tally.with[key] ?? 0) + 1;
      });
    },
  });
  if (!result.ok) throw new Error(`seed ${scenario.seed}: ${result.error?.message ?? 'run failed'}`);
  return tally;
}
