// What lora-losses.mjs and route-losses.mjs share: finding the scenario, and reading one traced
// message's frames (each { from, to, outcome }, in the order the medium settled them) for the
// node that held it last and the hop it was lost on.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The scenario named (simulator/scenarios/NAME.json) or at FILE; exits 2 when it is not one. */
export function loadScenarioArg(root, loadScenarioFile, nameOrFile) {
  const file = existsSync(nameOrFile) ? nameOrFile : join(root, 'simulator', 'scenarios', `${nameOrFile}.json`);
  const loaded = loadScenarioFile(file);
  if (!loaded.scenario) {
    console.error(`${file}: not a scenario`);
    process.exit(2);
  }
  return loaded.scenario;
}

/** `--seeds 1,2` as numbers, else the scenario's own seed. */
export function seedsArg(text, scenario) {
  return text ? text.split(',').map(Number) : [scenario.seed];
}

/**
 * The last node that received the message (its source when no copy arrived anywhere), the frames
 * that node sent of it (after which it was lost), and the hop that did not happen (1: the
 * source's own frame; distinct receivers + 1).
 */
export function lastHolder(frames, src) {
  const received = frames.filter((f) => f.outcome === 'delivered');
  const holder = received.length > 0 ? received[received.length - 1].to : src;
  const sent = frames.filter((f) => f.from === holder);
  return { holder, sent, hop: new Set(received.map((f) => f.to)).size + 1 };
}

/** Messages lost on hop 1, 2, 3 and 4 or later, from `{ hop: count }`: the tables' last column. */
export function hopColumns(lostOnHop) {
  const later = Object.entries(lostOnHop).filter(([k]) => Number(k) >= 4).reduce((a, [, v]) => a + v, 0);
  return [lostOnHop[1] ?? 0, lostOnHop[2] ?? 0, lostOnHop[3] ?? 0, later];
}
