/**
 * `nodes`, `traceroute`, short ids and names, and JSON answers, on a line of four nodes
 * (0 - 1 - 2 - 3) on the virtual clock.
 */
import { attach, converge, hostOf, line, memoryStore, type Station } from './support.js';
import type { CommandResult, NodeRow } from '../../modules/console/results.js';

function setup() {
  const { mesh, nodes } = line(4);
  converge(mesh);
  mesh.run(30_000); // gossiped adverts give routes to every node (sub: true)
  return { mesh, nodes };
}

describe('nodes', () => {
  test('lists every node with short id, address, hops, last heard and the neighbour it goes through', () => {
    const { nodes } = setup();
    const [a, b, c3, d] = nodes;
    const c = attach(hostOf(a, { config: memoryStore() }));
    const out = c.run('nodes');
    expect(out[0]).toBe('Nodes: 4 (* this node)');
    expect(out[1]).toMatch(/^\tid +name +address +hops +heard +via +link in\/out etx$/);
    const row = (n: { idHex: string }) => out.find((l) => l.startsWith('\t' + n.idHex.slice(0, 8))) as string;
    expect(row(a)).toMatch(new RegExp(`^\\t${a.idHex.slice(0, 8)}\\* +node-a +${escape(a.packager.address?.toString())} +0 +— +— +—$`));
    expect(row(b)).toMatch(new RegExp(` +— +${escape(b.packager.address?.toString())} +1 +\\d+s +— +—$`));
    // Two and three hops away: reached through b, never heard directly.
    expect(row(c3)).toMatch(new RegExp(` +${escape(c3.packager.address?.toString())} +2 +— +${b.idHex.slice(0, 8)} +—$`));
    expect(row(d)).toMatch(new RegExp(` +3 +— +${b.idHex.slice(0, 8)} +—$`));
    // Nearest first.
    expect(out.slice(2).map((l) => l.slice(1, 9))).toEqual([a, b, c3, d].map((n) => n.idHex.slice(0, 8)));
  });

  test('neighbours that run our Hello: link quality each way and ETX; a lossy link shows its loss', () => {
    // 0 - 1 loses 30 % each way, 1 - 2 is clean.
    const { mesh, nodes } = line(3, { hello: true, loss: [0.3, 0] });
    converge(mesh);
    mesh.run(60_000); // a full window of hellos and the neighbours' reports of them
    const [a, b, c3] = nodes;
    const q = (from: Station, to: Station) => {
      const r = JSON.parse(attach(hostOf(from)).run('json nodes')[0]) as Extract<CommandResult, { kind: 'nodes' }>;
      return r.nodes.find((n) => n.id === to.idHex)?.linkQuality;
    };
    const lossy = q(a, b)!;
    expect(lossy.in).toBeGreaterThan(0.3);
    expect(lossy.in).toBeLessThan(0.95);
    expect(lossy.out).toBeGreaterThan(0.3);
    expect(lossy.out).toBeLessThan(0.95);
    expect(lossy.etx).toBeCloseTo(1 / (lossy.in * lossy.out!), 2);
    expect(q(b, c3)).toEqual({ in: 1, out: 1, etx: 1 });
    // Two hops away: no link of ours to measure.
    expect(q(a, c3)).toBeUndefined();
    const text = attach(hostOf(b)).run('nodes');
    expect(text.find((l) => l.startsWith('\t' + c3.idHex.slice(0, 8)))).toMatch(/ 100%\/100% 1\.00$/);
    expect(text.find((l) => l.startsWith('\t' + a.idHex.slice(0, 8)))).toMatch(/ \d+%\/\d+% \d\.\d\d$/);
  });

  test('json nodes and nodes --json answer the same data; no link quality from upstream-only neighbours', () => {
    const { nodes } = setup();
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    const [line1] = c.run('json nodes');
    expect(c.run('nodes --json')).toEqual([line1]);
    const r = JSON.parse(line1) as Extract<CommandResult, { kind: 'nodes' }>;
    expect(r.kind).toBe('nodes');
    expect(r.self).toBe(a.idHex);
    const peer = r.nodes.find((n) => n.id === b.idHex) as NodeRow;
    expect(peer).toMatchObject({ hops: 1, via: b.idHex, address: b.packager.address?.toString() });
    expect(peer.linkQuality).toBeUndefined();
    expect(typeof peer.lastHeardMs).toBe('number');
  });
});

