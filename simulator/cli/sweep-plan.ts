/**
 * What `mycelium-sim sweep` will run: the scenario with each combination of the `--param` values
 * set at their dotted paths, times each seed. Every combination is validated before anything runs,
 * so a typo in a path or a value out of range is one line and exit 2, not a failure at point 37.
 */
import { dirname } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseScenario } from '../scenario/load.js';

export interface SweepParam {
  /** Dotted path into the scenario JSON, array indexes as numbers: `traffic.0.interval_ms`. */
  readonly path: string;
  readonly values: readonly unknown[];
}

export interface SweepPoint {
  /** Position in the plan (combination-major, then seed). */
  readonly index: number;
  /** Index of its parameter combination. */
  readonly combo: number;
  readonly values: readonly unknown[];
  readonly seed: number;
  /** The scenario with this combination's values, as JSON text (what a worker loads). */
  readonly scenarioText: string;
  /** File name of its report, e.g. `line-3_range=80_seed1.json`. */
  readonly reportName: string;
}

export interface SweepPlan {
  readonly name: string;
  /** Where the scenario's module apps' relative paths start. */
  readonly baseDir: string;
  readonly params: readonly SweepParam[];
  readonly combos: readonly (readonly unknown[])[];
  readonly points: readonly SweepPoint[];
}

/** `radio.range=80,100` → { path, values: [80, 100] }; each value read as JSON when it parses, else as a string. */
export function parseParam(arg: string): SweepParam {
  const eq = arg.indexOf('=');
  const path = eq < 0 ? '' : arg.slice(0, eq);
  if (!/^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/.test(path)) {
    throw new Error(`--param "${arg}": must be PATH=V1,V2,… with PATH a dotted path into the scenario (e.g. radio.range=80,100)`);
  }
  const text = arg.slice(eq + 1);
  if (text === '') throw new Error(`--param "${arg}": no values after "="`);
  const values = splitValues(text).map(jsonOrString);
  return { path, values };
}

/** Commas split values, except inside brackets or braces (`node_options.all.x=[1,2],[3]`). */
function splitValues(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

function jsonOrString(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

/** `1-5`, `1,4,9` or a mix (`1-3,10`); unsigned 32-bit integers, at most 10000 of them. */
export function parseSeeds(text: string): number[] {
  const seeds: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    const lo = m ? Number(m[1]) : NaN;
    const hi = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || lo > hi || hi > 0xffffffff) throw new Error(`--seeds "${text}": must be a list of seeds or ranges such as 1-5 or 1,4,9`);
    if (seeds.length + hi - lo + 1 > 10000) throw new Error(`--seeds "${text}": more than 10000 seeds`);
    for (let s = lo; s <= hi; s++) seeds.push(s);
  }
  return seeds;
}

/** Set `value` at `path` in a copy of `json`; missing objects on the way are created, arrays must have the index. */
export function setAt(json: unknown, path: string, value: unknown): unknown {
  const root = structuredClone(json);
  const keys = path.split('.');
  let node = root as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    if (Array.isArray(node) && !(/^\d+$/.test(key) && Number(key) < node.length)) {
      throw new Error(`--param ${path}: "${keys.slice(0, i).join('.')}" is a list of ${node.length}, no index "${key}"`);
    }
    if (i === keys.length - 1) {
      node[key] = value;
      break;
    }
    const next = node[key];
    if (next === undefined) node[key] = {};
    else if (typeof next !== 'object' || next === null) throw new Error(`--param ${path}: "${keys.slice(0, i + 1).join('.')}" is ${JSON.stringify(next)}, not an object`);
    node = node[key] as Record<string, unknown>;
  }
  return root;
}

function product(params: readonly SweepParam[]): unknown[][] {
  let combos: unknown[][] = [[]];
  for (const p of params) combos = combos.flatMap((c) => p.values.map((v) => [...c, v]));
  return combos;
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9._=-]+/g, '_').slice(0, 60);
}

/** Throws an Error with one line naming the combination and the problem. */
export function planSweep(scenarioPath: string, params: readonly SweepParam[], seeds: readonly number[] | undefined): SweepPlan {
  let text: string;
  try {
    text = readFileSync(scenarioPath, 'utf8');
  } catch (e) {
    throw new Error(`${scenarioPath}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const baseDir = dirname(scenarioPath);
  const base = parseScenario(text, scenarioPath, baseDir);
  if (!base.ok) throw new Error(base.errors.join('; '));
  const json = JSON.parse(text) as unknown;
  const name = base.scenario.name;
  // Default: five seeds from the scenario's own.
  const seedList = seeds ?? [0, 1, 2, 3, 4].map((k) => (base.scenario.seed + k) >>> 0);
  const combos = product(params);
  const points: SweepPoint[] = [];
  combos.forEach((values, combo) => {
    let scenario = json;
    params.forEach((p, k) => (scenario = setAt(scenario, p.path, values[k])));
    const scenarioText = JSON.stringify(scenario);
    const label = params.map((p, k) => `${p.path}=${JSON.stringify(values[k])}`).join(' ');
    const checked = parseScenario(scenarioText, `${name} with ${label || 'no parameters'}`, baseDir);
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    const tag = params.map((p, k) => `_${p.path.split('.').pop()}=${fileSafe(typeof values[k] === 'string' ? (values[k] as string) : JSON.stringify(values[k]))}`).join('');
    for (const seed of seedList) {
      points.push({ index: points.length, combo, values, seed, scenarioText, reportName: `${fileSafe(name)}${tag}_seed${seed}.json` });
    }
  });
  return { name, baseDir, params, combos, points };
}
