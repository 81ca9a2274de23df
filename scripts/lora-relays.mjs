#!/usr/bin/env node
// Where a LoRa scenario's airtime goes, relay by relay (docs/lora.md "Session 13"). Runs the
// scenario once per seed with a listener on the medium and prints, for the nodes whose busiest
// hour comes nearest the duty limit: that hour's share, when their sliding hour first passed 70 %
// (where the limiter starts shedding broadcasts) and 95 %, their airtime since the traffic
// started split into own data, relayed data, data acks and control (tree, beacon, gossip, other
// signalling), and the stale unicasts their radio dropped. Then the mesh's frames on air per
// delivered message, data and control. Usage:
//   node scripts/lora-relays.mjs [--scenario lora-20] [--seeds 1,2,3,18] [--top 5] [--json]
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { loadScenarioArg, seedsArg } from './lib/message-trace.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/lora-relays.mjs [--scenario NAME|FILE] [--seeds N,N] [--top N] [--json]', {
  scenario: { type: 'string', default: 'lora-20' },
  seeds: { type: 'string' },
  top: { type: 'string', default: '5' },
  json: { type: 'boolean' },
});
const { runScenario } = await importTs(join(root, 'simulator/runner/run.ts'));
const { loadScenarioFile } = await importTs(join(root, 'simulator/scenario/load.ts'));
const { SimNodeApps } = await importTs(join(root, 'simulator/runner/sim-node.ts'));
const { FrameClassifier, ackedKind, ACK_SUFFIX } = await importTs(join(root, 'simulator/runner/frame-class.ts'));
const { MODULE_OVERHEAD_BYTES, BANDWIDTH_HZ } = await importTs(join(root, 'modules/rylr998/config.ts'));
const { loraAirtimeMs } = await importTs(join(root, 'modules/rylr998/airtime.ts'));
const { parsePacket } = await importTs(join(root, 'modules/mycelium/wire/packet.ts'));
const { COMPACT_MARKER, expandFrame } = await importTs(join(root, 'modules/mycelium/wire/compact-frame.ts'));

const HOUR = 3_600_000;
const scenario = loadScenarioArg(root, loadScenarioFile, values.scenario);
const hashes = { sha256: (d) => new Uint8Array(createHash('sha256').update(d).digest()), crc32: () => 0 };
const top = Number(values.top);
const rows = [];
for (const seed of seedsArg(values.seeds, scenario)) rows.push(await relaysOf({ ...scenario, seed }));

if (values.json) console.log(JSON.stringify(rows, null, 1));
else {
  console.log(`${scenario.name}: the busiest relays' airtime (node scripts/lora-relays.mjs)`);
  for (const r of rows) {
    console.log(`seed ${r.seed}: ${r.delivered_pct.toFixed(1)} % delivered; per delivered message ${r.data_frames_per_delivered.toFixed(2)} data frames, ${r.control_frames_per_delivered.toFixed(2)} control frames (airtime ${r.data_s_per_delivered.toFixed(3)} / ${r.control_s_per_delivered.toFixed(3)} s)`);
    console.log('  node  hour max  70 % at  95 % at  own data  relayed  acks    tree    beacon  gossip  other   stale');
    for (const n of r.nodes.slice(0, top)) {
      const at = (t) => (t === undefined ? '-' : `${Math.round(t / 1000)} s`).padEnd(9);
      const s = (ms) => `${(ms / 1000).toFixed(1)}`.padEnd(8);
      console.log(`  n${String(n.node).padEnd(4)}${(n.hour_max_pct.toFixed(2) + ' %').padEnd(10)}${at(n.at70)}${at(n.at95)}${s(n.own)}${s(n.relayed)}${s(n.acks)}${s(n.tree)}${s(n.beacon)}${s(n.gossip)}${s(n.other)}${n.stale}`);
    }
  }
}

