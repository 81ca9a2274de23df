/**
 * What a user reads on the 135 px status screen (SCREEN_PAGE_OPTIONS: the PLUS2's 9 rows of
 * 127 px in OpenSans 16), from real nodes in a tree deeper than two levels: full addresses,
 * peers under the same parent told apart, the battery in the title bar, and app pages (the
 * telemetry and chat mods) showing their values. Every row must fit the pixels the Piu screen
 * has; the old layout (a 60 px label column, values cut to 17 characters) failed all of this.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { screenPages, type StatusPage } from '../../modules/status/pages.js';
import { withBattery } from '../../modules/status/input.js';
import { SCREEN_FIT, SCREEN_PAGE_OPTIONS, SCREEN_ROWS, titleBar } from '../../modules/status/screen.js';
import { openSansSemibold16 } from '../../modules/status/font-widths.js';
import type { NodeState } from '../../modules/mycelium/node.js';

/** Pixels a row takes: label, the gap, value. */
function rowWidth(label: string, value: string): number {
  return SCREEN_FIT.measure(label) + (label && value ? SCREEN_FIT.gap : 0) + SCREEN_FIT.measure(value);
}

function expectFits(pages: StatusPage[]): void {
  for (const page of pages) {
    expect(page.lines.length).toBeLessThanOrEqual(SCREEN_ROWS);
    for (const l of page.lines) expect(rowWidth(l.label, l.value)).toBeLessThanOrEqual(SCREEN_FIT.width);
  }
}

/** The value of `label` as the user reads it: its row and the continuation rows below it. */
function read(page: StatusPage, label: string): string | undefined {
  const i = page.lines.findIndex((l) => l.label === label);
  if (i < 0) return undefined;
  let text = page.lines[i].value;
  for (let j = i + 1; j < page.lines.length && page.lines[j].label === ''; j++) text += page.lines[j].value;
  return text;
}

/** Everything on a page as one string (what the eye scans for a value). */
function screenText(page: StatusPage): string {
  return page.lines.map((l) => `${l.label} ${l.value}`).join('\n');
}

/**
 * A chain 0-1-2-3-4 with a hub: 4 also reaches 5, 6 and 7. Wherever the root lands, the tree is
 * at least three levels deep and the hub's other neighbours share it as their parent.
 */
function deepTree(): { mesh: AppMesh; apps: AppNode[] } {
  const mesh = new AppMesh({ tree: { sub: true } });
  const apps = mesh.addApps(8);
  for (let i = 0; i < 4; i++) mesh.wire(apps[i], apps[i + 1]);
  for (const leaf of [5, 6, 7]) mesh.wire(apps[4], apps[leaf]);
  mesh.startAll();
  for (let t = 0; t < 180_000 && !mesh.converged(); t += 1000) mesh.run(1000);
  if (!mesh.converged()) throw new Error('the tree did not converge');
  return { mesh, apps };
}

