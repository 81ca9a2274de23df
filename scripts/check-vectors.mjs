#!/usr/bin/env node
// Conformance runner: checks every case of every category of a vectors file (the format of
// tests/vectors/upstream-vectors.json) against our implementation, on Node or inside the XS
// engine (xsnap), and ends with one line "N passed, M failed" (exit 1 on any failure).
//
//   node scripts/check-vectors.mjs [--engine node|xs] [--all-failures] <vectors.json>
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { bundleForXS } from '../simulator/xs/bundle.mjs';
import { runInXS, xsnapAvailable } from '../simulator/xs/xsnap.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';
import { parseCli } from './lib/cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: node scripts/check-vectors.mjs [--engine node|xs] [--all-failures] <vectors.json>';

const args = parseCli(usage, { engine: { type: 'string', default: 'node' }, 'all-failures': { type: 'boolean' } }, { allowPositionals: true });
const [file] = args.positionals;
const engine = args.values.engine;
if (!file || args.positionals.length > 1 || !['node', 'xs'].includes(engine)) {
  console.error(usage);
  process.exit(2);
}

let text;
try {
  text = readFileSync(file, 'utf8');
} catch (e) {
  console.error(`cannot read ${file}: ${e.message}`);
  process.exit(2);
}

async function onNode() {
  const mod = await importTs(join(root, 'tests/conformance/node-entry.ts'));
  return mod.run(text);
}

async function onXS() {
  if (!xsnapAvailable()) {
    console.error('xsnap-worker is not built (node_modules/@agoric/xsnap); run `npm ci` with install scripts allowed');
    process.exit(2);
  }
  const script = await bundleForXS(join(root, 'tests/conformance/xs-entry.ts'));
  return JSON.parse(await runInXS(script, text));
}

const started = Date.now();
const report = engine === 'xs' ? await onXS() : await onNode();
const ms = Date.now() - started;

console.log(`conformance on ${engine === 'xs' ? 'XS (xsnap-worker)' : `Node ${process.version}`}: ${file}`);
for (const [name, t] of Object.entries(report.categories)) {
  console.log(`  ${name.padEnd(16)} ${String(t.passed).padStart(5)} passed ${t.failed ? `${t.failed} FAILED` : ''}`);
}
const shown = args.values['all-failures'] ? report.failures : report.failures.slice(0, 20);
for (const f of shown) console.log(`  FAIL ${f.category}[${f.index}]: ${f.message}`);
if (shown.length < report.failures.length) console.log(`  … ${report.failures.length - shown.length} more (--all-failures)`);
console.log(`  ${report.deliberate} of the passes are deliberate differences from upstream (see README, Compatibility); ${ms} ms`);
console.log(`${report.passed} passed, ${report.failed} failed`);
process.exit(report.failed ? 1 : 0);
