/**
 * The status screen's view model: pages built from real nodes' state (node.state()), values cut to the screen's
 * width, the peer page most-recent-first and capped, and the small formatters.
 */
import { converge, line } from '../console/support.js';
import { AppMesh } from '../support/apps-mesh.js';
import { statusPages, DEFAULT_LINES_PER_PAGE, type StatusPage } from '../../modules/status/pages.js';
import { statusFigures, withBattery } from '../../modules/status/input.js';
import type { NodeState, PeerState } from '../../modules/mycelium/node.js';
import { compactCount, formatUptime, shortHex, truncate } from '../../modules/status/format.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

function value(page: StatusPage, label: string): string | undefined {
  return page.lines.find((l) => l.label === label)?.value;
}

/** A node's state with 12 frames sent, 30 received, 1 dropped (override with `counters`). */
function input(fields: Partial<NodeState> = {}): NodeState {
  const id = 'a1b2c3d4'.repeat(8);
  return {
    nodeId: id,
    running: true,
    uptimeMs: 3_723_000,
    address: '25-12::',
    addresses: ['25-12::'],
    tree: { root: id, running: true, parent: undefined, children: [], depth: 1 },
    peers: [],
    routes: [1, 2, 3].map((k) => ({ address: `25-12:${k}::`, nodeId: String(k).repeat(64) })),
    apps: [],
    counters: { tx_frames: 12, rx_frames: 30, drop_bad_checksum: 1 },
    sizes: {},
    modemSleep: 'off',
    ...fields,
  };
}

function peer(id: string, address: string | undefined, lastRxAgoMs: number): PeerState {
  return { id, addrs: address === undefined ? [] : [address], lastRxAgoMs, timeout: 0, queued: 0 };
}

describe('page 0 from real nodes\' state', () => {
  test('the middle of a converged line: id, address, root, two peers, counters, uptime, battery', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const b = nodes[1];
    const snap = withBattery(b.node.state(), () => 87.4);
    const f = statusFigures(snap);
    expect(snap.nodeId).toBe(b.idHex);
    expect(f.root).toBe(toHex(b.tree.root));
    expect(snap.peers.map((p) => p.id).sort()).toEqual([nodes[0].idHex, nodes[2].idHex].sort());
    expect(f.tx).toBe(b.packager.counters.get('tx_frames'));
    expect(f.rx).toBe(b.packager.counters.get('rx_frames'));
    expect(snap.battery).toBe(87);
    const [node, peers] = statusPages(snap);
    expect(node.title).toBe('Node');
    expect(node.lines.map((l) => l.label)).toEqual(['id', 'addr', 'root', 'peers', 'routes', 'tx/rx', 'drop', 'up', 'batt']);
    expect(value(node, 'id')).toBe(b.idHex.slice(0, 8));
    expect(value(node, 'addr')).toBe(b.packager.address?.toString());
    expect(value(node, 'root')).toBe(toHex(b.tree.root).slice(0, 8) + (b.tree.isRoot ? ' (self)' : ''));
    expect(value(node, 'peers')).toBe('2');
    expect(value(node, 'tx/rx')).toBe(`${f.tx}/${f.rx}`);
    expect(value(node, 'drop')).toBe(String(f.drop));
    expect(value(node, 'up')).toMatch(/^\d+(m \d\d)?s$/);
    expect(value(node, 'batt')).toBe('87%');
    expect(value(node, 'sleep')).toBeUndefined(); // the tenth line: a 9-line screen with a battery leaves it out
    expect(statusPages(snap, { linesPerPage: 10 })[0].lines[9]).toEqual({ label: 'sleep', value: 'off' });
    expect(peers.title).toBe('Peers (2)');
    expect(peers.lines.map((l) => l.label).sort()).toEqual([nodes[0].idHex.slice(0, 8), nodes[2].idHex.slice(0, 8)].sort());
    for (const l of peers.lines) expect(l.value).toMatch(/^\d+-[0-9a-f:]+$/);
  });

  test('before start: no root, no peers, stopped, and a gauge that throws means no battery line', () => {
    const { nodes } = line(1);
    nodes[0].node.stop();
    const snap = withBattery(nodes[0].node.state(), () => {
      throw new Error('no gauge');
    });
    expect(snap.running).toBe(false);
    expect(snap.battery).toBeUndefined();
    const [node, peers] = statusPages(snap);
    expect(value(node, 'up')).toBe('stopped');
    expect(value(node, 'batt')).toBeUndefined();
    expect(peers.lines).toEqual([{ label: 'none', value: '' }]);
  });
});

