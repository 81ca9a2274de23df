#!/usr/bin/env node
// node scripts/lora-capacity.mjs [--scenario lora-20] [--seeds 1,2,3,18] [--max-loss 0.5] [--balance]
// The transmit time per hour no routing can take off the busiest nodes of a LoRa scenario's
// layout (bench/lora-capacity.ts), beside the duty budget: where it is over, the delivery target
// cannot be met on that seed. With --balance, the busiest node's data load on shortest paths and
// on paths spread away from the busiest nodes (bench/lora-balance.ts; links losing ≤ --max-loss,
// here 0.1 unless given).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from './lib/cli.mjs';
import { importTs } from '../simulator/cli/run-ts.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseCli('usage: node scripts/lora-capacity.mjs [--scenario NAME] [--seeds N,N] [--max-loss P]', {
  scenario: { type: 'string' },
  seeds: { type: 'string' },
  'max-loss': { type: 'string' },
  balance: { type: 'boolean' },
});
const name = values.scenario ?? 'lora-20';
const { validateScenario } = await importTs(join(root, 'simulator/scenario/validate.ts'));
const { forcedLoads, deliveryBound } = await importTs(join(root, 'bench/lora-capacity.ts'));
const { routingBalance } = await importTs(join(root, 'bench/lora-balance.ts'));
const raw = JSON.parse(readFileSync(join(root, 'simulator', 'scenarios', `${name}.json`), 'utf8'));
delete raw.$schema;
const v = validateScenario(raw);
if (!v.ok) {
  console.error(v.errors.join('\n'));
  process.exit(2);
}
const maxLoss = Number(values['max-loss'] ?? (values.balance ? 0.1 : 0.5));
const budget = (v.scenario.radio.duty_cycle_limit ?? 0.01) * 3_600_000;
if (values.balance) {
  const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`${name}: busiest node's data airtime an hour, links losing ≤ ${maxLoss * 100} %, budget ${s(budget)} (no upkeep, retries or collisions)`);
  for (const seed of (values.seeds ?? String(v.scenario.seed)).split(',').map(Number)) {
    const b = routingBalance(v.scenario, seed, maxLoss);
    const row = (r) => `n${r.busiest} ${s(r.maxMsPerHour)}${r.maxMsPerHour > budget ? ' OVER' : ''}, ${r.meanHops.toFixed(2)} hops`;
    console.log(`seed ${seed}: shortest paths ${row(b.shortest)}; spread ${row(b.balanced)}${b.unroutable ? `; ${b.unroutable} flows unroutable` : ''}`);
  }
  process.exit(0);
}
for (const seed of (values.seeds ?? String(v.scenario.seed)).split(',').map(Number)) {
  const top = forcedLoads(v.scenario, seed, maxLoss).slice(0, 3);
  const over = top.filter((l) => l.msPerHour > budget);
  const perHour = v.scenario.traffic.reduce((a, t) => a + (t.pairs?.length ?? 0) * (3_600_000 / (t.interval_ms ?? 60_000)), 0);
  const bound = Math.min(...top.map((l) => deliveryBound(l, budget, perHour)));
  const row = top.map((l) => `n${l.node} ${(l.msPerHour / 1000).toFixed(1)} s (${l.crossing} flows must cross it)`).join(', ');
  console.log(`${name} seed ${seed}, links losing ≤ ${maxLoss * 100} %: ${row}; budget ${(budget / 1000).toFixed(0)} s${over.length ? ` — OVER: at most ${(bound * 100).toFixed(1)} % can be delivered` : ''}`);
}
