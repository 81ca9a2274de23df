#!/usr/bin/env node
// Memory benchmark (not a test), part of `npm run bench`: the live XS heap of a full node (the
// standard apps: upstream's five and Hello) with 0, 16, 32 and 64 peers, each with a route, in
// ESP32-equivalent bytes, as a slope per peer+route and an intercept, beside the targets of
// issue 21. Each figure comes from its own xsnap-worker: one snapshot with no node (the baseline:
// code and harness, which a device keeps in flash after preload), one per star (bench/memory-star.ts).
// A snapshot is taken after a full collection and holds the live slots and chunks exactly.
//
// ESP32-equivalent: slots × 16 B (xsnap's are 32 B); chunks at their 64-bit size less 8 B per chunk
// header (16 B on 64-bit, 8 B on ESP32), and less half the data of the chunks that hold slots or
// slot pointers (an array's items, a Map's or Set's table: `wideBytes`, simulator/xs/xsnap.mjs),
// which are half as wide on ESP32. Until session 25 those were counted at 64-bit width.
//
// The per-peer target is judged on a steady star (`--steady`): the centre capped at N peers (so the
// columns its key index sizes to the cap are sized to the star), run 9 simulated minutes (the
// routes of the leaves' first addresses have lapsed: one route a peer) at 32 and 64 peers, where
// its capped caches are in use at both sizes: the difference per peer is what one more neighbour
// with its route costs. The 30-s rows show the full node from its first peer on, where the
// caches that traffic fills (Gossip's messages, the packet and event caches) fill as soon as it
// has anybody to talk to: their least-squares slope over 0–64 peers is mostly those caches.
//
//   node scripts/bench-memory.mjs [--peers 0,16,32,64] [--seconds 30] [--steady 32,64]
//     [--steady-seconds 540] [--out FILE] [--parts]
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { esp32Bytes, openXS, xsnapAvailable, xsnapWorkerPath } from '../simulator/xs/xsnap.mjs';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/bench-memory.mjs [--peers 0,16,32,64] [--seconds 30] [--steady 32,64] [--steady-seconds 540] [--out FILE] [--parts]';
const args = parseCli(usage, {
  peers: { type: 'string', default: '0,16,32,64' },
  seconds: { type: 'string', default: '30' },
  steady: { type: 'string', default: '32,64' },
  'steady-seconds': { type: 'string', default: '540' },
  out: { type: 'string' },
  parts: { type: 'boolean', default: false },
});
const PEERS = args.values.peers.split(',').map(Number);
const SECONDS = Number(args.values.seconds);
const STEADY = args.values.steady ? args.values.steady.split(',').map(Number) : [];
const STEADY_SECONDS = Number(args.values['steady-seconds']);
if (PEERS.some((n) => !Number.isInteger(n) || n < 0) || !(SECONDS > 0) || !(STEADY_SECONDS > 0) || (STEADY.length && (STEADY.length !== 2 || !(STEADY[1] > STEADY[0] && STEADY[0] > 0)))) {
  console.error(usage);
  process.exit(2);
}
/** Issue 21's targets, bytes. */
const TARGET = { perPeer: 300, moonshot: 166, empty: 20 * 1024 };
const ESP32 = { slot: 16, chunkHeader: 8 };
const progress = (line) => process.stderr.write(`${line}\n`);

if (!xsnapAvailable()) {
  console.log(`Memory benchmark: SKIPPED — xsnap-worker not found at ${xsnapWorkerPath()}`);
  process.exit(0);
}
const script = await bundleForXS(join(root, 'bench/memory-entry.ts'));

/**
 * Heap of one fresh worker after `request`; with `forget`, also after the centre has forgotten
 * its peers and routes (`afterForget`): the difference is what the peer and route tables hold.
 */
async function weigh(request, forget = false) {
  const session = await openXS(script, { name: 'mycelium-memory', timeoutMs: 20 * 60_000 });
  try {
    const answer = JSON.parse((await session.run(JSON.stringify(request))).output);
    const heap = await session.heap();
    if (!forget) return { ...answer, heap };
    await session.run(JSON.stringify({ op: 'forget' }));
    return { ...answer, heap, afterForget: await session.heap() };
  } finally {
    await session.close();
  }
}

const esp32 = esp32Bytes;

const base = await weigh({ op: 'none' });
const rows = [];
const minus = (a, b) => ({ slots: a.slots - b.slots, chunkBytes: a.chunkBytes - b.chunkBytes, chunks: a.chunks - b.chunks, wideBytes: a.wideBytes - b.wideBytes });
for (const peers of PEERS) {
  const r = await weigh({ op: 'star', peers, seconds: SECONDS }, true);
  const d = minus(r.heap, base.heap);
  // Freed by forgetting the peers and routes: the tables that grow with them.
  const freed = esp32(minus(r.heap, r.afterForget));
  const row = { peers, peersKnown: r.peers, routes: r.routes, timers: r.timers, xsMs: Math.round(r.ms), ...d, esp32Bytes: esp32(d), tablesBytes: freed, restBytes: esp32(d) - freed, fill: r.tables };
  rows.push(row);
  progress(`[memory] ${peers} peers: ${r.peers} peers and ${r.routes} routes known, ${d.slots} slots + ${d.chunkBytes} B chunks (lin) → ${row.esp32Bytes} B ESP32-equivalent, ${freed} B of it freed by forgetting peers and routes (star run ${(r.ms / 1000).toFixed(1)} s in XS)`);
}

