/**
 * Scenario validation: JSON value in, a normalised `Scenario` or a list of errors out. Each
 * error names the field path and says what was expected and what was found, e.g.
 * `topology.grid.rows: must be an integer ≥ 1, got "7"`. Never throws, whatever the input.
 * Every problem is reported at once (not only the first), and unknown fields are errors too,
 * so a typo like `duraton_ms` does not silently fall back to a default.
 */
import { ROOT_WORK_FLOOR_BITS } from '../../modules/mycelium/signed/root-work.js';
import type { InterfaceKind } from '../medium/profiles.js';
import { simAppNames } from '../mods/registry.js';
import { RADIO_POWER_FIELDS, radioPowerDefaults, readRadioPower } from './radio-power.js';
import { checkNodeOptions } from './node-options.js';
import { expandRandomDown, MAX_RANDOM_DOWN_EVENTS, randomDownEventCount, type RandomDownSpec } from './churn-random.js';
import type {
  AppAssignment,
  ChurnEvent,
  ConsoleCommandSpec,
  ExtraRadioSpec,
  EdgeSpec,
  LinkSpec,
  Metric,
  Point,
  PowerOn,
  RadioSpec,
  Scenario,
  SleepWindow,
  ReportSpec,
  Topology,
  TrafficKind,
  TrafficSpec,
} from './types.js';
import { bucketMsProblem, DEFAULT_BUCKET_MS } from './report-spec.js';
import { readHostile } from '../adversary/spec.js';

export type ValidationResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

/** Nodes power on at random times in [0, this) unless the scenario says otherwise. */
export const DEFAULT_SPREAD_MS = 1000;

/** Largest node count a scenario may ask for (the grid keys and MACs allow far more). */
export const MAX_NODES = 100_000;
const MAX_MS = 366 * 24 * 3600 * 1000;

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  try {
    const s = JSON.stringify(v);
    if (s === undefined) return typeof v;
    return s.length > 40 ? `${s.slice(0, 37)}...` : s;
  } catch {
    return typeof v;
  }
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Collects errors while reading fields; each reader returns a usable fallback on error. */
class Checker {
  readonly errors: string[] = [];

  fail(path: string, what: string, got: unknown): void {
    this.errors.push(`${path}: ${what}, got ${show(got)}`);
  }

  object(path: string, v: unknown, allowed: readonly string[]): Obj | undefined {
    if (!isObj(v)) {
      this.fail(path, 'must be an object', v);
      return undefined;
    }
    for (const k of Object.keys(v)) {
      if (!allowed.includes(k)) this.errors.push(`${path ? `${path}.` : ''}${k}: unknown field (expected one of ${allowed.join(', ')})`);
    }
    return v;
  }

  int(path: string, v: unknown, min: number, max: number, fallback: number): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      this.fail(path, max >= Number.MAX_SAFE_INTEGER ? `must be an integer ≥ ${min}` : `must be an integer in ${min}..${max}`, v);
      return fallback;
    }
    return v;
  }

  num(path: string, v: unknown, min: number, max: number, fallback: number, minExclusive = false): number {
    const low = minExclusive ? `> ${min}` : `≥ ${min}`;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (minExclusive && v === min) || v > max) {
      this.fail(path, max === Infinity ? `must be a number ${low}` : `must be a number ${low} and ≤ ${max}`, v);
      return fallback;
    }
    return v;
  }

  bool(path: string, v: unknown, fallback: boolean): boolean {
    if (v === undefined) return fallback;
    if (typeof v !== 'boolean') {
      this.fail(path, 'must be true or false', v);
      return fallback;
    }
    return v;
  }

  str(path: string, v: unknown, maxLen: number): string {
    if (typeof v !== 'string' || v.length === 0 || v.length > maxLen) {
      this.fail(path, `must be a non-empty string of at most ${maxLen} characters`, v);
      return '';
    }
    return v;
  }

  oneOf<T extends string>(path: string, v: unknown, options: readonly T[], fallback: T): T {
    if (typeof v !== 'string' || !(options as readonly string[]).includes(v)) {
      this.fail(path, `must be one of ${options.map((o) => `"${o}"`).join(', ')}`, v);
      return fallback;
    }
    return v as T;
  }

  array(path: string, v: unknown, maxLen = 1_000_000): unknown[] {
    if (!Array.isArray(v)) {
      this.fail(path, 'must be an array', v);
      return [];
    }
    if (v.length > maxLen) {
      this.fail(path, `must have at most ${maxLen} entries`, `${v.length} entries`);
      return [];
    }
    return v;
  }

  node(path: string, v: unknown, n: number): number {
    return this.int(path, v, 0, Math.max(n - 1, 0), 0);
  }

  point(path: string, v: unknown): Point {
    if (!Array.isArray(v) || v.length !== 2) {
      this.fail(path, 'must be [x, y]', v);
      return [0, 0];
    }
    return [this.num(`${path}[0]`, v[0], -1e9, 1e9, 0), this.num(`${path}[1]`, v[1], -1e9, 1e9, 0)];
  }

  /** Exactly one of `keys` must be present in `o`. */
  variant(path: string, o: Obj, keys: readonly string[]): string | undefined {
    const present = keys.filter((k) => o[k] !== undefined);
    if (present.length !== 1) {
      this.errors.push(`${path}: must have exactly one of ${keys.join(', ')}, got ${present.length ? present.join(' and ') : 'none'}`);
      return undefined;
    }
    return present[0];
  }
}

