#!/usr/bin/env node
// Where a full node's 0-peer heap goes on XS (issue 21): one xsnap-worker builds the Packager's
// parts, a Node and the standard apps one step at a time (bench/memory-steps.ts), starts the node
// and lets it run alone, and the live heap is weighed after each step (same accounting as
// scripts/bench-memory.mjs: ESP32-equivalent bytes). A guide for shrinking it, not a target.
//
//   node scripts/bench-memory-steps.mjs
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { esp32Bytes as esp32, openXS, xsnapAvailable, xsnapWorkerPath } from '../simulator/xs/xsnap.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!xsnapAvailable()) {
  console.log(`Memory steps: SKIPPED — xsnap-worker not found at ${xsnapWorkerPath()}`);
  process.exit(0);
}
const script = await bundleForXS(join(root, 'bench/memory-steps.ts'));
const session = await openXS(script, { name: 'mycelium-memory-steps' });
try {
  const steps = JSON.parse((await session.run('steps')).output);
  let last = esp32(await session.heap());
  let node = 0;
  console.log('| step (cumulative, one worker) | ESP32-equivalent added | slots | chunks |');
  console.log('| --- | ---: | ---: | ---: |');
  let prev = await session.heap();
  for (const step of steps) {
    await session.run(step);
    const h = await session.heap();
    const bytes = esp32(h);
    if (step !== 'setup' && step.startsWith('Node')) node = last;
    console.log(`| ${step} | ${(bytes - last).toLocaleString('en-US')} B | ${h.slots - prev.slots} | ${h.chunks - prev.chunks} |`);
    last = bytes;
    prev = h;
  }
  console.log(`| the node from "Node …" on (the 0-peer figure's counterpart) | ${(last - node).toLocaleString('en-US')} B | | |`);
  console.log(`(timers pending at the end: ${(await session.run('timers')).output}.) Command: node scripts/bench-memory-steps.mjs`);
} finally {
  await session.close();
}
