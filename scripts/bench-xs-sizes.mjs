#!/usr/bin/env node
// What the building blocks of the node's tables cost on XS (issue 21), ESP32-equivalent bytes
// each: 64 of a kind are made in a fresh xsnap-worker (bench/xs-sizes.ts) and the live heap, read
// from a snapshot after a full collection, is compared with a worker that keeps what they are
// kept in (a list of 64 numbers; nothing, for Map entries; an empty cache, for the cache).
// Same accounting as scripts/bench-memory.mjs. Not part of `npm run bench`: a guide, not a target.
//
//   node scripts/bench-xs-sizes.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { esp32Bytes as esp32, openXS, xsnapAvailable, xsnapWorkerPath } from '../simulator/xs/xsnap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const COUNT = 64;
if (!xsnapAvailable()) {
  console.log(`XS sizes: SKIPPED — xsnap-worker not found at ${xsnapWorkerPath()}`);
  process.exit(0);
}
const script = await bundleForXS(join(root, 'bench/xs-sizes.ts'));

async function weigh(input) {
  const session = await openXS(script, { name: 'mycelium-xs-sizes' });
  try {
    const { output } = await session.run(input);
    return { output, bytes: esp32(await session.heap()) };
  } finally {
    await session.close();
  }
}

const kinds = JSON.parse((await weigh('kinds')).output);
const nothing = (await weigh('nothing')).bytes;
const list = (await weigh('list')).bytes;
const rows = [];
for (const kind of kinds.filter((k) => k !== 'list')) {
  const base = kind.startsWith('Map entry') ? nothing : list;
  rows.push([kind, ((await weigh(kind)).bytes - base) / COUNT]);
}
// Gossip's cache entries at two message sizes: the part that does not grow with the message is
// what GOSSIP_ENTRY_OVERHEAD (apps/gossip-cache.ts) charges each entry against `cache_bytes`.
const GOSSIP_ENTRY_OVERHEAD = Number((await weigh('gossip entry overhead')).output);
const emptyCache = (await weigh('gossip cache, empty')).bytes;
const entry107 = ((await weigh('gossip cache')).bytes - emptyCache) / COUNT;
const entry1000 = ((await weigh('gossip cache, 1000-byte messages')).bytes - emptyCache) / COUNT;
rows.push(['Gossip cache entry, 107-byte message (message included)', entry107]);
rows.push(['Gossip cache entry, 1000-byte message (message included)', entry1000]);
rows.push(['Packager event pending (scheduler entry, its handler closing over a variable, a 2-field timer handle; the timer callback is the scheduler\'s shared one)', ((await weigh('events')).bytes - (await weigh('events, none')).bytes) / COUNT]);
rows.push([`Gossip cache entry less its message (107 B / 1000 B; charged: ${GOSSIP_ENTRY_OVERHEAD} B)`, Math.max(entry107 - 107, entry1000 - 1000)]);

console.log('\n| one of (XS, ESP32-equivalent, 64 weighed) | bytes each |');
console.log('| --- | ---: |');
console.log(`| item of an array | ${((list - nothing) / COUNT).toFixed(0)} B |`);
for (const [kind, bytes] of rows) console.log(`| ${kind} | ${bytes.toFixed(0)} B |`);
console.log('Command: node scripts/bench-xs-sizes.mjs. Slots × 16 B; chunks less 8 B a header; array items and table pointers at 64-bit width (upper bounds).');