async function relaysOf(scenario) {
  const lora = scenario.radio.lora;
  const air = (bytes) => loraAirtimeMs({ sf: lora.sf, bw: BANDWIDTH_HZ[lora.bw], cr: lora.cr, preamble: lora.preamble, payloadBytes: bytes });
  const start = Math.min(...(scenario.traffic ?? []).map((t) => t.start_ms ?? 0));
  const classifier = new FrameClassifier(new SimNodeApps(hashes).all, false, undefined, true);
  const n = scenario.topology.random?.n ?? 0;
  const nodes = [];
  const node = (i) => (nodes[i] ??= { node: i, tx: [], own: 0, relayed: 0, acks: 0, tree: 0, beacon: 0, gossip: 0, other: 0 });
  let dataFrames = 0;
  let controlFrames = 0;
  let dataMs = 0;
  let controlMs = 0;
  let clock;
  const sources = new Map();
  const result = await runScenario(scenario, {
    onWorld: (world) => {
      clock = world.clock;
      world.medium.onTransmit((from, frame) => {
        if (from >= n && n > 0) return;
        const now = clock.now();
        const ms = air(frame.length);
        const nd = node(from);
        nd.tx.push([now, ms]);
        if (now < start) return;
        const mesh = frame.subarray(MODULE_OVERHEAD_BYTES);
        const kind = classifier.classify(from, mesh);
        const base = ackedKind(kind);
        const data = base === 'SimTraffic' || base === 'Ping';
        if (data) {
          dataFrames++;
          dataMs += ms;
        } else {
          controlFrames++;
          controlMs += ms;
        }
        if (kind.endsWith(ACK_SUFFIX)) nd.acks += ms;
        else if (data) nd[isOwn(mesh, from, sources) ? 'own' : 'relayed'] += ms;
        else if (base === 'SpanningTree') nd.tree += ms;
        else if (base === 'Beacon') nd.beacon += ms;
        else if (base === 'Gossip') nd.gossip += ms;
        else nd.other += ms;
      });
    },
  });
  if (!result.ok) throw new Error(`seed ${scenario.seed}: ${result.error?.message ?? 'run failed'}`);
  const report = result.report;
  for (const nd of nodes.filter(Boolean)) {
    // The sliding hour at each frame's end, as the limiter counts it.
    let lo = 0;
    let sum = 0;
    let max = 0;
    for (let k = 0; k < nd.tx.length; k++) {
      const [t, ms] = nd.tx[k];
      sum += ms;
      while (nd.tx[lo][0] + nd.tx[lo][1] <= t + ms - HOUR) sum -= nd.tx[lo++][1];
      max = Math.max(max, sum);
      if (nd.at70 === undefined && sum >= 0.7 * HOUR * scenario.radio.duty_cycle_limit) nd.at70 = t;
      if (nd.at95 === undefined && sum >= 0.95 * HOUR * scenario.radio.duty_cycle_limit) nd.at95 = t;
    }
    nd.hour_max_pct = (max / HOUR) * 100;
    nd.stale = report.per_node[nd.node]?.radio_counters?.tx_stale_dropped ?? 0;
    delete nd.tx;
  }
  const sorted = nodes.filter(Boolean).sort((a, b) => b.hour_max_pct - a.hour_max_pct || b.relayed - a.relayed);
  const delivered = Math.max(1, report.delivered);
  return {
    seed: scenario.seed,
    delivered_pct: report.delivery_ratio * 100,
    data_frames_per_delivered: dataFrames / delivered,
    control_frames_per_delivered: controlFrames / delivered,
    data_s_per_delivered: dataMs / 1000 / delivered,
    control_s_per_delivered: controlMs / 1000 / delivered,
    nodes: sorted,
  };
}

/**
 * Whether a data frame sent by node `from` is its own message: the first node seen sending a
 * message (told apart by its blob, as lora-losses.mjs does) is its source.
 */
function isOwn(mesh, from, sources) {
  let f = mesh;
  if (f[0] === COMPACT_MARKER) f = expandFrame(hashes, f, (prefix) => {
    const id = new Uint8Array(16);
    id.set(prefix);
    return id;
  }) ?? f;
  const p = parsePacket(f);
  if (!p.ok || p.value.body.length < 33) return false;
  const key = Buffer.from(p.value.body.subarray(32)).toString('hex');
  if (!sources.has(key)) sources.set(key, from);
  return sources.get(key) === from;
}