const TOP_FIELDS = [
  '$schema',
  'name',
  'description',
  'seed',
  'duration_ms',
  'interface',
  'radio',
  'topology',
  'links',
  'churn',
  'power_on',
  'sleep',
  'traffic',
  'apps',
  'commands',
  'node_options',
  'report',
  'hostile',
  'security',
  'radios',
] as const;

export function validateScenario(input: unknown): ValidationResult {
  try {
    return check(input);
  } catch (e) {
    // Only exotic values (a Proxy, a throwing getter) get here: JSON.parse output never does.
    return { ok: false, errors: [`(top level): cannot be read as a scenario (${String(e)})`] };
  }
}

function check(input: unknown): ValidationResult {
  const c = new Checker();
  const root = c.object('', input, TOP_FIELDS);
  if (!root) return { ok: false, errors: ['(top level): must be a JSON object'] };

  const name = c.str('name', root.name, 100);
  const description = root.description === undefined ? '' : c.str('description', root.description, 2000);
  const seed = root.seed === undefined ? 1 : c.int('seed', root.seed, 0, 0xffffffff, 1);
  const duration_ms = c.int('duration_ms', root.duration_ms, 1, MAX_MS, 1);
  const iface = root.interface === undefined ? 'espnow' : c.oneOf('interface', root.interface, ['espnow', 'rylr998'] as const, 'espnow');
  const radio = readRadio(c, root.radio, iface);
  const { topology, nodes } = readTopology(c, root.topology);
  const links = root.links === undefined ? [] : c.array('links', root.links).map((l, i) => readLink(c, `links[${i}]`, l, nodes));
  const entries = root.churn === undefined ? [] : c.array('churn', root.churn).map((e, i) => readChurn(c, `churn[${i}]`, e, nodes, duration_ms));
  checkPartitionNames(c, entries);
  // random_down entries stand for many node_down/node_up events: expand them once here.
  const churn = entries.flatMap((e, i) => (e.action === 'random_down' ? expandRandomDown(e, nodes, seed, i, duration_ms) : [e]));
  const power_on = readPowerOn(c, root.power_on, nodes, duration_ms);
  const sleep = root.sleep === undefined ? [] : c.array('sleep', root.sleep).map((s, i) => readSleep(c, `sleep[${i}]`, s, nodes));
  const traffic =
    root.traffic === undefined ? [] : c.array('traffic', root.traffic).map((t, i) => readTraffic(c, `traffic[${i}]`, t, nodes, duration_ms));
  const apps = root.apps === undefined ? [] : readApps(c, root.apps, nodes);
  const commands =
    root.commands === undefined ? [] : c.array('commands', root.commands, MAX_COMMANDS).map((e, i) => readCommand(c, `commands[${i}]`, e, nodes, duration_ms));
  const node_options = readNodeOptions(c, root.node_options, nodes);
  const report = readReport(c, root.report);
  const hostile = root.hostile === undefined ? undefined : readHostile(root.hostile, c.errors);
  if (hostile && iface !== 'espnow') c.errors.push(`hostile: hostile nodes run on the espnow interface only, got "${iface}"`);
  const security = root.security === undefined ? undefined : readSecurity(c, root.security, nodes);
  const radios = root.radios === undefined ? undefined : readExtraRadios(c, root.radios, nodes, iface);
  if (radios && hostile) c.errors.push('radios: hostile nodes and nodes with a second radio do not mix yet');

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return {
    ok: true,
    scenario: { name, description, seed, duration_ms, interface: iface, radio, topology, nodes, links, churn, power_on, sleep, traffic, apps, commands, node_options, report, ...(hostile && { hostile }), ...(security && { security }), ...(radios && { radios }) },
  };
}

/**
 * `radios`: a second radio on some nodes (bridges), e.g. `[{"interface": "rylr998", "nodes":
 * [9, 10], "radio": {...}}]`. The radio object is read as the top-level one for that interface.
 * One extra radio of each kind other than the scenario's own interface.
 */
function readExtraRadios(c: Checker, v: unknown, nodes: number, main: InterfaceKind): ExtraRadioSpec[] {
  const list = c.array('radios', v, 2);
  const seen = new Set<string>([main]);
  return list.map((e, k) => {
    const path = `radios[${k}]`;
    const o = c.object(path, e, ['interface', 'nodes', 'radio']) ?? {};
    const kind = c.oneOf(`${path}.interface`, o.interface, ['espnow', 'rylr998'] as const, 'rylr998');
    if (seen.has(kind)) c.fail(`${path}.interface`, 'must differ from the scenario\'s interface and from the other radios', kind);
    seen.add(kind);
    const members = c.array(`${path}.nodes`, o.nodes, MAX_NODES).map((n, i) => c.int(`${path}.nodes[${i}]`, n, 0, nodes - 1, 0));
    if (members.length === 0) c.fail(`${path}.nodes`, 'must list at least one node', o.nodes);
    if (new Set(members).size !== members.length) c.fail(`${path}.nodes`, 'must not repeat a node', o.nodes);
    const sub = new Checker();
    const radio = readRadio(sub, o.radio, kind);
    for (const err of sub.errors) c.errors.push(`${path}.${err}`);
    return { interface: kind, nodes: members, radio };
  });
}