test('modem sleep: on, awake or asleep', () => {
  const mesh = new AppMesh({ node: { modemSleep: true } });
  const [a] = mesh.addApps(1);
  expect(a.node.state().modemSleep).toBe('off'); // not started
  mesh.startAll();
  expect(a.node.state().modemSleep).toBe('awake');
  let t = 0;
  while (!a.node.modemSleep?.asleep && t < 5_000) {
    mesh.run(1);
    t++;
  }
  expect(a.node.state().modemSleep).toBe('asleep');
  expect(value(statusPages(a.node.state())[0], 'sleep')).toBe('on, asleep');
});

describe('fitting the screen', () => {
  test('long values are cut with an ellipsis to 20 characters per line', () => {
    const long = unwrap(Address.fromCoords(200, new Array(16).fill(9))).toString(); // 200-8181…81: 36 characters
    expect(long.length).toBeGreaterThan(30);
    const [node] = statusPages(input({ addresses: [long], counters: { tx_frames: 123_456, rx_frames: 98_765_432, drop_a: 2, drop_b: 3 }, battery: 100 }));
    for (const l of node.lines) expect(l.label.length + 1 + l.value.length).toBeLessThanOrEqual(20);
    expect(value(node, 'addr')).toBe(long.slice(0, 14) + '…');
    expect(value(node, 'tx/rx')).toBe('123k/98M');
    expect(value(node, 'drop')).toBe('5');
    expect(value(node, 'root')).toBe('a1b2c3d4 (self)');
    expect(value(node, 'up')).toBe('1h 02m');
  });

  test('width and ellipsis are options', () => {
    const [node] = statusPages(input({ addresses: ['176-2410::85'] }), { width: 12, ellipsis: '...' });
    expect(value(node, 'addr')).toBe('176-...');
    for (const l of node.lines) expect(l.label.length + 1 + l.value.length).toBeLessThanOrEqual(12);
  });

  test('linesPerPage (default 9) keeps the most important lines', () => {
    expect(DEFAULT_LINES_PER_PAGE).toBe(9);
    const pages = statusPages(input({ battery: 50 }));
    expect(pages[0].lines).toHaveLength(9);
    const short = statusPages(input({ battery: 50 }), { linesPerPage: 4 });
    expect(short[0].lines.map((l) => l.label)).toEqual(['id', 'addr', 'root', 'peers']);
    expect(statusPages(input(), { linesPerPage: 0 })[0].lines).toHaveLength(1);
  });

  test('page 1 lists peers most recent first, capped with a count of the rest', () => {
    const peers = Array.from({ length: 12 }, (_, i) => peer((i + 10).toString(16).padStart(2, '0').repeat(32), `1-${i + 1}::`, (12 - i) * 1000));
    const [, page] = statusPages(input({ peers }));
    expect(page.title).toBe('Peers (12)');
    expect(page.lines).toHaveLength(9);
    expect(page.lines[0]).toEqual({ label: '15151515', value: '1-12::' }); // heard 1 s ago
    expect(page.lines[1].label).toBe('14141414');
    expect(page.lines[8]).toEqual({ label: '+4 more', value: '' });
    const few = statusPages(input({ peers: peers.slice(0, 3) }))[1];
    expect(few.lines.map((l) => l.label)).toEqual(['0c0c0c0c', '0b0b0b0b', '0a0a0a0a']);
    const noAddr = statusPages(input({ peers: [peer('ff'.repeat(32), undefined, 0)] }))[1];
    expect(noAddr.lines).toEqual([{ label: 'ffffffff', value: '-' }]);
  });
});

describe('formatters', () => {
  test('uptime, counts, short ids, truncation', () => {
    expect([0, 42_000, 725_000, 3_723_000, 277_200_000].map(formatUptime)).toEqual(['0s', '42s', '12m 05s', '1h 02m', '3d 05h']);
    expect(formatUptime(-1)).toBe('?');
    expect([0, 9_999, 10_000, 345_678, 12_345_678, 4e9].map(compactCount)).toEqual(['0', '9999', '10k', '345k', '12M', '4G']);
    expect(shortHex('abcdef0123456789')).toBe('abcdef01');
    expect(truncate('hello world', 5)).toBe('hell…');
    expect(truncate('hello', 5)).toBe('hello');
    expect(truncate('hello', 0)).toBe('');
    expect(truncate('hello', 2, '...')).toBe('he');
  });
});
