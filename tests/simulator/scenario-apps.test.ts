/** The `apps` and `commands` sections of a scenario: defaults, and errors that say what is wrong. */
import { simAppNames } from '../../simulator/mods/registry.js';
import { appsOf } from '../../simulator/runner/run.js';
import type { Scenario } from '../../simulator/scenario/types.js';
import { validateScenario } from '../../simulator/scenario/validate.js';

const base = { name: 't', duration_ms: 60000, topology: { line: { n: 3, spacing: 50 } } };

function valid(json: unknown): Scenario {
  const r = validateScenario(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.scenario;
}

function errors(json: unknown): string[] {
  const r = validateScenario(json);
  return r.ok ? [] : r.errors;
}

test('the registry has the real apps and the demo app', () => {
  expect(simAppNames()).toEqual(['chat', 'echo', 'telemetry']);
});

test('apps and commands default to none; an entry defaults to every node and no options', () => {
  const s = valid(base);
  expect(s.apps).toEqual([]);
  expect(s.commands).toEqual([]);
  const t = valid({ ...base, apps: [{ app: 'telemetry' }], commands: [{ at_ms: 100, node: 2, line: 'telemetry' }] });
  expect(t.apps).toEqual([{ app: 'telemetry', nodes: 'all', options: {}, per_node: {} }]);
  expect(t.commands).toEqual([{ at_ms: 100, node: 2, line: 'telemetry' }]);
});

test('per-node options merge over the entry options; {id:N} in a string option becomes node N id', () => {
  const s = valid({
    ...base,
    apps: [
      { app: 'telemetry', options: { interval_s: 30, topic: 't' }, per_node: { '1': { collector: true, topic: 'u' } } },
      { app: 'echo', nodes: [1, 2], options: { to: 'node {id:0}!' } },
    ],
  });
  const ids = [0, 1, 2].map((i) => new Uint8Array(32).fill(i + 1));
  expect(appsOf(s, 0, ids)).toEqual([{ app: 'telemetry', options: { interval_s: 30, topic: 't' } }]);
  expect(appsOf(s, 1, ids)).toEqual([
    { app: 'telemetry', options: { interval_s: 30, topic: 'u', collector: true } },
    { app: 'echo', options: { to: `node ${'01'.repeat(32)}!` } },
  ]);
});

test.each([
  [{ apps: [{ app: 'chess' }] }, 'apps[0].app: must be one of the simulator\'s apps ("chat", "echo", "telemetry"), or give "module": a path to the app\'s module, got "chess"'],
  [{ apps: [{}] }, 'apps[0].app: must be one of the simulator\'s apps ("chat", "echo", "telemetry"), or give "module": a path to the app\'s module, got nothing'],
  [{ apps: [{ app: 'chat', node: [1] }] }, 'apps[0].node: unknown field (expected one of app, module, name, nodes, options, per_node)'],
  [{ apps: [{ app: 'chat', nodes: [0, 3] }] }, 'apps[0].nodes[1]: must be an integer in 0..2, got 3'],
  [{ apps: [{ app: 'chat', nodes: 'some' }] }, 'apps[0].nodes: must be "all" or an array of node indices, got "some"'],
  [{ apps: [{ app: 'chat', nodes: [] }] }, 'apps[0].nodes: must list at least one node (or be "all"), got []'],
  [{ apps: [{ app: 'chat', nodes: [1, 1] }] }, 'apps[0].nodes: must not list a node twice, got 1'],
  [{ apps: [{ app: 'chat', options: [] }] }, 'apps[0].options: must be an object, got []'],
  [{ apps: [{ app: 'chat', per_node: { '5': {} } }] }, 'apps[0].per_node.5: must be a node index in 0..2'],
  [{ apps: [{ app: 'chat', nodes: [0], per_node: { '1': { name: 'x' } } }] }, 'apps[0].per_node.1: node 1 does not run this app (nodes: [0])'],
  [{ apps: [{ app: 'chat', per_node: { '1': 'x' } }] }, 'apps[0].per_node.1: must be an object, got "x"'],
  [{ apps: [{ app: 'chat', nodes: [0, 1] }, { app: 'chat', nodes: [1] }] }, 'apps[1]: app "chat" is already given to node 1 by an earlier entry (an app runs at most once per node)'],
  [{ apps: [{ app: 'echo', options: { to: '{id:3}' } }] }, 'apps[0].options.to: placeholder {id:N} needs a node index N in 0..2, got "{id:3}"'],
  [{ apps: [{ app: 'echo', per_node: { '0': { to: '{addr:1}' } } }] }, 'apps[0].per_node.0.to: may use {id:N} only (addresses are not known when an app starts), got "{addr:1}"'],
  [{ apps: { app: 'chat' } }, 'apps: must be an array, got {"app":"chat"}'],
  [{ commands: [{ at_ms: 70000, node: 0, line: 'status' }] }, 'commands[0].at_ms: must be an integer in 0..60000, got 70000'],
  [{ commands: [{ at_ms: 0, node: 3, line: 'status' }] }, 'commands[0].node: must be an integer in 0..2, got 3'],
  [{ commands: [{ at_ms: 0, node: 0 }] }, 'commands[0].line: must be a non-empty string of at most 200 characters, got nothing'],
  [{ commands: [{ at_ms: 0, node: 0, line: '   ' }] }, 'commands[0].line: must not be blank, got "   "'],
  [{ commands: [{ at_ms: 0, node: 0, line: 'x'.repeat(201) }] }, `commands[0].line: must be a non-empty string of at most 200 characters, got "${'x'.repeat(36)}...`],
  [{ commands: [{ at_ms: 0, node: 0, line: 'dm {id:7} hi' }] }, 'commands[0].line: placeholder {id:N} needs a node index N in 0..2, got "{id:7}"'],
  [{ commands: [{ at_ms: 0, node: 0, line: 'ping {addr:x}' }] }, 'commands[0].line: placeholder {addr:N} needs a node index N in 0..2, got "{addr:x}"'],
  [{ commands: [{ at_ms: 0, node: 0, line: 'status', when: 5 }] }, 'commands[0].when: unknown field (expected one of at_ms, node, line)'],
])('%j: %s', (extra, message) => {
  expect(errors({ ...base, ...extra })).toEqual([message]);
});

test('every problem is reported at once', () => {
  expect(errors({ ...base, apps: [{ app: 'x' }, { app: 'chat', nodes: [9] }], commands: [{ at_ms: -1, node: 0, line: 'a' }] })).toHaveLength(3);
});