function readRadio(c: Checker, v: unknown, iface: InterfaceKind): RadioSpec {
  const defaults: RadioSpec = { model: 'unit-disk', range: 100, r0: 80, r1: 120, d50: 100, width: 8, base_loss: 0, collisions: false, capture_db: null, asymmetry: 0, usable_loss: 0.5, ...radioPowerDefaults(iface) };
  if (v === undefined) return defaults;
  const o = c.object('radio', v, ['model', 'range', 'r0', 'r1', 'd50', 'width', 'base_loss', 'collisions', 'capture_db', 'asymmetry', 'usable_loss', ...RADIO_POWER_FIELDS]);
  if (!o) return defaults;
  const model = o.model === undefined ? 'unit-disk' : c.oneOf('radio.model', o.model, ['unit-disk', 'linear', 'logistic'] as const, 'unit-disk');
  const num = (k: keyof RadioSpec, fallback: number) => (o[k] === undefined ? fallback : c.num(`radio.${k}`, o[k], 0, 1e9, fallback, true));
  const spec: RadioSpec = {
    model,
    range: num('range', defaults.range),
    r0: o.r0 === undefined ? defaults.r0 : c.num('radio.r0', o.r0, 0, 1e9, defaults.r0),
    r1: num('r1', defaults.r1),
    d50: num('d50', defaults.d50),
    width: num('width', defaults.width),
    base_loss: o.base_loss === undefined ? 0 : c.num('radio.base_loss', o.base_loss, 0, 1, 0),
    collisions: c.bool('radio.collisions', o.collisions, false),
    capture_db: o.capture_db === undefined || o.capture_db === null ? null : c.num('radio.capture_db', o.capture_db, 0, 100, 0),
    asymmetry: o.asymmetry === undefined ? 0 : c.num('radio.asymmetry', o.asymmetry, 0, 1, 0),
    usable_loss: o.usable_loss === undefined ? 0.5 : c.num('radio.usable_loss', o.usable_loss, 0, 1, 0.5),
    ...readRadioPower(c, o, iface),
  };
  // Model parameters that do not apply are an error, so nobody tunes a knob that does nothing.
  if (spec.capture_db !== null && !spec.collisions) c.errors.push('radio.capture_db: applies only with "collisions": true (without them no frames overlap)');
  const applies: Record<RadioSpec['model'], string[]> = { 'unit-disk': ['range'], linear: ['r0', 'r1'], logistic: ['d50', 'width'] };
  for (const k of ['range', 'r0', 'r1', 'd50', 'width']) {
    if (o[k] !== undefined && !applies[model].includes(k)) c.errors.push(`radio.${k}: does not apply to model "${model}" (it uses ${applies[model].join(', ')})`);
  }
  if (model === 'linear' && spec.r1 <= spec.r0) c.fail('radio.r1', `must be greater than radio.r0 (${spec.r0})`, spec.r1);
  return spec;
}

function readTopology(c: Checker, v: unknown): { topology: Topology; nodes: number } {
  const fallback = { topology: { line: { n: 1, spacing: 1 } }, nodes: 1 };
  const o = c.object('topology', v, ['line', 'grid', 'random', 'positions', 'edges']);
  if (!o) return fallback;
  const kind = c.variant('topology', o, ['line', 'grid', 'random', 'positions', 'edges']);
  switch (kind) {
    case 'line': {
      const t = c.object('topology.line', o.line, ['n', 'spacing']);
      if (!t) return fallback;
      const n = c.int('topology.line.n', t.n, 1, MAX_NODES, 1);
      return { topology: { line: { n, spacing: c.num('topology.line.spacing', t.spacing, 0, 1e9, 1, true) } }, nodes: n };
    }
    case 'grid': {
      const t = c.object('topology.grid', o.grid, ['rows', 'cols', 'spacing']);
      if (!t) return fallback;
      const rows = c.int('topology.grid.rows', t.rows, 1, MAX_NODES, 1);
      const cols = c.int('topology.grid.cols', t.cols, 1, MAX_NODES, 1);
      if (rows * cols > MAX_NODES) c.fail('topology.grid', `must have at most ${MAX_NODES} nodes`, rows * cols);
      return { topology: { grid: { rows, cols, spacing: c.num('topology.grid.spacing', t.spacing, 0, 1e9, 1, true) } }, nodes: rows * cols };
    }
    case 'random': {
      const t = c.object('topology.random', o.random, ['n', 'width', 'height', 'seed', 'connected', 'max_tries']);
      if (!t) return fallback;
      const n = c.int('topology.random.n', t.n, 1, MAX_NODES, 1);
      return {
        topology: {
          random: {
            n,
            width: c.num('topology.random.width', t.width, 0, 1e9, 1, true),
            height: c.num('topology.random.height', t.height, 0, 1e9, 1, true),
            seed: t.seed === undefined ? undefined : c.int('topology.random.seed', t.seed, 0, 0xffffffff, 0),
            connected: c.bool('topology.random.connected', t.connected, true),
            max_tries: t.max_tries === undefined ? 100 : c.int('topology.random.max_tries', t.max_tries, 1, 100_000, 100),
          },
        },
        nodes: n,
      };
    }
    case 'positions': {
      const list = c.array('topology.positions', o.positions, MAX_NODES);
      if (list.length === 0) c.fail('topology.positions', 'must list at least one [x, y]', o.positions);
      return { topology: { positions: list.map((p, i) => c.point(`topology.positions[${i}]`, p)) }, nodes: Math.max(list.length, 1) };
    }
    case 'edges': {
      const t = c.object('topology.edges', o.edges, ['n', 'links', 'positions']);
      if (!t) return fallback;
      const n = c.int('topology.edges.n', t.n, 1, MAX_NODES, 1);
      const links = c.array('topology.edges.links', t.links).map((e, i) => readEdge(c, `topology.edges.links[${i}]`, e, n));
      let positions: Point[] | undefined;
      if (t.positions !== undefined) {
        const list = c.array('topology.edges.positions', t.positions, MAX_NODES);
        if (list.length !== n) c.fail('topology.edges.positions', `must list exactly n = ${n} points`, `${list.length} points`);
        positions = list.map((p, i) => c.point(`topology.edges.positions[${i}]`, p));
      }
      return { topology: { edges: { n, links, positions } }, nodes: n };
    }
    default:
      return fallback;
  }
}

