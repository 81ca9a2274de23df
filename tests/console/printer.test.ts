/**
 * Commands answer with data and one printer turns it into upstream's lines: the data a command
 * returns, and the exact text each kind of answer prints.
 */
import { formatResult, helpLine } from '../../modules/console/printer.js';
import type { CommandResult } from '../../modules/console/results.js';
import type { NodeState } from '../../modules/mycelium/node.js';
import { COMMANDS } from '../../modules/console/commands/table.js';
import { runGet } from '../../modules/console/commands/get.js';
import { Session } from '../../modules/console/session.js';
import { converge, line } from './support.js';

const ID = 'ab'.repeat(32);

const state: NodeState = {
  nodeId: ID,
  running: true,
  uptimeMs: 725_000,
  address: '1-10::',
  addresses: ['1-::', '1-10::'],
  tree: { root: ID, running: true, parent: undefined, children: ['cd'.repeat(32)], depth: 1 },
  peers: [{ id: 'cd'.repeat(32), addrs: ['1-11::'], lastRxAgoMs: 500, timeout: 4, queued: 0 }],
  routes: [{ address: '1-12::', nodeId: 'ef'.repeat(32) }],
  apps: ['Beacon'],
  counters: { tx_frames: 7, rx_frames: 9, drop_bad_checksum: 2, drop_banned: 1 },
  sizes: {},
  modemSleep: 'off',
  battery: 64,
};

test('each kind of answer prints upstream\'s lines', () => {
  const cases: [CommandResult, string[]][] = [
    [{ kind: 'error', message: 'no such thing' }, ['Error: no such thing']],
    [{ kind: 'text', lines: ['Banned ' + ID] }, ['Banned ' + ID]],
    [{ kind: 'node_id', nodeId: ID }, ['Node ID: ' + ID]],
    [{ kind: 'addresses', addresses: ['1-::', '1-10::'] }, ['Addresses: [Address(1-::), Address(1-10::)]']],
    [{ kind: 'addresses', addresses: [] }, ['Addresses: []']],
    [{ kind: 'apps', apps: [{ id: '00ff', name: 'Ping', version: 0 }, { id: '0100', name: undefined, version: undefined }] }, ['Apps:', '\t00ff - Ping - version 0', '\t0100 - ? - version ?']],
    [{ kind: 'schedule', events: [{ id: 'e1', dueInMs: 20 }, { id: 'e2', dueInMs: undefined }] }, ['Schedule:', '\te1 - due in 20 ms', '\te2 - due in ? ms']],
    [{ kind: 'peers', peers: [{ id: 'cd', addrs: ['1-11::', '2-1::'] }, { id: 'ef', addrs: [] }] }, ['Peers:', '\tcd 1-11:: 2-1::', '\tef']],
    [{ kind: 'routes', routes: [{ address: '1-12::', nodeId: 'ef' }] }, ['Routes:', '\t1-12:: -> ef']],
    [{ kind: 'banned', ids: [] }, ['Banned:']],
    [{ kind: 'next_hop', to: '9-9::', hop: undefined }, ['No next hop found for 9-9::']],
    [{ kind: 'next_hop', to: '1-12::', hop: { peer: 'cd', address: '1-11::' } }, ['Next Hop: cd 1-11::']],
    [{ kind: 'version', firmware: 'x', packager: '0.1.0-dev', protocol: 0 }, ['MPNode version: x', 'Packager version: 0.1.0-dev', 'Protocol version: 0']],
    [{ kind: 'settings', settings: [] }, ['Settings: none']],
    [{ kind: 'settings', settings: [['name', 'n1'], ['channel', undefined]] }, ['Settings:', '\tname = n1', '\tchannel = (unset)']],
    [{ kind: 'setting', key: 'channel', value: 3 }, ['channel = 3']],
    [{ kind: 'invoke', value: [] }, ['Result: []']],
    [{ kind: 'ping_progress', text: 'ping test started' }, ['ping test started']],
    [
      { kind: 'ping_report', report: { error: 'no responses', remote: '1-1::', mode: 'routed dTree', expected_count: 2, success_rate: '0%' } },
      ['Ping report:', '\terror: no responses', '\tremote: 1-1::', '\tmode: routed dTree', '\texpected_count: 2', '\tsuccess_rate: 0%'],
    ],
    [
      {
        kind: 'ping_report',
        report: { mode: 'gossip', remote: 'cd', count: 1, expected_count: 2, success_rate: '50%', there: { min: 3, max: 3, avg: 3 }, back: { min: 1, max: 2, avg: 1.5 }, round_trip: { min: 4, max: 5, avg: 4.25 } },
      },
      ['Ping report:', '\tmode: gossip', '\tremote: cd', '\tcount: 1', '\texpected_count: 2', '\tsuccess_rate: 50%', '\tthere: min 3 ms, max 3 ms, avg 3 ms', '\tback: min 1 ms, max 2 ms, avg 1.5 ms', '\tround_trip: min 4 ms, max 5 ms, avg 4.3 ms'],
    ],
  ];
  for (const [result, lines] of cases) expect(formatResult(result)).toEqual(lines);
});

test('status prints the node state block, battery and sleep lines as known', () => {
  expect(formatResult({ kind: 'status', state })).toEqual([
    'Node ID: ' + ID,
    'Addresses: 1-::, 1-10::',
    `Root: ${ID} (this node)`,
    'Peers: 1',
    'Routes: 1',
    'Frames: tx 7, rx 9, dropped 3',
    'Uptime: 12m 05s',
    'Battery: 64%',
    'Modem sleep: off',
  ]);
  const bare: NodeState = { ...state, running: false, addresses: [], tree: undefined, battery: undefined, modemSleep: 'asleep' };
  const lines = formatResult({ kind: 'status', state: bare });
  expect(lines).toContain('Addresses: none');
  expect(lines).toContain('Root: none');
  expect(lines).toContain('Uptime: stopped');
  expect(lines).toContain('Modem sleep: on, asleep');
  expect(lines.some((l) => l.startsWith('Battery'))).toBe(false);
});

test('help lists every built-in with its usage, then the apps\' help lines', () => {
  const lines = formatResult({ kind: 'help', commands: COMMANDS, appHelp: ['chat TEXT - say something'] });
  expect(lines[0]).toBe('Commands:');
  expect(lines).toContain('\thelp, ?, h [command] - list the commands, or show one command');
  expect(lines).toContain('\tstatus - node id, addresses, root, peers, routes, frames, uptime, battery, modem sleep');
  expect(lines[lines.length - 1]).toBe('\tchat TEXT - say something');
  expect(helpLine(COMMANDS[0])).toBe('help, ?, h [command] - list the commands, or show one command');
});

test('a command returns data, not lines: get peers and routes are the node state\'s', () => {
  const { mesh, nodes } = line(3);
  converge(mesh);
  const session = new Session({ node: nodes[1].node }, () => {});
  const s = nodes[1].node.state();
  expect(runGet(session, ['peers'])).toEqual({ kind: 'peers', peers: s.peers.map((p) => ({ id: p.id, addrs: p.addrs })) });
  expect(runGet(session, ['routes'])).toEqual({ kind: 'routes', routes: s.routes });
  expect(runGet(session, ['addrs'])).toEqual({ kind: 'addresses', addresses: s.addresses });
  expect(runGet(session, ['nonsense'])).toMatchObject({ kind: 'error' });
});