// The steady star (see the head of this file): what one more neighbour with its route costs.
const steady = [];
for (const peers of STEADY) {
  const r = await weigh({ op: 'star', peers, seconds: STEADY_SECONDS, sized: true });
  const bytes = esp32(minus(r.heap, base.heap));
  steady.push({ peers, routes: r.routes, esp32Bytes: bytes, xsMs: Math.round(r.ms), fill: r.tables });
  progress(`[memory] steady star, ${peers} peers (capped at ${peers}), ${STEADY_SECONDS} s: ${r.peers} peers and ${r.routes} routes known, ${bytes} B ESP32-equivalent (star run ${(r.ms / 1000).toFixed(1)} s in XS)`);
}

// The Packager's tables alone (bench/memory-table.ts): peers told directly, no apps, no traffic.
const TABLE_PEERS = 64;
const tables = {};
for (const hello of [false, true]) {
  const empty = await weigh({ op: 'tables', peers: 0, hello });
  const full = await weigh({ op: 'tables', peers: TABLE_PEERS, hello });
  tables[hello ? 'hello' : 'plain'] = esp32(minus(full.heap, empty.heap)) / TABLE_PEERS;
}
progress(`[memory] Packager tables alone: ${Math.round(tables.plain)} B per peer+route, ${Math.round(tables.hello)} B with a link estimate`);
// The same split into a peer with its link (no route) and a route to a non-neighbour.
{
  const empty = await weigh({ op: 'tables', peers: 0, hello: false });
  for (const rows of ['peer', 'route']) tables[rows] = esp32(minus((await weigh({ op: 'tables', peers: TABLE_PEERS, hello: false, rows })).heap, empty.heap)) / TABLE_PEERS;
  progress(`[memory] Packager tables alone: ${Math.round(tables.peer)} B a peer with its link, ${Math.round(tables.route)} B a route to a non-neighbour`);
}

// --parts: where the 0-peer figure goes — a bare Packager, and each standard app as built.
const parts = [];
if (args.values.parts) {
  parts.push({ part: 'Packager, one radio, no peers (bench/memory-table.ts)', bytes: esp32(minus((await weigh({ op: 'tables', peers: 0, hello: false })).heap, base.heap)) });
  // Each app in its own worker, less a worker that only ran SHA-256 once (as each app worker does).
  const hashed = (await weigh({ op: 'app', name: 'none' })).heap;
  for (const name of ['Beacon', 'Gossip', 'SpanningTree', 'Ping', 'DebugApp', 'Hello']) {
    const r = await weigh({ op: 'app', name });
    if (!r.found) throw new Error(`no standard app ${name}`);
    parts.push({ part: `${name}, built (not started)`, bytes: esp32(minus(r.heap, hashed)) });
  }
  for (const p of parts) progress(`[memory] part: ${p.part}: ${p.bytes} B`);
}

/** Least squares y = a + b·x. */
function fit(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx ? sxy / sxx : 0;
  return { slope, intercept: my - slope * mx };
}

const x = rows.map((r) => r.peers);
const total = fit(x, rows.map((r) => r.esp32Bytes));
const perTables = fit(x, rows.map((r) => r.tablesBytes));
const perRoute = fit(rows.map((r) => r.peers + r.routes), rows.map((r) => r.tablesBytes));
const slots = fit(x, rows.map((r) => r.slots));
const chunks = fit(x, rows.map((r) => r.chunkBytes - r.chunks * (16 - ESP32.chunkHeader) - r.wideBytes));
const n = (v) => Math.round(v).toLocaleString('en-US');
const kb = (v) => `${(v / 1024).toFixed(1)} KB`;
const mark = (ok) => (ok ? '✓' : '✗');

