/**
 * The status pages laid out for a text console (the default fit: 20 characters a row): pages
 * built from real nodes' state (node.state()), long values wrapped, peers two rows each, and
 * the small formatters. tests/status/screen-pages.test.ts reads them as the 135 px screen does.
 */
import { converge, line } from '../console/support.js';
import { AppMesh } from '../support/apps-mesh.js';
import { screenPages, statusPages, DEFAULT_LINES_PER_PAGE, type StatusPage } from '../../modules/status/pages.js';
import { statusFigures, withBattery } from '../../modules/status/input.js';
import type { NodeState, PeerState } from '../../modules/mycelium/node.js';
import { compactCount, distinctPrefix, formatAge, formatUptime, shortHex, truncate } from '../../modules/status/format.js';
import { CHARACTER_FIT } from '../../modules/status/layout.js';
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
    const [node, peers] = screenPages(snap, []);
    expect(node.title).toBe('Node');
    const parent = b.tree.isRoot ? [] : ['parent'];
    expect(node.lines.map((l) => l.label)).toEqual(['id', 'addr', 'root', ...parent, 'peers', 'routes', 'up', 'tx/rx', 'drop', 'sleep'].slice(0, 9));
    expect(value(node, 'id')).toBe(b.idHex.slice(0, 8));
    expect(value(node, 'addr')).toBe(b.packager.address?.toString());
    expect(value(node, 'root')).toBe(b.tree.isRoot ? 'self' : toHex(b.tree.root).slice(0, 8));
    expect(value(node, 'peers')).toBe('2');
    expect(value(node, 'tx/rx')).toBe(`${f.tx}/${f.rx}`);
    expect(value(node, 'drop')).toBe(String(f.drop));
    expect(value(node, 'up')).toMatch(/^\d+(m \d\d)?s$/);
    expect(node.corner).toBe('87%'); // the battery is in every page's title bar
    expect(peers.corner).toBe('87%');
    expect(statusPages(snap, { linesPerPage: 12 })[0].lines.at(-1)).toEqual({ label: 'sleep', value: 'off' });
    expect(peers.title).toBe('Peers (2)');
    const ids = peers.lines.filter((_, i) => i % 2 === 0);
    expect(ids.map((l) => l.label).sort()).toEqual([nodes[0].idHex.slice(0, 8), nodes[2].idHex.slice(0, 8)].sort());
    for (const l of ids) expect(l.value).toMatch(/^\d+s$/);
    for (const l of peers.lines.filter((_, i) => i % 2 === 1)) expect(l.value).toMatch(/^\d+-[0-9a-f:]+$/);
  });

  test('before start: no root, no peers, stopped, and a gauge that throws means no battery line', () => {
    const { nodes } = line(1);
    nodes[0].node.stop();
    const snap = withBattery(nodes[0].node.state(), () => {
      throw new Error('no gauge');
    });
    expect(snap.running).toBe(false);
    expect(snap.battery).toBeUndefined();
    const [node, peers] = screenPages(snap, []);
    expect(node.corner).toBeUndefined();
    expect(value(node, 'up')).toBe('stopped');
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

describe('fitting the rows', () => {
  test('a long address continues on the next rows instead of being cut', () => {
    const long = unwrap(Address.fromCoords(200, new Array(16).fill(9))).toString(); // 200-8181…81: 36 characters
    expect(long.length).toBeGreaterThan(30);
    const [node] = statusPages(input({ addresses: [long], counters: { tx_frames: 123_456, rx_frames: 98_765_432, drop_a: 2, drop_b: 3 } }), { linesPerPage: 12 });
    for (const l of node.lines) expect(l.label.length + (l.label && l.value ? 1 : 0) + l.value.length).toBeLessThanOrEqual(20);
    const at = node.lines.findIndex((l) => l.label === 'addr');
    expect(node.lines.slice(at, at + 3)).toEqual([
      { label: 'addr', value: '' },
      { label: '', value: long.slice(0, 20) },
      { label: '', value: long.slice(20) },
    ]);
    expect(value(node, 'tx/rx')).toBe('123k/98M');
    expect(value(node, 'drop')).toBe('5');
    expect(value(node, 'root')).toBe('self');
    expect(value(node, 'up')).toBe('1h 02m');
  });

  test('the fit is an option: width, measure, gap, ellipsis', () => {
    const fit = { ...CHARACTER_FIT, width: 12, ellipsis: '...' };
    const [node] = statusPages(input({ addresses: ['176-2410::85'] }), { fit });
    expect(node.lines.slice(1, 3)).toEqual([{ label: 'addr', value: '' }, { label: '', value: '176-2410::85' }]);
    for (const l of node.lines) expect(l.label.length + (l.label && l.value ? 1 : 0) + l.value.length).toBeLessThanOrEqual(12);
  });

  test('linesPerPage (default 9) keeps the most important lines', () => {
    expect(DEFAULT_LINES_PER_PAGE).toBe(9);
    const pages = statusPages(input({ battery: 50 }));
    expect(pages[0].lines).toHaveLength(9);
    const short = statusPages(input({ battery: 50 }), { linesPerPage: 4 });
    expect(short[0].lines.map((l) => l.label)).toEqual(['id', 'addr', 'root', 'peers']);
    expect(statusPages(input(), { linesPerPage: 0 })[0].lines).toHaveLength(1);
  });

  test('peer pages: two rows a peer, parent then children then the rest, capped with a count', () => {
    const peers = Array.from({ length: 12 }, (_, i) => peer((i + 10).toString(16).padStart(2, '0').repeat(32), `1-${i + 1}::`, (12 - i) * 1000));
    const id = (i: number) => (i + 10).toString(16).padStart(2, '0').repeat(32);
    const tree = { root: 'ff'.repeat(32), running: true, parent: id(5), children: [id(9), id(2)], depth: 1 };
    const pages = statusPages(input({ peers, tree })).slice(1);
    expect(pages.map((p) => p.title)).toEqual(['Peers (12)', 'Peers (12)', 'Peers (12)']);
    expect(pages[0].lines.slice(0, 6)).toEqual([
      { label: '0f0f0f0f', value: '7s' },
      { label: 'parent', value: '1-6::' },
      { label: '0c0c0c0c', value: '10s' },
      { label: 'child', value: '1-3::' },
      { label: '13131313', value: '3s' },
      { label: 'child', value: '1-10::' },
    ]);
    expect(pages[0].lines[6]).toEqual({ label: '0a0a0a0a', value: '12s' });
    expect(pages[0].lines[7]).toEqual({ label: '', value: '1-1::' });
    const noAddr = statusPages(input({ peers: [peer('ff'.repeat(32), undefined, 0)] }))[1];
    expect(noAddr.lines).toEqual([{ label: 'ffffffff', value: '0s' }, { label: '', value: 'no address' }]);
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
    expect([0, 59_999, 60_000, 7_200_000, 172_800_000, -5].map(formatAge)).toEqual(['0s', '59s', '1m', '2h', '2d', '?']);
    expect(distinctPrefix('abcdef0123', ['abcdef0123', 'abcdef0199'])).toBe('abcdef012');
    expect(distinctPrefix('abcdef0123', ['1234'], 4)).toBe('abcd');
  });
});