/** An edge: [a, b] or { a, b, loss?, latency_ms?, one_way? }. */
function readEdge(c: Checker, path: string, v: unknown, n: number): EdgeSpec {
  if (Array.isArray(v)) {
    if (v.length !== 2) c.fail(path, 'must be [a, b] or an object { a, b, ... }', v);
    const a = c.node(`${path}[0]`, v[0], n);
    const b = c.node(`${path}[1]`, v[1], n);
    if (v.length === 2 && Number.isInteger(v[0]) && v[0] === v[1]) c.fail(path, 'must join two different nodes', v);
    return { a, b, loss: undefined, latency_ms: undefined, one_way: false };
  }
  const o = c.object(path, v, ['a', 'b', 'loss', 'latency_ms', 'one_way']);
  if (!o) return { a: 0, b: 0, loss: undefined, latency_ms: undefined, one_way: false };
  return readEdgeFields(c, path, o, n);
}

function readEdgeFields(c: Checker, path: string, o: Obj, n: number): EdgeSpec {
  const a = c.node(`${path}.a`, o.a, n);
  const b = c.node(`${path}.b`, o.b, n);
  if (a === b && Number.isInteger(o.a) && Number.isInteger(o.b)) c.fail(`${path}.b`, 'must differ from a', o.b);
  return {
    a,
    b,
    loss: o.loss === undefined ? undefined : c.num(`${path}.loss`, o.loss, 0, 1, 0),
    latency_ms: o.latency_ms === undefined ? undefined : c.num(`${path}.latency_ms`, o.latency_ms, 0, 3_600_000, 0),
    one_way: c.bool(`${path}.one_way`, o.one_way, false),
  };
}

function readLink(c: Checker, path: string, v: unknown, n: number): LinkSpec {
  const o = c.object(path, v, ['a', 'b', 'loss', 'latency_ms', 'cut', 'one_way']);
  if (!o) return { a: 0, b: 0, loss: undefined, latency_ms: undefined, one_way: false, cut: false };
  const e = readEdgeFields(c, path, o, n);
  const cut = c.bool(`${path}.cut`, o.cut, false);
  if (!cut && e.loss === undefined && e.latency_ms === undefined) c.errors.push(`${path}: must set at least one of loss, latency_ms, cut`);
  return { ...e, cut };
}

type ChurnEntry = ChurnEvent | (RandomDownSpec & { readonly action: 'random_down' });

const RANDOM_DOWN_FIELDS = ['every_ms', 'fraction', 'down_ms', 'down_max_ms', 'until_ms', 'seed'];

function readChurn(c: Checker, path: string, v: unknown, n: number, duration: number): ChurnEntry {
  const fallback: ChurnEvent = { at_ms: 0, action: 'root_kill' };
  const o = c.object(path, v, ['at_ms', 'action', 'node', 'a', 'b', 'one_way', 'name', 'nodes', ...RANDOM_DOWN_FIELDS]);
  if (!o) return fallback;
  const at_ms = c.int(`${path}.at_ms`, o.at_ms, 0, duration, 0);
  const action = c.oneOf(`${path}.action`, o.action, ['node_down', 'node_up', 'link_cut', 'link_restore', 'root_kill', 'relay_kill', 'partition', 'heal', 'random_down'] as const, 'root_kill');
  const forbid = (keys: string[]) => {
    for (const k of keys) if (o[k] !== undefined) c.errors.push(`${path}.${k}: does not apply to action "${action}"`);
  };
  if (action !== 'random_down') forbid(RANDOM_DOWN_FIELDS);
  switch (action) {
    case 'random_down': {
      forbid(['node', 'a', 'b', 'one_way', 'name']);
      const pool = o.nodes === undefined ? undefined : c.array(`${path}.nodes`, o.nodes, n).map((x, i) => c.int(`${path}.nodes[${i}]`, x, 0, n - 1, 0));
      const every_ms = c.int(`${path}.every_ms`, o.every_ms, 1, MAX_MS, 60_000);
      const fraction = c.num(`${path}.fraction`, o.fraction, 0, 1, 0.1, true);
      const down_ms = c.int(`${path}.down_ms`, o.down_ms, 1, MAX_MS, 1);
      if (down_ms >= every_ms) c.fail(`${path}.down_ms`, `must be below every_ms (${every_ms}): a node is back before the next round`, o.down_ms);
      const down_max_ms = o.down_max_ms === undefined ? down_ms : c.int(`${path}.down_max_ms`, o.down_max_ms, down_ms, MAX_MS, down_ms);
      if (o.down_max_ms !== undefined && down_max_ms >= every_ms) c.fail(`${path}.down_max_ms`, `must be below every_ms (${every_ms})`, o.down_max_ms);
      const until_ms = o.until_ms === undefined ? duration : c.int(`${path}.until_ms`, o.until_ms, at_ms, duration, duration);
      const seed = o.seed === undefined ? undefined : c.int(`${path}.seed`, o.seed, 0, 0xffffffff, 0);
      const spec: RandomDownSpec = { at_ms, every_ms, fraction, down_ms, down_max_ms, until_ms, seed, ...(pool && { nodes: pool }) };
      const count = randomDownEventCount(spec, n);
      if (count > MAX_RANDOM_DOWN_EVENTS) c.fail(path, `must expand into at most ${MAX_RANDOM_DOWN_EVENTS} events`, `${count} events`);
      return count > MAX_RANDOM_DOWN_EVENTS ? fallback : { ...spec, action };
    }
    case 'partition':
    case 'heal': {
      forbid(['node', 'a', 'b', 'one_way', ...(action === 'heal' ? ['nodes'] : [])]);
      const name = c.str(`${path}.name`, o.name, 100);
      if (action === 'heal') return { at_ms, action, name };
      return { at_ms, action, name, nodes: readPartitionNodes(c, `${path}.nodes`, o.nodes, n) };
    }
    case 'node_down':
    case 'node_up':
      forbid(['a', 'b', 'one_way', 'name', 'nodes']);
      return { at_ms, action, node: c.node(`${path}.node`, o.node, n) };
    case 'link_cut':
    case 'link_restore': {
      forbid(['node', 'name', 'nodes']);
      const e = readEdgeFields(c, path, { a: o.a, b: o.b, one_way: o.one_way }, n);
      return { at_ms, action, a: e.a, b: e.b, one_way: e.one_way };
    }
    default:
      forbid(['node', 'a', 'b', 'one_way', 'name', 'nodes']);
      return { at_ms, action: action === 'relay_kill' ? 'relay_kill' : 'root_kill' };
  }
}

