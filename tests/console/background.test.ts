/**
 * Commands whose output arrives later, on the virtual clock: ping and gossip_ping reports,
 * monitor lines (filtered, capped, stopped by interrupt), wait, DebugApp answers, and stop().
 */
import { attach, converge, hostOf, line } from './support.js';
import { MONITOR_QUEUE_LIMIT } from '../../modules/console/monitor.js';
import { TEST_APP_ID } from '../support/mesh.js';

describe('ping', () => {
  test('ping NODE_ID prints progress, then a report with a round trip once the clock advances', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, , c3] = nodes;
    const c = attach(hostOf(a));
    expect(c.run(`ping ${c3.idHex} 2`)).toEqual(['ping test started']);
    expect(c.console.busy).toBe(true);
    mesh.run(1_500);
    expect(c.fresh()).toEqual([`ping request to ${c3.idHex} sent`, `ping request to ${c3.idHex} sent`]);
    expect(c.console.busy).toBe(true); // the report comes at (timeout 2 s + count 2) s
    mesh.run(3_000);
    const report = c.fresh();
    expect(report[0]).toBe('Ping report:');
    expect(report).toContain('\tmode: routed dTree');
    expect(report).toContain(`\tremote: ${c3.idHex}`);
    expect(report).toContain('\tcount: 2');
    expect(report).toContain('\tsuccess_rate: 100%');
    const rt = report.find((l) => l.startsWith('\tround_trip: '));
    expect(rt).toMatch(/^\tround_trip: min \d+(\.\d)? ms, max \d+(\.\d)? ms, avg \d+(\.\d)? ms$/);
    expect(Number(/min (\d+)/.exec(rt as string)?.[1])).toBeGreaterThan(0); // two hops each way on a 1 ms medium
    expect(c.console.busy).toBe(false);
  });

  test('ping by address with dCPL, and a report of no responses', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    const addr = b.packager.address?.toString() as string;
    expect(c.run(`ping ${addr} 1 1 cpl`)).toEqual(['ping test started']);
    mesh.run(3_000);
    const out = c.fresh();
    expect(out).toContain('\tmode: routed dCPL');
    expect(out).toContain(`\tremote: ${addr}`);
    expect(out).toContain('\tsuccess_rate: 100%');
    // A stranger's id: the request cannot be sent, and the report says so.
    const stranger = 'ee'.repeat(32);
    c.run(`ping ${stranger} 1 0`);
    mesh.run(2_000);
    const none = c.fresh();
    expect(none[0]).toMatch(/^ping request to e+ failed to send \(node eeee.*is neither a peer nor a known route\)$/);
    expect(none).toContain('\terror: no responses');
    expect(none).toContain('\tsuccess_rate: 0%');
  });

  test('gossip_ping reaches a node two hops away through Gossip', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, , c3] = nodes;
    const c = attach(hostOf(a));
    expect(c.run(`gossip_ping ${c3.idHex} 1 2`)).toEqual(['gossip ping test started']);
    mesh.run(4_000);
    const out = c.fresh();
    expect(out[0]).toBe('gossip ping request sent');
    expect(out).toContain('\tmode: gossip');
    expect(out).toContain('\tsuccess_rate: 100%');
  });

  test('bad ping arguments and a host without Ping', () => {
    const { nodes } = line(1);
    const c = attach(hostOf(nodes[0]));
    const id = nodes[0].idHex;
    expect(c.run('ping zz')).toEqual(['Error: "zz" is neither a node id (64 hex digits) nor an address (like 1-10::)']);
    expect(c.run(`ping ${id} 11`)).toEqual(['Error: count must be a whole number from 1 to 10']);
    expect(c.run(`ping ${id} 2 soon`)).toEqual(['Error: timeout must be a number of seconds from 0 to 300']);
    expect(c.run('gossip_ping 1-10::')).toEqual(['Error: "1-10::" is not a node id (64 hex digits)']);
    expect(c.console.busy).toBe(false);
    nodes[0].node.removeApp(nodes[0].ping);
    const bare = attach({ node: nodes[0].node });
    expect(bare.run(`ping ${id}`)).toEqual(['ping is not available on this host (no Ping app)']);
  });
});

