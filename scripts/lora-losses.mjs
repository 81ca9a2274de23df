#!/usr/bin/env node
// Where a LoRa scenario's lost messages were lost (docs/lora.md "Where messages are lost"). Runs
// the scenario once per seed with a listener on the medium, follows each traffic message (a
// `pairs` flow's blob) from hop to hop, and classifies every message that never reached its
// destination by the last thing that happened to it:
//   collision  its last holder sent it and every copy to the next hop collided there
//   fade       its last holder sent it and the next hop lost it to the link (the loss model)
//   held       a relay received it and never sent it on (a queue drop: stale or duty shed, a
//              full queue, no route, a local minimum: the report's drops.radio / drops.packager)
//   unsent     no frame of it went on air (refused at the source: no route, no address)
// `hop` is the hop it was lost on (1: the source's own frame). Usage:
//   node scripts/lora-losses.mjs [--scenario lora-20] [--seeds 1,2,3,18] [--json]
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { hopColumns, lastHolder, loadScenarioArg, seedsArg } from './lib/message-trace.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/lora-losses.mjs [--scenario NAME|FILE] [--seeds N,N] [--json]', {
  scenario: { type: 'string', default: 'lora-20' },
  seeds: { type: 'string' },
  json: { type: 'boolean' },
});
const { runScenario } = await importTs(join(root, 'simulator/runner/run.ts'));
const { loadScenarioFile } = await importTs(join(root, 'simulator/scenario/load.ts'));
const { expandFrame, isBundledApp, COMPACT_MARKER } = await importTs(join(root, 'modules/mycelium/wire/compact-frame.ts'));
const { parsePacket } = await importTs(join(root, 'modules/mycelium/wire/packet.ts'));
const { MODULE_OVERHEAD_BYTES } = await importTs(join(root, 'modules/rylr998/config.ts'));
const { ACKED_MARKER } = await importTs(join(root, 'modules/rylr998/link-acks.ts'));
const { CARRIED_MARKER } = await importTs(join(root, 'modules/rylr998/carried-acks.ts'));

const scenario = loadScenarioArg(root, loadScenarioFile, values.scenario);
const hashes = { sha256: (d) => new Uint8Array(createHash('sha256').update(d).digest()), crc32: () => 0 };
// The id of a user app sent as its 4-byte prefix: padded; messages are told apart by their blob.
const byPrefix = (prefix) => {
  const id = new Uint8Array(16);
  id.set(prefix);
  return id;
};
const seeds = seedsArg(values.seeds, scenario);
const rows = [];
for (const seed of seeds) rows.push(await lossesOf({ ...scenario, seed }));

if (values.json) console.log(JSON.stringify(rows, null, 1));
else {
  console.log(`${scenario.name}: where the lost messages were lost (node scripts/lora-losses.mjs)`);
  console.log('seed  delivered  lost  collision  fade  held  unsent  by hop (1, 2, 3, 4+)   radio drops');
  for (const r of rows) {
    const hops = hopColumns(r.lost_on_hop);
    console.log(`${String(r.seed).padEnd(6)}${(r.delivered_pct.toFixed(1) + ' %').padEnd(11)}${String(r.lost).padEnd(6)}${String(r.collision).padEnd(11)}${String(r.fade).padEnd(6)}${String(r.held).padEnd(6)}${String(r.unsent).padEnd(8)}${hops.join(' / ').padEnd(23)}${JSON.stringify(r.radio_drops)}`);
  }
}

async function lossesOf(scenario) {
  const dstOf = new Map();
  for (const t of scenario.traffic ?? []) for (const [a, b] of t.pairs ?? []) dstOf.set(a, b);
  const start = Math.min(...(scenario.traffic ?? []).map((t) => t.start_ms ?? 0));
  const messages = new Map(); // blob hex → { src, frames: [{ from, to, outcome }] }
  const result = await runScenario(scenario, {
    onWorld: (world) =>
      world.medium.onFrame((e) => {
        if (e.time < start - 1000 || e.frame.length <= MODULE_OVERHEAD_BYTES) return;
        // The twin's header: destination address (index + 1; 0 = every module) at bytes 1–2; a
        // carried frame (carried-acks.ts) goes to 0 and names its next hop after its marker.
        let address = (e.frame[1] << 8) | e.frame[2];
        let f = e.frame.subarray(MODULE_OVERHEAD_BYTES);
        if (address === 0 && f[0] === CARRIED_MARKER && f.length >= 4) {
          address = (f[1] << 8) | f[2];
          f = f.subarray(4 + 2 * f[3]);
        }
        if (address === 0 || e.to !== address - 1 || f.length === 0) return;
        if (f[0] === ACKED_MARKER) (f = f.slice())[0] = COMPACT_MARKER;
        if (f[0] === COMPACT_MARKER) f = expandFrame(hashes, f, byPrefix) ?? f;
        const p = parsePacket(f);
        if (!p.ok || ((p.value.flags >> 3) & 7) === 2) return; // not a packet, or an end-to-end ack
        const body = p.value.body;
        if (body.length < 33 || isBundledApp(body.subarray(0, 16))) return;
        const key = Buffer.from(body.subarray(32)).toString('hex');
        let m = messages.get(key);
        if (!m) messages.set(key, (m = { src: e.from, frames: [] }));
        m.frames.push({ from: e.from, to: e.to, outcome: e.outcome });
      }),
  });
  if (!result.ok) throw new Error(`seed ${scenario.seed}: ${result.error?.message ?? 'run failed'}`);
  const report = result.report;
  const row = { seed: scenario.seed, delivered_pct: report.delivery_ratio * 100, lost: report.sent - report.delivered, collision: 0, fade: 0, held: 0, unsent: 0, lost_on_hop: {}, radio_drops: report.drops.radio ?? {} };
  let traced = 0;
  for (const m of messages.values()) {
    const dst = dstOf.get(m.src);
    if (dst === undefined || m.frames.some((f) => f.to === dst && f.outcome === 'delivered')) continue;
    traced++;
    const { sent, hop } = lastHolder(m.frames, m.src);
    if (sent.length === 0) row.held++;
    else if (sent.every((f) => f.outcome === 'loss')) row.fade++;
    else row.collision++;
    row.lost_on_hop[hop] = (row.lost_on_hop[hop] ?? 0) + 1;
  }
  row.unsent = Math.max(0, row.lost - traced);
  return row;
}