/** A partition's nodes: distinct indices, at least one, and at least one node left outside. */
function readPartitionNodes(c: Checker, path: string, v: unknown, n: number): number[] {
  const nodes = c.array(path, v, MAX_NODES).map((x, i) => c.node(`${path}[${i}]`, x, n));
  if (nodes.length === 0) c.fail(path, 'must list at least one node', v);
  if (new Set(nodes).size !== nodes.length) c.fail(path, 'must not list a node twice', v);
  else if (nodes.length >= n) c.fail(path, `must leave at least one of the ${n} nodes outside`, `${nodes.length} nodes`);
  return nodes;
}

/** In time order (file order for ties): a heal names an open partition; a name is open once. */
function checkPartitionNames(c: Checker, churn: readonly ChurnEntry[]): void {
  const open = new Set<string>();
  const order = churn.map((e, i) => ({ e, i })).sort((x, y) => x.e.at_ms - y.e.at_ms || x.i - y.i);
  for (const { e, i } of order) {
    if (e.action === 'partition') {
      if (open.has(e.name)) c.fail(`churn[${i}].name`, 'names a partition that is already in place (heal it first)', e.name);
      open.add(e.name);
    } else if (e.action === 'heal') {
      if (!open.has(e.name)) c.fail(`churn[${i}].name`, 'must name an earlier partition that is not healed yet', e.name);
      open.delete(e.name);
    }
  }
}

/** power_on: { spread_ms?, at_ms?: { "node": ms } | [ms per node] }; default: spread 1000 ms. */
function readPowerOn(c: Checker, v: unknown, n: number, duration: number): PowerOn {
  const at_ms: (number | null)[] = new Array<number | null>(n).fill(null);
  if (v === undefined) return { spread_ms: DEFAULT_SPREAD_MS, at_ms };
  const o = c.object('power_on', v, ['spread_ms', 'at_ms']);
  if (!o) return { spread_ms: DEFAULT_SPREAD_MS, at_ms };
  const spread_ms = o.spread_ms === undefined ? DEFAULT_SPREAD_MS : c.int('power_on.spread_ms', o.spread_ms, 0, duration, DEFAULT_SPREAD_MS);
  if (Array.isArray(o.at_ms)) {
    if (o.at_ms.length !== n) c.fail('power_on.at_ms', `must list exactly one time per node (${n})`, `${o.at_ms.length} times`);
    if (o.spread_ms !== undefined) c.errors.push('power_on.spread_ms: does not apply when at_ms lists every node');
    o.at_ms.slice(0, n).forEach((t, i) => (at_ms[i] = c.int(`power_on.at_ms[${i}]`, t, 0, duration, 0)));
  } else if (o.at_ms !== undefined) {
    if (!isObj(o.at_ms)) c.fail('power_on.at_ms', 'must be an object { "node index": ms } or an array of one time per node', o.at_ms);
    for (const [k, t] of Object.entries(isObj(o.at_ms) ? o.at_ms : {})) {
      if (!/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= n) {
        c.fail(`power_on.at_ms.${k}`, `must be keyed by a node index 0..${n - 1}`, k);
        continue;
      }
      at_ms[Number(k)] = c.int(`power_on.at_ms.${k}`, t, 0, duration, 0);
    }
  }
  return { spread_ms, at_ms };
}