describe('monitor', () => {
  test('monitor receive prints receive lines only, and interrupt() stops them', () => {
    const { mesh, nodes } = line(2);
    mesh.run(1_000);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    expect(c.run('monitor receive')).toEqual(['Hit Enter to stop monitoring']);
    expect(c.console.busy).toBe(true);
    b.beacon.broadcast();
    mesh.run(100);
    const lines = c.fresh();
    expect(lines.some((l) => /^receive: Packet\(schema \d+, id \d+, flags 0x[0-9a-f]{2}, \d+ B\), espnow, 020000000001$/.test(l))).toBe(true);
    for (const l of lines) expect(l.toLowerCase()).toContain('receive');
    expect(lines.some((l) => l.startsWith('send:'))).toBe(false); // a's answer to the beacon is filtered out
    c.console.interrupt();
    expect(c.console.busy).toBe(false);
    b.beacon.broadcast();
    mesh.run(100);
    expect(c.fresh()).toEqual([]);
  });

  test('all events without grep words; Package lines name the app', () => {
    const { mesh, nodes } = line(2);
    mesh.run(1_000);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    c.run('m');
    b.beacon.broadcast();
    mesh.run(100);
    const lines = c.fresh();
    expect(lines.some((l) => l.startsWith('receive: '))).toBe(true);
    expect(lines.some((l) => l.startsWith('deliver: Package(Beacon, '))).toBe(true);
    expect(lines.some((l) => l.startsWith('send: '))).toBe(true);
  });

  test('a burst is capped: the newest lines are kept and the dropped ones counted', () => {
    const { mesh, nodes } = line(2);
    mesh.run(1_000);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    c.run('monitor deliver');
    for (let i = 0; i < 40; i++) b.packager.broadcast(TEST_APP_ID, Uint8Array.of(i)); // 40 frames arrive in one tick
    mesh.run(50);
    const lines = c.fresh();
    expect(lines[0]).toBe(`(${40 - MONITOR_QUEUE_LIMIT} monitor lines dropped)`);
    expect(lines).toHaveLength(1 + MONITOR_QUEUE_LIMIT);
    for (const l of lines.slice(1)) expect(l).toMatch(/^deliver: Package\(test, 1 B\), espnow, 020000000001$/);
  });

  test('any typed line stops the monitor first; an empty one only stops it', () => {
    const { mesh, nodes } = line(2);
    mesh.run(1_000);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    c.run('monitor');
    expect(c.run('')).toEqual([]);
    expect(c.console.busy).toBe(false);
    c.run('monitor');
    expect(c.run('get node_id')).toEqual([`Node ID: ${a.idHex}`]);
    b.beacon.broadcast();
    mesh.run(100);
    expect(c.fresh()).toEqual([]);
  });
});

describe('wait, debug, stop', () => {
  test('debug NODE_ID info: the answer arrives later; wait 1 ends with it', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, , c3] = nodes;
    const c = attach(hostOf(a));
    expect(c.run(`debug ${c3.idHex} info`)[0]).toMatch(/^DebugApp.request sent \(nonce \d+\)$/);
    expect(c.run('wait 1')).toEqual(['Waiting for output. Hit Enter to stop waiting (command will run in background)...']);
    expect(c.console.busy).toBe(true);
    mesh.run(2_000);
    const out = c.fresh();
    expect(out).toHaveLength(1);
    const answer = JSON.parse(out[0]) as Record<string, unknown>;
    expect(answer.op).toBe('RESPOND_NODE_INFO');
    expect(answer.node_id).toBe(c3.idHex);
    expect(c.console.busy).toBe(false); // the one awaited item came
  });

  test('wait without a count lasts until interrupt()', () => {
    const { nodes } = line(1);
    const c = attach(hostOf(nodes[0]));
    c.run('w');
    expect(c.console.busy).toBe(true);
    c.console.interrupt();
    expect(c.console.busy).toBe(false);
    expect(c.run('wait 0')).toEqual(['Error: count must be -1 (until Enter) or 1 to 1000']);
  });

  test('stop() cancels ping tests and monitors, and mutes answers still to come', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, b, c3] = nodes;
    const c = attach(hostOf(a));
    c.run(`ping ${c3.idHex} 3`);
    c.run(`debug ${b.idHex} peers`);
    const scheduled = a.packager.scheduledIds().length;
    c.run('monitor');
    c.console.stop();
    expect(c.console.busy).toBe(false);
    expect(a.packager.scheduledIds().length).toBe(scheduled - 4); // 3 requests and the report
    const before = c.out.length;
    b.beacon.broadcast();
    mesh.run(10_000);
    expect(c.out.length).toBe(before);
    // The console still works after stop().
    expect(c.run('get node_id')).toEqual([`Node ID: ${a.idHex}`]);
  });

  test('debug without a DebugApp on the node', () => {
    const { nodes } = line(1);
    nodes[0].node.removeApp(nodes[0].debug);
    const c = attach({ node: nodes[0].node });
    expect(c.run(`debug ${nodes[0].idHex} info`)).toEqual(['debug is not available on this host (no DebugApp)']);
    expect(c.run('local_admin set_pw x')).toEqual(['local_admin is not available on this host (no DebugApp)']);
  });
});
