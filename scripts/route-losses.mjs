#!/usr/bin/env node
// Where a scenario's routed messages were lost (docs/simulator.md "Where routed messages are
// lost"). Runs the scenario in-process once per seed, listens on the medium, follows every
// traffic message (Ping requests and the run's blobs, told apart by their Package; control
// traffic is skipped) hop by hop, and names for each lost one the last thing that happened to it:
//   refused    the source refused it at once (the report's send_failed, by error code)
//   no_frame   accepted by the source but no frame of it went on air (held in its queue)
//   loop       a node on the path by which the message first reached the sender received it again
//   held       its last holder received it and sent nothing on: dropped there (no route, local
//              minimum, queue...), split by whether that node was in the target's tree or in
//              another one (cross-tree routing through borders: docs/routing.md "Any diameter")
// `holder counters`: the drop counters that rose at the last holder as the message arrived, for
// every lost message its holder kept (held, late, or a loop's last node).
//   radio      its last holder sent it and no copy arrived: the last frame's outcome (loss,
//              collision, queue, cut, range, asleep, down, mtu)
//   late       held (no drop) by a node it reached in the run's last 5 s: perhaps still on its way
// `--examples N` prints N lost messages with their last hops and, for the last holder, its
// neighbours' addresses in the target's tree as it held the message. Usage:
//   node scripts/route-losses.mjs --scenario NAME|FILE [--seeds 1,2] [--json] [--examples N]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { hopColumns, loadScenarioArg, seedsArg } from './lib/message-trace.mjs';
import { routeTracer } from './lib/route-trace.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/route-losses.mjs --scenario NAME|FILE [--seeds N,N] [--json] [--examples N]';
const { values } = parseCli(usage, {
  scenario: { type: 'string' },
  seeds: { type: 'string' },
  json: { type: 'boolean' },
  examples: { type: 'string', default: '0' },
});
if (!values.scenario) {
  console.error(usage);
  process.exit(2);
}
const { loadScenarioFile } = await importTs(join(root, 'simulator/scenario/load.ts'));
const traceRouteLosses = routeTracer({
  ...(await importTs(join(root, 'simulator/runner/run.ts'))),
  ...(await importTs(join(root, 'simulator/runner/inproc-driver.ts'))),
  ...(await importTs(join(root, 'simulator/platform/hash-memo.ts'))),
  ...(await importTs(join(root, 'simulator/platform/node-hashes.ts'))),
  ...(await importTs(join(root, 'modules/mycelium/wire/packet.ts'))),
  ...(await importTs(join(root, 'modules/mycelium/wire/address.ts'))),
  ...(await importTs(join(root, 'simulator/runner/sim-node.ts'))),
  ...(await importTs(join(root, 'modules/mycelium/wire/messages/ping.ts'))),
});
const scenario = loadScenarioArg(root, loadScenarioFile, values.scenario);
const examples = Math.max(0, Number(values.examples) || 0);
const rows = [];
for (const seed of seedsArg(values.seeds, scenario)) rows.push(await traceRouteLosses({ ...scenario, seed }, { examples }));

if (values.json) console.log(JSON.stringify(rows, null, 1));
else {
  console.log(`${scenario.name}: where the lost routed messages were lost (node scripts/route-losses.mjs)`);
  console.log('seed  delivered         lost  refused  no_frame  loop  held: target tree / other tree  radio  late  by hop (1, 2, 3, 4+)');
  for (const r of rows) {
    const hops = hopColumns(r.lost_on_hop);
    const refused = Object.values(r.refused).reduce((a, b) => a + b, 0);
    const radio = Object.values(r.radio).reduce((a, b) => a + b, 0);
    const delivered = `${r.delivered}/${r.sent} ${r.delivered_pct.toFixed(1)} %`;
    console.log(`${String(r.seed).padEnd(6)}${delivered.padEnd(18)}${String(r.lost).padEnd(6)}${String(refused).padEnd(9)}${String(r.no_frame).padEnd(10)}${String(r.loop).padEnd(6)}${`${r.held_in_target_tree} / ${r.held_in_other_tree}`.padEnd(32)}${String(radio).padEnd(7)}${String(r.late).padEnd(6)}${hops.join(' / ')}`);
  }
  for (const r of rows) {
    const detail = [];
    if (Object.keys(r.refused).length > 0) detail.push(`refused ${JSON.stringify(r.refused)}`);
    if (Object.keys(r.radio).length > 0) detail.push(`radio ${JSON.stringify(r.radio)}`);
    if (Object.keys(r.holder_counters).length > 0) detail.push(`holder counters ${JSON.stringify(r.holder_counters)}`);
    if (detail.length > 0) console.log(`seed ${r.seed}: ${detail.join('; ')}`);
    for (const x of r.examples) {
      console.log(`  lost (${x.class}) ${x.src} → ${x.dst} target ${x.target}, ${x.frames} frames, path ${x.path.join(' > ')}; last hops: ${x.last_hops.map((f) => `${(f.time_ms / 1000).toFixed(1)} s ${f.from} ${f.from_address} → ${f.to} ${f.to_address} ${f.outcome}`).join(' | ')}`);
      for (const f of x.last_hops) if (f.border) console.log(`    at ${f.to}: ${f.border}`);
      console.log(`    holder ${x.holder.index} ${x.holder.address}; neighbours in tree ${x.target.split(':')[0]}: ${x.holder.neighbours.join(' ') || 'none'}`);
    }
  }
}