function readSleep(c: Checker, path: string, v: unknown, n: number): SleepWindow {
  const fallback: SleepWindow = { nodes: 'all', at_ms: 0, duration_ms: 1, every_ms: undefined };
  const o = c.object(path, v, ['nodes', 'at_ms', 'duration_ms', 'every_ms']);
  if (!o) return fallback;
  let nodes: SleepWindow['nodes'] = 'all';
  if (o.nodes !== 'all') nodes = c.array(`${path}.nodes`, o.nodes).map((x, i) => c.node(`${path}.nodes[${i}]`, x, n));
  const duration_ms = c.int(`${path}.duration_ms`, o.duration_ms, 1, MAX_MS, 1);
  const every_ms = o.every_ms === undefined ? undefined : c.int(`${path}.every_ms`, o.every_ms, 1, MAX_MS, duration_ms + 1);
  if (every_ms !== undefined && every_ms <= duration_ms) c.fail(`${path}.every_ms`, `must be greater than duration_ms (${duration_ms})`, every_ms);
  return { nodes, at_ms: c.int(`${path}.at_ms`, o.at_ms, 0, MAX_MS, 0), duration_ms, every_ms };
}

function readTraffic(c: Checker, path: string, v: unknown, n: number, duration: number): TrafficSpec {
  const o = c.object(path, v, ['pairs', 'random', 'kind', 'size', 'interval_ms', 'rate_per_s', 'start_ms', 'stop_ms', 'metric', 'aligned', 'lifetime_ms', 'by_id']);
  const fallback: TrafficSpec = {
    pairs: [],
    random: undefined,
    kind: 'ping',
    size: 0,
    interval_ms: 1,
    start_ms: 0,
    stop_ms: duration,
    metric: 'dTree',
    aligned: false, lifetime_ms: 3_600_000, by_id: false,
  };
  if (!o) return fallback;
  const which = c.variant(path, o, ['pairs', 'random']);
  let pairs: [number, number][] | undefined;
  let random: TrafficSpec['random'];
  if (which === 'pairs') {
    pairs = c.array(`${path}.pairs`, o.pairs).map((p, i): [number, number] => {
      if (!Array.isArray(p)) {
        c.fail(`${path}.pairs[${i}]`, 'must be [source, destination]', p);
        return [0, 0];
      }
      const e = readEdge(c, `${path}.pairs[${i}]`, p, n);
      return [e.a, e.b];
    });
    if (pairs.length === 0) c.fail(`${path}.pairs`, 'must list at least one [source, destination]', o.pairs);
  } else if (which === 'random') {
    const r = c.object(`${path}.random`, o.random, ['flows', 'seed']);
    if (r) {
      const flows = c.int(`${path}.random.flows`, r.flows, 1, 1_000_000, 1);
      if (n < 2) c.fail(`${path}.random`, 'needs at least 2 nodes', n);
      random = { flows, seed: r.seed === undefined ? undefined : c.int(`${path}.random.seed`, r.seed, 0, 0xffffffff, 0) };
    }
  }
  const kind = c.oneOf<TrafficKind>(`${path}.kind`, o.kind ?? 'ping', ['ping', 'blob', 'held'], 'ping');
  const size = o.size === undefined ? (kind === 'ping' ? 0 : c.int(`${path}.size`, o.size, 1, 65_536, 1)) : c.int(`${path}.size`, o.size, kind === 'ping' ? 0 : 1, 65_536, 1);
  let interval_ms = 1000;
  if (o.interval_ms !== undefined && o.rate_per_s !== undefined) c.errors.push(`${path}: set interval_ms or rate_per_s, not both`);
  else if (o.rate_per_s !== undefined) interval_ms = 1000 / c.num(`${path}.rate_per_s`, o.rate_per_s, 0, 10_000, 1, true);
  else if (o.interval_ms !== undefined) interval_ms = c.num(`${path}.interval_ms`, o.interval_ms, 0, MAX_MS, 1000, true);
  const start_ms = o.start_ms === undefined ? 0 : c.int(`${path}.start_ms`, o.start_ms, 0, duration, 0);
  const stop_ms = o.stop_ms === undefined ? duration : c.int(`${path}.stop_ms`, o.stop_ms, 0, duration, duration);
  if (stop_ms < start_ms) c.fail(`${path}.stop_ms`, `must be ≥ start_ms (${start_ms})`, stop_ms);
  const metric = c.oneOf<Metric>(`${path}.metric`, o.metric ?? 'dTree', ['dTree', 'dCPL'], 'dTree');
  const aligned = c.bool(`${path}.aligned`, o.aligned, false);
  const lifetime_ms = o.lifetime_ms === undefined ? 3_600_000 : c.int(`${path}.lifetime_ms`, o.lifetime_ms, 1, 86_400_000, 3_600_000);
  if (o.lifetime_ms !== undefined && kind !== 'held') c.fail(`${path}.lifetime_ms`, 'applies to kind "held" only', o.lifetime_ms);
  const by_id = c.bool(`${path}.by_id`, o.by_id, false);
  return { pairs, random, kind, size, interval_ms, start_ms, stop_ms, metric, aligned, lifetime_ms, by_id };
}

/** Most console commands a scenario may list, and the longest line. */
export const MAX_COMMANDS = 10_000;
export const MAX_COMMAND_CHARS = 200;
/** Most mesh apps one node may run (each registers at least one app with the Packager). */
export const MAX_APPS_PER_NODE = 8;

