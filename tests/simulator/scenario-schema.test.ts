/**
 * scenario.schema.json (what editors check through "$schema") agrees with validate.ts (what the
 * simulator checks): every shipped scenario passes both, and on a set of good and bad examples
 * both accept or both reject. The schema's node_options parameters are the apps' own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { simAppNames } from '../../simulator/mods/registry.js';
import { appParamDefaults, packagerDefaults } from '../../simulator/scenario/node-options.js';
import { validateScenario } from '../../simulator/scenario/validate.js';
import { scenarioSchemaErrors } from './support/schemas.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHIPPED = join(ROOT, 'simulator', 'scenarios');
const schema = JSON.parse(readFileSync(join(ROOT, 'simulator', 'schema', 'scenario.schema.json'), 'utf8'));

const files = [...readdirSync(SHIPPED).map((f) => join(SHIPPED, f)), join(ROOT, 'tests', 'simulator', 'fixtures', 'module-app', 'scenario.json')];

test.each(files)('%s: passes the schema and validate.ts, and names the schema', (file) => {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  expect(scenarioSchemaErrors(json)).toEqual([]);
  const r = validateScenario(json);
  expect(r.ok ? [] : r.errors).toEqual([]);
  expect(json.$schema).toMatch(/simulator\/schema\/scenario\.schema\.json$|^\.\.\/schema\/scenario\.schema\.json$/);
});

const base = { name: 'x', duration_ms: 60_000, topology: { line: { n: 4, spacing: 50 } } };
const good: [string, object][] = [
  ['the minimum', base],
  ['every section', {
    $schema: '../schema/scenario.schema.json', ...base, description: 'd', seed: 7, interface: 'rylr998',
    radio: { model: 'linear', r0: 10, r1: 60, base_loss: 0.1, collisions: true, capture_db: 6, asymmetry: 0.3, usable_loss: 0.4 },
    links: [{ a: 0, b: 1, loss: 0.2 }, { a: 1, b: 2, cut: true, one_way: true }],
    churn: [{ at_ms: 1000, action: 'node_down', node: 2 }, { at_ms: 2000, action: 'link_cut', a: 0, b: 1 }, { at_ms: 3000, action: 'root_kill' }],
    sleep: [{ nodes: 'all', at_ms: 0, duration_ms: 100, every_ms: 1000 }, { nodes: [1], at_ms: 5, duration_ms: 10 }],
    traffic: [{ pairs: [[0, 3]], kind: 'blob', size: 100, rate_per_s: 2, metric: 'dCPL' }, { random: { flows: 2, seed: 3 }, aligned: true }],
    apps: [{ app: 'echo', nodes: [0, 1], options: { to: '{id:1}' }, per_node: { 0: { interval_s: 5 } } }, { module: './a/mod.ts', name: 'mine' }],
    commands: [{ at_ms: 100, node: 0, line: 'status' }],
    node_options: { all: { modemSleep: { sleepMs: 90 }, beacon: { beacon_interval: 5000 }, packager: { timings: { sendRetryCount: 2 }, askEveryFragment: false } }, per_node: { 2: { spanning_tree: { pub: false } } } },
  }],
  ['a logistic radio', { ...base, radio: { model: 'logistic', d50: 80, width: 5 } }],
  ['an edge topology', { ...base, topology: { edges: { n: 3, links: [[0, 1], { a: 1, b: 2, loss: 0.1 }] } } }],
  ['random positions', { ...base, topology: { random: { n: 5, width: 100, height: 100, connected: false } } }],
  ['modem sleep on', { ...base, node_options: { all: { modemSleep: true } } }],
  ['signed with pinned roots', { ...base, security: { mode: 'signed', pinned_roots: ['{id:0}', 'ab'.repeat(32)] } }],
];
const bad: [string, object][] = [
  ['no name', { duration_ms: 1, topology: base.topology }],
  ['a typo at the top', { ...base, duraton_ms: 5 }],
  ['an unknown security mode', { ...base, security: { mode: 'secret' } }],
  ['a pinned root that is no key', { ...base, security: { mode: 'signed', pinned_roots: ['abc'] } }],
  ['a string seed', { ...base, seed: '1' }],
  ['zero duration', { ...base, duration_ms: 0 }],
  ['an unknown interface', { ...base, interface: 'wifi' }],
  ['a parameter of another radio model', { ...base, radio: { model: 'unit-disk', d50: 5 } }],
  ['an asymmetry above 1', { ...base, radio: { asymmetry: 1.5 } }],
  ['range without a model given is fine but r0 is not', { ...base, radio: { r0: 5 } }],
  ['two topologies', { ...base, topology: { line: { n: 2, spacing: 1 }, grid: { rows: 1, cols: 1, spacing: 1 } } }],
  ['no topology', { name: 'x', duration_ms: 5 }],
  ['a line without spacing', { ...base, topology: { line: { n: 2 } } }],
  ['a link override that changes nothing', { ...base, links: [{ a: 0, b: 1 }] }],
  ['node_down without a node', { ...base, churn: [{ at_ms: 1, action: 'node_down' }] }],
  ['root_kill with a node', { ...base, churn: [{ at_ms: 1, action: 'root_kill', node: 1 }] }],
  ['relay_kill with a node', { ...base, churn: [{ at_ms: 1, action: 'relay_kill', node: 1 }] }],
  ['traffic with pairs and random', { ...base, traffic: [{ pairs: [[0, 1]], random: { flows: 1 } }] }],
  ['traffic with interval and rate', { ...base, traffic: [{ pairs: [[0, 1]], interval_ms: 5, rate_per_s: 1 }] }],
  ['a blob without size', { ...base, traffic: [{ pairs: [[0, 1]], kind: 'blob' }] }],
  ['an app not in the registry', { ...base, apps: [{ app: 'nope' }] }],
  ['app and module together', { ...base, apps: [{ app: 'chat', module: './x.ts' }] }],
  ['a module that is not a script', { ...base, apps: [{ module: './x.txt' }] }],
  ['a module named like a registry app', { ...base, apps: [{ module: './x.ts', name: 'chat' }] }],
  ['a blank command', { ...base, commands: [{ at_ms: 1, node: 0, line: '   ' }] }],
  ['a typo in node_options', { ...base, node_options: { all: { modemsleep: true } } }],
  ['a typo in an app parameter', { ...base, node_options: { all: { beacon: { beacon_intervall: 5 } } } }],
  ['a wrong type of app parameter', { ...base, node_options: { per_node: { 1: { spanning_tree: { pub: 'no' } } } } }],
  ['an unknown packager timing', { ...base, node_options: { all: { packager: { timings: { retry: 1 } } } } }],
  ['a capture effect without collisions', { ...base, radio: { capture_db: 6 } }],
  ['a negative gossip delay', { ...base, node_options: { all: { gossip: { start_delay: -1 } } } }],
  ['a per_node key that is not an index', { ...base, node_options: { per_node: { first: {} } } }],
];

test.each(good)('both accept %s', (_what, json) => {
  expect(scenarioSchemaErrors(json)).toEqual([]);
  const r = validateScenario(json);
  expect(r.ok ? [] : r.errors).toEqual([]);
});

test.each(bad)('both reject %s', (_what, json) => {
  expect(scenarioSchemaErrors(json)).not.toEqual([]);
  expect(validateScenario(json).ok).toBe(false);
});

test('the schema lists the registry apps and exactly the apps\' and Packager\'s parameters, with their defaults', () => {
  const d = schema.$defs;
  expect(d.app.properties.app.enum).toEqual(simAppNames());
  const apps = appParamDefaults();
  for (const key of Object.keys(apps)) {
    const node = d.node_options.properties[key];
    // `hello` may also be false: its parameters live in $defs.hello_params.
    const props = (node.properties ?? d[String(node.anyOf[1].$ref).split('/').pop() as string].properties) as object;
    expect(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, (v as { default: unknown }).default]))).toEqual(apps[key]);
  }
  const packager = packagerDefaults();
  for (const key of ['timings', 'limits']) {
    const props = d.node_options.properties.packager.properties[key].properties;
    expect(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, (v as { default: unknown }).default]))).toEqual(packager[key]);
  }
});

test('every packager timing and limit says what it is in one line (editors show it on hover)', () => {
  const d = schema.$defs;
  for (const key of ['timings', 'limits']) {
    for (const [name, prop] of Object.entries(d.node_options.properties.packager.properties[key].properties as Record<string, { description?: string }>)) {
      const text = prop.description ?? '';
      expect({ name, ok: text.length > 10 && text.length < 400 && !text.includes('\n') && !text.includes('import ') }).toEqual({ name, ok: true });
    }
  }
});

test('validate.ts names the path of a node_options typo and what it expected', () => {
  const r = validateScenario({ ...base, node_options: { all: { beacon: { beacon_intervall: 5 } }, per_node: { 1: { spanning_tree: { pub: 'no' } } } } });
  expect(r.ok ? [] : r.errors).toEqual([
    'node_options.all.beacon.beacon_intervall: unknown field (expected one of beacon_interval, beacon_period, beacon_count, start_count, answer_every_beacon, jitter_ratio, answer_broadcast_ms, any_frame_keeps_peer, quiet_every, compact_frames, answer_ours_ms, expands_compact)',
    'node_options.per_node.1.spanning_tree.pub: must be true or false, got "no"',
  ]);
});