describe('a tree deeper than two levels', () => {
  const { apps } = deepTree();
  const states = apps.map((a) => a.node.state());

  test('the deepest node shows its whole address, its root and parent, and the battery', () => {
    const deepest = states.reduce((a, b) => ((b.tree?.depth ?? 0) > (a.tree?.depth ?? 0) ? b : a));
    expect(deepest.tree?.depth).toBeGreaterThanOrEqual(3);
    const pages = screenPages(withBattery(deepest, () => 87), [], SCREEN_PAGE_OPTIONS);
    expectFits(pages);
    const node = pages[0];
    expect(read(node, 'addr')).toBe(deepest.address);
    expect(read(node, 'id')).toBe(deepest.nodeId.slice(0, 8));
    expect(read(node, 'root')).toBe(deepest.tree?.root.slice(0, 8));
    expect(read(node, 'parent')).toBe(deepest.tree?.parent?.slice(0, 8));
    for (const [i, page] of pages.entries()) expect(titleBar(page, i, pages.length)).toEqual({ text: expect.any(String), corner: '87%' });
    expect(titleBar(node, 0, pages.length).text).toBe(`Node 1/${pages.length}`);
  });

  test("the hub's neighbours under one parent read differently: id, when heard, role, whole address", () => {
    const hub = states[4];
    expect(hub.peers).toHaveLength(4);
    const pages = screenPages(hub, [], SCREEN_PAGE_OPTIONS);
    expectFits(pages);
    const peerPages = pages.filter((p) => p.title === 'Peers (4)');
    const text = peerPages.map(screenText).join('\n');
    const children = hub.tree?.children ?? [];
    expect(children.length).toBeGreaterThanOrEqual(2); // at least two peers share the hub as parent
    for (const p of hub.peers) {
      const page = peerPages.find((pg) => pg.lines.some((l) => l.label === p.id.slice(0, 8))) as StatusPage;
      expect(page).toBeDefined();
      const i = page.lines.findIndex((l) => l.label === p.id.slice(0, 8));
      expect(page.lines[i].value).toMatch(/^\d+[smhd]$/); // last heard
      const role = p.id === hub.tree?.parent ? 'parent' : children.includes(p.id) ? 'child' : '';
      expect(page.lines[i + 1].label).toBe(role);
      const address = page.lines[i + 1].value || page.lines[i + 2].value; // beside the role, or whole on the next row
      expect(address).toBe(p.addrs[p.addrs.length - 1]);
      expect(text).toContain(address);
    }
    const shown = hub.peers.map((p) => p.addrs[p.addrs.length - 1]);
    expect(new Set(shown).size).toBe(4);
    // The parent comes first, then the children.
    if (hub.tree?.parent) expect(peerPages[0].lines[0].label).toBe(hub.tree.parent.slice(0, 8));
  });
});

/** A node's state for one-off layouts (override what matters). */
function input(fields: Partial<NodeState> = {}): NodeState {
  const id = 'a1b2c3d4'.repeat(8);
  return {
    nodeId: id,
    running: true,
    uptimeMs: 3_723_000,
    address: undefined,
    addresses: [],
    tree: { root: id, running: true, parent: undefined, children: [], depth: 0 },
    peers: [],
    routes: [],
    apps: [],
    counters: {},
    sizes: {},
    modemSleep: 'off',
    ...fields,
  };
}