function readApps(c: Checker, v: unknown, n: number): AppAssignment[] {
  const known = simAppNames();
  const out: AppAssignment[] = [];
  /** Per node index, the apps already given to it (an app runs at most once per node). */
  const onNode = new Map<number, string[]>();
  /** Module app name → its module (one name, one module: the report counts by name). */
  const moduleOf = new Map<string, string>();
  c.array('apps', v, 100).forEach((entry, i) => {
    const path = `apps[${i}]`;
    const o = c.object(path, entry, ['app', 'module', 'name', 'nodes', 'options', 'per_node']);
    if (!o) return;
    let app = '';
    let module: string | undefined;
    if (o.module !== undefined || o.name !== undefined) {
      [app, module] = readModuleApp(c, path, o, known);
      const other = moduleOf.get(app);
      if (module !== undefined && other !== undefined && other !== module) c.fail(`${path}.name`, `names another module than an earlier entry ("${other}"): add a "name" to tell them apart`, app);
      if (module !== undefined) moduleOf.set(app, module);
    } else if (typeof o.app !== 'string' || !known.includes(o.app)) {
      c.fail(`${path}.app`, `must be one of the simulator's apps (${known.map((k) => `"${k}"`).join(', ')}), or give "module": a path to the app's module`, o.app);
    } else app = o.app;
    let nodes: AppAssignment['nodes'] = 'all';
    /** The node list is usable for the checks across entries. */
    let nodesOk = true;
    if (o.nodes !== undefined && o.nodes !== 'all') {
      const before = c.errors.length;
      if (!Array.isArray(o.nodes)) c.fail(`${path}.nodes`, 'must be "all" or an array of node indices', o.nodes);
      else {
        const list = o.nodes.map((x, k) => c.node(`${path}.nodes[${k}]`, x, n));
        nodes = list;
        if (list.length === 0) c.fail(`${path}.nodes`, 'must list at least one node (or be "all")', o.nodes);
        const dup = list.find((x, k) => list.indexOf(x) !== k);
        if (dup !== undefined && c.errors.length === before) c.fail(`${path}.nodes`, `must not list a node twice`, dup);
      }
      nodesOk = c.errors.length === before;
    }
    const options = o.options === undefined ? {} : (c.object(`${path}.options`, o.options, Object.keys(isObj(o.options) ? o.options : {})) ?? {});
    const per_node: Record<string, Readonly<Record<string, unknown>>> = {};
    if (o.per_node !== undefined) {
      const p = c.object(`${path}.per_node`, o.per_node, Object.keys(isObj(o.per_node) ? o.per_node : {}));
      for (const [k, opts] of Object.entries(p ?? {})) {
        const index = /^(0|[1-9][0-9]*)$/.test(k) ? Number(k) : -1;
        if (index < 0 || index >= n) c.errors.push(`${path}.per_node.${k}: must be a node index in 0..${n - 1}`);
        else if (nodesOk && nodes !== 'all' && !nodes.includes(index)) c.errors.push(`${path}.per_node.${k}: node ${k} does not run this app (nodes: ${JSON.stringify(nodes)})`);
        const val = c.object(`${path}.per_node.${k}`, opts, Object.keys(isObj(opts) ? opts : {}));
        if (val) per_node[k] = val;
      }
    }
    const checkIds = (where: string, opts: Obj) => {
      for (const [k, val] of Object.entries(opts)) {
        if (typeof val !== 'string') continue;
        for (const m of val.matchAll(COMMAND_PLACEHOLDER)) {
          if (m[1] !== 'id') c.fail(`${where}.${k}`, 'may use {id:N} only (addresses are not known when an app starts)', m[0]);
          else if (!/^(0|[1-9][0-9]*)$/.test(m[2]) || Number(m[2]) >= n) c.fail(`${where}.${k}`, `placeholder {id:N} needs a node index N in 0..${n - 1}`, m[0]);
        }
      }
    };
    checkIds(`${path}.options`, options);
    for (const [k, opts] of Object.entries(per_node)) checkIds(`${path}.per_node.${k}`, opts);
    if (app && nodesOk) {
      for (const x of nodes === 'all' ? Array.from({ length: n }, (_, k) => k) : nodes) {
        const mine = onNode.get(x) ?? [];
        if (mine.includes(app)) {
          c.errors.push(`${path}: app "${app}" is already given to node ${x} by an earlier entry (an app runs at most once per node)`);
          break;
        }
        if (mine.length >= MAX_APPS_PER_NODE) {
          c.errors.push(`${path}: node ${x} would run more than ${MAX_APPS_PER_NODE} apps`);
          break;
        }
        mine.push(app);
        onNode.set(x, mine);
      }
    }
    out.push({ app, nodes, options, per_node, ...(module !== undefined && { module }) });
  });
  return out;
}

/** Module file extensions an app may have (bundled with esbuild before it runs). */
const MODULE_FILE = /\.(ts|mts|js|mjs)$/;
const APP_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/**
 * `{ "module": "./path/mod.ts", "name"?: "x" }`: [name, path]. The name labels the app in the
 * report (default: the file's name without extension, or its folder's for mod/index/main files).
 */