console.log(`\nMemory on XS (xsnap-worker, live heap after a full collection, full node: ${rows.length ? 'standard apps incl. Debug and Hello' : ''}; star run ${SECONDS} s simulated)`);
console.log('| peers (each with a route) | routes known | slots | chunk bytes (lin) | ESP32-equivalent | of which peer + route tables ¹ | the rest: caches, first use ² |');
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.peers} | ${r.routes} | ${n(r.slots)} | ${n(r.chunkBytes)} | ${n(r.esp32Bytes)} B | ${n(r.tablesBytes)} B | ${n(r.restBytes)} B |`);
console.log('¹ freed when the centre forgets its peers and routes (Packager.removePeer / removeRoute; the apps drop theirs on the hooks).');
console.log('² capped tables filled by the star\'s traffic (size/limit at the last row: ' + Object.entries(rows[rows.length - 1]?.fill ?? {}).filter(([, v]) => !v.startsWith('0/')).map(([k, v]) => `${k} ${v}`).join(', ') + '), and what XS makes on first use.');
console.log('');
const zero = rows.find((r) => r.peers === 0);
const [a, b] = rows.slice(-2);
const marginal = rows.length >= 2 ? (b.esp32Bytes - a.esp32Bytes) / (b.peers - a.peers) : NaN;
const [sa, sb] = steady;
const perPeer = steady.length === 2 ? (sb.esp32Bytes - sa.esp32Bytes) / (sb.peers - sa.peers) : NaN;
if (steady.length === 2) {
  console.log(`Steady star: the centre capped at N peers, ${STEADY_SECONDS} s simulated`);
  console.log('| peers | routes known | ESP32-equivalent |');
  console.log('| ---: | ---: | ---: |');
  for (const r of steady) console.log(`| ${r.peers} | ${r.routes} | ${n(r.esp32Bytes)} B |`);
  console.log(`(capped tables at ${sb.peers} peers: ` + Object.entries(sb.fill).filter(([, v]) => !v.startsWith('0/')).map(([k, v]) => `${k} ${v}`).join(', ') + ')');
  console.log('');
}
console.log('| figure | measured (ESP32-equivalent) | target | |');
console.log('| --- | ---: | ---: | --- |');
const routesPerPeer = steady.length === 2 ? (sb.routes - sa.routes) / (sb.peers - sa.peers) : NaN;
if (steady.length === 2) console.log(`| heap per peer+route, full node: steady star, ${sa.peers} → ${sb.peers} peers (${routesPerPeer.toFixed(2)} routes a peer) | ${n(perPeer)} B | ≤ ${TARGET.perPeer} B (moonshot ≤ ${TARGET.moonshot} B) | ${mark(perPeer <= TARGET.perPeer)} |`);
console.log(`| Packager tables alone, per peer + route (${TABLE_PEERS} peers told directly, no apps or traffic: micropycelium's Packager state) | ${n(tables.plain)} B | ≤ ${TARGET.perPeer} B (MicroPython 1.27: ≈ 630 B) | ${mark(tables.plain <= TARGET.perPeer)} |`);
console.log(`| … with Hello's link estimate (our app's; in the full node's figure above) | ${n(tables.hello)} B | | |`);
console.log(`| of which a peer with its link, no route / a route to a node that is not a peer | ${n(tables.peer)} B / ${n(tables.route)} B | | |`);
if (zero) console.log(`| full node, 0 peers (measured after ${SECONDS} s) | ${kb(zero.esp32Bytes)} | ≤ ${kb(TARGET.empty)} | ${mark(zero.esp32Bytes <= TARGET.empty)} |`);
if (rows.length >= 2) console.log(`| ${SECONDS}-s star, ${a.peers} → ${b.peers} peers (peer cap 64: the columns were sized at ${a.peers}; ${((b.routes - a.routes) / (b.peers - a.peers)).toFixed(2)} routes a peer) | ${n(marginal)} B | | |`);
if (rows.length >= 2) console.log(`| ${SECONDS}-s star, least-squares slope over ${rows.map((r) => r.peers).join(', ')} peers (the caches traffic fills, filling) | ${n(total.slope)} B (${n(slots.slope * ESP32.slot)} B slots + ${n(chunks.slope)} B chunks), intercept ${kb(total.intercept)} | | |`);
if (rows.length >= 2) console.log(`| ${SECONDS}-s star, peer + route tables freed per peer (slope; ${((b.routes - a.routes) / (b.peers - a.peers)).toFixed(1)} routes a peer at the end) / per table entry | ${n(perTables.slope)} B / ${n(perRoute.slope)} B | | |`);
console.log(
  `Command: npm run bench (node scripts/bench-memory.mjs). Slots × ${ESP32.slot} B; chunks at 64-bit size less ${16 - ESP32.chunkHeader} B a header; ` +
    'array items and Map/Set table pointers in chunks at ESP32 width (half their 64-bit size). The intercept includes what XS creates on first use.',
);

if (parts.length) {
  console.log('');
  console.log('| part of the 0-peer figure | ESP32-equivalent |');
  console.log('| --- | ---: |');
  for (const p of parts) console.log(`| ${p.part} | ${n(p.bytes)} B |`);
  console.log('(Command: node scripts/bench-memory.mjs --parts. The rest of the full node is the Node, its loopback radio, and what starting and 30 s of running allocate.)');
}

if (args.values.out) {
  writeFileSync(args.values.out, JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, base: base.heap, rows, slope: total.slope, intercept: total.intercept, tablesSlope: perTables.slope, packagerTablesPerPeer: tables, steadySeconds: STEADY_SECONDS, steady, steadyPerPeer: perPeer }, null, 2) + '\n');
}