describe('short ids and names', () => {
  test('ping by an 8-digit short id of a node three hops away', () => {
    const { mesh, nodes } = setup();
    const [a, , , d] = nodes;
    const c = attach(hostOf(a));
    expect(c.run(`ping ${d.idHex.slice(0, 8)} 1`)).toEqual(['ping test started']);
    mesh.run(4_000);
    const report = c.fresh();
    expect(report).toContain(`\tremote: ${d.idHex}`);
    expect(report).toContain('\tsuccess_rate: 100%');
  });

  test('a name, an unknown prefix, an ambiguous prefix', () => {
    const { nodes } = setup();
    const [a] = nodes;
    const c = attach(hostOf(a, { config: memoryStore(), names: () => [{ id: nodes[2].idHex, name: 'Carol' }] }));
    expect(c.run('traceroute carol')[0]).toMatch(/^Traceroute to \S+ \([0-9a-f]{8}\): 2 hops/);
    expect(c.run('ping ffff0000')).toEqual(['Error: "ffff0000" is neither a node id (64 hex digits) nor an address (like 1-10::)']);
    // Every id starts with one of 16 digits: with 4 nodes, try one-digit-longer prefixes of a
    // pair that shares the first digit, if any; else force the case with two names alike.
    const ambiguous = attach(hostOf(a, { names: () => [{ id: nodes[1].idHex, name: 'x' }, { id: nodes[3].idHex, name: 'X' }] }));
    expect(ambiguous.run('ping x')[0]).toMatch(/^Error: "x" is ambiguous: [0-9a-f]{8}, [0-9a-f]{8} \(type more digits\)$/);
  });
});

describe('traceroute', () => {
  test('the hops up and down the tree, each way, named by short id', () => {
    const { nodes } = setup();
    const [a, b, c3, d] = nodes;
    const c = attach(hostOf(d));
    const out = c.run(`traceroute ${a.idHex.slice(0, 8)}`);
    expect(out[0]).toBe(`Traceroute to ${a.packager.address?.toString()} (${a.idHex.slice(0, 8)}): 3 hops (from tree addresses; no probe sent)`);
    const ids = (lines: string[]) => lines.map((l) => l.split('  ').pop());
    const back = out.indexOf('Back:');
    expect(ids(out.slice(1, back))).toEqual([c3, b, a].map((n) => n.idHex.slice(0, 8)));
    expect(ids(out.slice(back + 1))).toEqual([b, c3, d].map((n) => n.idHex.slice(0, 8)));
    const j = JSON.parse(c.run(`json traceroute ${a.idHex.slice(0, 8)}`)[0]);
    expect(j.there.map((h: { id: string }) => h.id)).toEqual([c3, b, a].map((n) => n.idHex));
  });

  test('without an address known for the node, it says so', () => {
    const { nodes } = setup();
    const c = attach(hostOf(nodes[0]));
    expect(c.run('traceroute')).toEqual(['Error: usage: traceroute NODE|ADDR']);
    expect(c.run('traceroute nowhere')).toEqual(['Error: "nowhere" is neither a known node nor an address (like 1-10::)']);
  });
});

describe('json', () => {
  test('every query answers one JSON line; errors too; text output is unchanged', () => {
    const { nodes } = setup();
    const c = attach(hostOf(nodes[0]));
    for (const q of ['status', 'get peers', 'get routes', 'get node_id', 'get addrs', 'version', 'nodes']) {
      const out = c.run('json ' + q);
      expect(out).toHaveLength(1);
      expect(() => JSON.parse(out[0])).not.toThrow();
    }
    expect(JSON.parse(c.run('get nothing --json')[0])).toEqual({ kind: 'error', message: expect.stringContaining('unknown get target') });
    expect(c.run('json')).toEqual(['{"kind":"error","message":"usage: json COMMAND [args] (or COMMAND [args] --json)"}']);
    expect(c.run('get node_id')).toEqual([`Node ID: ${nodes[0].idHex}`]);
  });
});

function escape(s: string | undefined): string {
  return (s ?? 'undefined').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