function readModuleApp(c: Checker, path: string, o: Obj, registry: readonly string[]): [string, string | undefined] {
  if (o.module === undefined) {
    c.errors.push(`${path}.name: applies to "module" apps only`);
    return ['', undefined];
  }
  if (o.app !== undefined) c.errors.push(`${path}: give "app" (a registry name) or "module" (a path), not both`);
  const module = c.str(`${path}.module`, o.module, 1000);
  if (module && !MODULE_FILE.test(module)) c.fail(`${path}.module`, 'must be a path to a .ts, .mts, .js or .mjs file', module);
  const parts = module.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
  const file = (parts.at(-1) ?? '').replace(MODULE_FILE, '');
  const derived = ['mod', 'index', 'main'].includes(file) && parts.length > 1 ? parts[parts.length - 2] : file;
  const name = o.name === undefined ? derived : typeof o.name === 'string' ? o.name : '';
  if (!APP_NAME.test(name)) c.fail(o.name === undefined ? `${path}.module` : `${path}.name`, o.name === undefined ? 'gives no usable app name: add "name" (a letter, then letters, digits, _ or -, at most 32)' : 'must be a letter, then letters, digits, _ or -, at most 32 characters', o.name ?? name);
  else if (registry.includes(name)) c.fail(`${path}.name`, `must differ from the registry's app names (${registry.join(', ')}): add or change "name"`, name);
  return [name, module || undefined];
}

/** `{id:N}` and `{addr:N}` in a console line (anything else in braces is left as typed). */
export const COMMAND_PLACEHOLDER = /\{(id|addr):([^}]*)\}/g;

function readCommand(c: Checker, path: string, v: unknown, n: number, duration: number): ConsoleCommandSpec {
  const fallback: ConsoleCommandSpec = { at_ms: 0, node: 0, line: '' };
  const o = c.object(path, v, ['at_ms', 'node', 'line']);
  if (!o) return fallback;
  const at_ms = c.int(`${path}.at_ms`, o.at_ms, 0, duration, 0);
  const node = c.node(`${path}.node`, o.node, n);
  const line = c.str(`${path}.line`, o.line, MAX_COMMAND_CHARS);
  if (line && line.trim() === '') c.fail(`${path}.line`, 'must not be blank', line);
  for (const m of line.matchAll(COMMAND_PLACEHOLDER)) {
    if (!/^(0|[1-9][0-9]*)$/.test(m[2]) || Number(m[2]) >= n) c.fail(`${path}.line`, `placeholder {${m[1]}:N} needs a node index N in 0..${n - 1}`, m[0]);
  }
  return { at_ms, node, line };
}

/** `security`: the mode, and roots pinned as hex keys or `{id:N}` (node N's key, known only to the run). */
function readSecurity(c: Checker, v: unknown, n: number): NonNullable<Scenario['security']> {
  const o = c.object('security', v, ['mode', 'pinned_roots', 'root_work', 'root_work_floor']) ?? {};
  const mode = c.oneOf('security.mode', o.mode, ['open', 'signed', 'mixed'] as const, 'open');
  const pinned = o.pinned_roots === undefined ? [] : c.array('security.pinned_roots', o.pinned_roots, 64);
  const pinned_roots = pinned.map((p, i) => {
    const m = typeof p === 'string' ? /^\{id:(0|[1-9][0-9]*)\}$/.exec(p) : null;
    if (typeof p === 'string' && (/^[0-9a-fA-F]{64}$/.test(p) || (m && Number(m[1]) < n))) return p;
    c.fail(`security.pinned_roots[${i}]`, `must be a 64-digit hex key or {id:N} with N in 0..${n - 1}`, p);
    return '';
  });
  const root_work = c.bool('security.root_work', o.root_work, false);
  const root_work_floor = o.root_work_floor === undefined ? ROOT_WORK_FLOOR_BITS : c.int('security.root_work_floor', o.root_work_floor, 1, 32, 1);
  return { mode, pinned_roots, root_work, root_work_floor };
}

function readReport(c: Checker, v: unknown): ReportSpec {
  const o = v === undefined ? {} : (c.object('report', v, ['bucket_ms']) ?? {});
  if (o.bucket_ms === undefined) return { bucket_ms: DEFAULT_BUCKET_MS };
  const problem = bucketMsProblem(o.bucket_ms);
  if (problem) c.fail('report.bucket_ms', problem, o.bucket_ms);
  return { bucket_ms: problem ? DEFAULT_BUCKET_MS : (o.bucket_ms as number) };
}

function readNodeOptions(c: Checker, v: unknown, n: number): Scenario['node_options'] {
  const empty = { all: {}, per_node: {} };
  if (v === undefined) return empty;
  const o = c.object('node_options', v, ['all', 'per_node']);
  if (!o) return empty;
  if (o.all !== undefined) checkNodeOptions(c, 'node_options.all', o.all);
  const all = o.all === undefined ? {} : c.object('node_options.all', o.all, Object.keys(isObj(o.all) ? o.all : {}));
  const per_node: Record<string, Readonly<Record<string, unknown>>> = {};
  if (o.per_node !== undefined) {
    const p = c.object('node_options.per_node', o.per_node, Object.keys(isObj(o.per_node) ? o.per_node : {}));
    for (const [k, opts] of Object.entries(p ?? {})) {
      if (!/^(0|[1-9][0-9]*)$/.test(k) || Number(k) >= n) c.errors.push(`node_options.per_node.${k}: must be a node index in 0..${n - 1}`);
      checkNodeOptions(c, `node_options.per_node.${k}`, opts);
      const val = c.object(`node_options.per_node.${k}`, opts, Object.keys(isObj(opts) ? opts : {}));
      if (val) per_node[k] = val;
    }
  }
  return { all: all ?? {}, per_node };
}