describe('long values and many peers', () => {
  test('an address too wide for one row continues on the next, never cut', () => {
    const address = '249-8a9b8c8d8e8f9a9b::'; // coordinates of 8 and more take two digits each
    expect(rowWidth('', address)).toBeGreaterThan(SCREEN_FIT.width);
    const [node] = screenPages(input({ address, addresses: [address] }), [], SCREEN_PAGE_OPTIONS);
    expectFits([node]);
    expect(read(node, 'addr')).toBe(address);
    const i = node.lines.findIndex((l) => l.label === 'addr');
    expect(node.lines[i].value).toBe(''); // the label alone, then the address from the row's start
    expect(node.lines[i + 1].value).toMatch(/^249-8a9b8c8d8e/); // as much as the row holds
    expect(node.lines[i + 2].label).toBe('');
  });

  test('peers whose ids begin alike get as many digits as tell them apart', () => {
    const peer = (id: string) => ({ id, addrs: ['7-1::'], lastRxAgoMs: 1000, timeout: 0, queued: 0 });
    const twins = [peer('0011223344' + '0'.repeat(54)), peer('0011223355' + '0'.repeat(54))];
    const page = screenPages(input({ peers: twins }), [], SCREEN_PAGE_OPTIONS)[1];
    expect(page.lines.map((l) => l.label)).toEqual(['001122334', '', '001122335', '']); // 8 digits are alike: one more
    expect(page.lines[1]).toEqual({ label: '', value: '7-1::' });
  });

  test('ten peers take three pages of four; past four pages the last row counts the rest', () => {
    const peer = (i: number) => ({ id: i.toString(16).padStart(2, '0').repeat(32), addrs: [`7-1${i % 8}::`], lastRxAgoMs: i * 1000, timeout: 0, queued: 0 });
    const ten = screenPages(input({ peers: Array.from({ length: 10 }, (_, i) => peer(i + 1)) }), [], SCREEN_PAGE_OPTIONS).slice(1);
    expect(ten.map((p) => p.title)).toEqual(['Peers (10)', 'Peers (10)', 'Peers (10)']);
    expect(ten.map((p) => p.lines.length)).toEqual([8, 8, 4]);
    expect(ten[0].lines[0]).toEqual({ label: '01010101', value: '1s' }); // by id: rows stay put as ages change
    const many = screenPages(input({ peers: Array.from({ length: 20 }, (_, i) => peer(i + 1)) }), [], SCREEN_PAGE_OPTIONS).slice(1);
    expect(many).toHaveLength(4);
    expect(many[3].lines.at(-1)).toEqual({ label: '+4 more', value: '' });
  });

  test('the title bar keeps the battery and drops the page number first', () => {
    expect(titleBar({ title: 'Node', lines: [], corner: '100%' }, 0, 3)).toEqual({ text: 'Node 1/3', corner: '100%' });
    expect(titleBar({ title: 'Telemetry', lines: [] }, 2, 3)).toEqual({ text: 'Telemetry 3/3', corner: '' });
    expect(titleBar({ title: 'Telemetry', lines: [], corner: '100%' }, 2, 3)).toEqual({ text: 'Telemetry', corner: '100%' });
    const long = { title: 'A rather long title', lines: [], corner: '100%' };
    const bar = titleBar(long, 4, 5);
    expect(bar.corner).toBe('100%');
    expect(openSansSemibold16(bar.text) + 8 + openSansSemibold16('100%')).toBeLessThanOrEqual(127);
    expect(bar.text.endsWith('...')).toBe(true);
  });
});

describe('app pages show their values', () => {
  test('a telemetry page: node, age, uptime and battery visible on every row', () => {
    const ids = ['c0ffee01', 'c0ffee02'].map((p) => p + '0'.repeat(56));
    const lines = [
      { label: 'nodes', value: '2 of 64' },
      { label: ids[0].slice(0, 8), value: '4s ago' },
      { label: '', value: 'up 12m05s 87%' },
      { label: ids[1].slice(0, 8), value: '31s ago' },
      { label: '', value: 'up 3h07m 104k' },
    ];
    const page = screenPages(input(), [{ title: 'Telemetry', lines }], SCREEN_PAGE_OPTIONS).at(-1) as StatusPage;
    expectFits([page]);
    expect(page.lines).toEqual(lines); // every value fits whole: nothing cut
  });

  test('a long chat message flows over the rows below its sender', () => {
    const page = screenPages(input(), [{ title: 'Chat', lines: [{ label: 'xs-chat', value: 'hello from the simulator' }, { label: 'n0', value: 'hi' }] }], SCREEN_PAGE_OPTIONS).at(-1) as StatusPage;
    expectFits([page]);
    expect(page.lines[0].label).toBe('xs-chat');
    expect(read(page, 'xs-chat')?.replace(/\s/g, '')).toBe('hellofromthesimulator');
    expect(page.lines.at(-1)).toEqual({ label: 'n0', value: 'hi' });
  });

  test('rows beyond the ninth are left out, the cut one ending in "..."', () => {
    const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
    const lines = [{ label: 'n0', value: words }, { label: 'n1', value: 'left out' }];
    const page = screenPages(input(), [{ title: 'Chat', lines }], SCREEN_PAGE_OPTIONS).at(-1) as StatusPage;
    expect(page.lines).toHaveLength(SCREEN_ROWS);
    expectFits([page]);
    expect(page.lines.at(-1)?.value.endsWith('...')).toBe(true);
  });
});
