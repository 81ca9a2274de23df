/**
 * The console's one-shot commands on real nodes: what a user sees for help, get, set, ban,
 * app, version, reset/quit, status and config.
 */
import { attach, converge, hostOf, line, memoryStore } from './support.js';
import { COMMANDS, PROMPT } from '../../modules/console/console.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { MeshApp, type ConsoleCommand } from '../../modules/mycelium/apps/app.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

/** Every command and alias of upstream's console (protocol.md §8.2), plus ours. */
const UPSTREAM = ['help', '?', 'h', 'monitor', 'm', 'wait', 'w', 'get', 'set', 'app', 'ban', 'unban', 'ping', 'gossip_ping', 'debug', 'admin', 'local_admin', 'version', 'q', 'quit', 'reset'];
const OURS = ['status', 'config'];

describe('help', () => {
  test('lists every command, with upstream\'s prompt', () => {
    const { nodes } = line(1);
    const c = attach(hostOf(nodes[0]));
    expect(c.console.prompt).toBe('μpycelium> ');
    expect(PROMPT).toBe('μpycelium> ');
    const out = c.run('help');
    expect(out[0]).toBe('Commands:');
    const listed = out.slice(1).map((l) => {
      expect(l.startsWith('\t')).toBe(true);
      return l.slice(1).split(' - ')[0];
    });
    const names = listed.flatMap((l) => l.split(/[ ,]+/));
    for (const name of [...UPSTREAM, ...OURS]) expect(names).toContain(name);
    expect(out).toHaveLength(1 + COMMANDS.length);
    expect(c.run('?')).toEqual(out);
    expect(c.run('H')).toEqual(out);
  });

  test('help COMMAND shows that command only; an unknown one is an error', () => {
    const { nodes } = line(1);
    const c = attach(hostOf(nodes[0]));
    expect(c.run('help ping')).toEqual(['ping NODE_ID|ADDR [count] [timeout] [tree|cpl] - ping a node over routes (count <= 10)']);
    expect(c.run('help w')[0]).toMatch(/^wait, w \[count\] - /);
    expect(c.run('help frobnicate')).toEqual(['Error: unknown command "frobnicate" (type help for the list of commands)']);
  });

  test('commands an app brings are listed and run', () => {
    class Chat extends MeshApp {
      said: string[] = [];
      constructor() {
        super(portableHashes, 'chat', 'test chat', 0, {});
      }
      protected onReceive(): void {}
      override commands(): ConsoleCommand[] {
        return [
          { name: 'say', help: 'say TEXT - send a chat line', run: (args, out) => (this.said.push(args.join(' ')), out('said')) },
          { name: 'ping', help: 'ping - must not shadow the built-in', run: (_a, out) => out('shadowed!') },
        ];
      }
    }
    const { nodes } = line(1);
    const chat = new Chat();
    nodes[0].node.addApp(chat);
    const c = attach(hostOf(nodes[0]));
    expect(c.run('help')).toContain('\tsay TEXT - send a chat line');
    expect(c.run('SAY hello  world')).toEqual(['said']);
    expect(chat.said).toEqual(['hello world']);
    expect(c.run('ping')).toEqual(['Error: usage: ping NODE_ID|ADDR [count] [timeout] [tree|cpl]']);
  });
});

describe('get', () => {
  test('node_id, addrs, apps, sched', () => {
    const { mesh, nodes } = line(2);
    converge(mesh);
    const [a] = nodes;
    const c = attach(hostOf(a));
    expect(c.run('get node_id')).toEqual([`Node ID: ${a.idHex}`]);
    expect(c.run('GET NODE_ID')).toEqual([`Node ID: ${a.idHex}`]);
    expect(c.run('get addrs')).toEqual([`Addresses: [${a.packager.addresses.map((x) => `Address(${x.toString()})`).join(', ')}]`]);
    const apps = c.run('get apps');
    expect(apps[0]).toBe('Apps:');
    expect(apps).toContain(`\t${a.ping.idHex} - Ping - version 0`);
    expect(apps).toContain(`\t${a.debug.idHex} - DebugApp - version 0`);
    const sched = c.run('get sched');
    expect(sched[0]).toBe('Schedule:');
    expect(sched.length).toBe(1 + a.packager.scheduledIds().length);
    expect(sched[1]).toMatch(/^\t\S+ - due in \d+ ms$/);
    expect(c.run('get schedule')).toEqual(sched);
  });

  test('peers shows the neighbour once beacons were heard, and only the neighbour', () => {
    const { mesh, nodes } = line(3);
    const [a, b, c3] = nodes;
    const c = attach(hostOf(a));
    expect(c.run('get peers')).toEqual(['Peers:']); // nothing heard yet
    mesh.run(1_000);
    const peers = c.run('get peers');
    expect(peers[0]).toBe('Peers:');
    expect(peers).toHaveLength(2);
    expect(peers[1].startsWith('\t' + b.idHex)).toBe(true);
    expect(peers.join('\n')).not.toContain(c3.idHex);
  });

  test('routes, banned and next_hop', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [a, b, c3] = nodes;
    const c = attach(hostOf(a));
    const routes = c.run('get routes');
    expect(routes[0]).toBe('Routes:');
    expect(routes).toContain(`\t${b.packager.address?.toString()} -> ${b.idHex}`);
    expect(c.run('get banned')).toEqual(['Banned:']);
    const far = c3.packager.address?.toString() as string;
    expect(c.run(`get next_hop ${far} tree`)).toEqual([`Next Hop: ${b.idHex} ${b.packager.address?.toString()}`]);
    expect(c.run(`get next_hop ${far} dCPL`)[0]).toMatch(new RegExp(`^Next Hop: ${b.idHex} `));
    expect(c.run(`get next_hop ${a.packager.address?.toString()} tree`)).toEqual([`No next hop found for ${a.packager.address?.toString()}`]);
  });
});

describe('set, ban, unban', () => {
  test('set addr and set route change the Packager; set node_id is not supported', () => {
    const { nodes } = line(1);
    const [a] = nodes;
    const c = attach(hostOf(a));
    expect(c.run('set addr 7-15::')).toEqual(['Address set: Address(7-15::)']);
    expect(a.packager.address?.toString()).toBe('7-15::');
    const other = 'ab'.repeat(32);
    expect(c.run(`set route ${other} 7-10::`)).toEqual([`Route added: 7-10:: -> ${other}`]);
    expect(a.packager.routes.map((r) => [r.address.toString(), r.nodeKey])).toEqual([['7-10::', other]]);
    expect(c.run(`set route ${a.idHex} 7-2::`)).toEqual(['Error: route refused: that node is banned or is this node']);
    expect(c.run(`set node_id ${other}`)).toEqual(['set node_id is not supported: the node id is fixed when the node starts']);
    expect(toHex(a.node.nodeId)).toBe(a.idHex);
  });

  test('ban drops the peer and its routes; unban lifts it', () => {
    const { mesh, nodes } = line(2);
    converge(mesh);
    const [a, b] = nodes;
    const c = attach(hostOf(a));
    expect(c.run(`ban ${b.idHex}`)).toEqual([`Banned ${b.idHex}`]);
    expect(a.packager.peer(b.node.nodeId)).toBeUndefined();
    expect(c.run('get banned')).toEqual(['Banned:', '\t' + b.idHex]);
    expect(c.run(`ban ${a.idHex}`)).toEqual(['Error: a node cannot ban itself']);
    expect(c.run(`unban ${b.idHex.toUpperCase()}`)).toEqual([`Unbanned ${b.idHex}`]);
    expect(c.run(`unban ${b.idHex}`)).toEqual([`${b.idHex} was not banned`]);
    expect(a.packager.isBanned(b.node.nodeId)).toBe(false);
  });
});

describe('app', () => {
  test('start, stop and invoke by name or id prefix', () => {
    const { mesh, nodes } = line(2);
    converge(mesh);
    const [a] = nodes;
    const c = attach(hostOf(a));
    expect(c.run('app beacon stop')).toEqual(['Stopped Beacon']);
    expect(a.beacon.started).toBe(false);
    expect(c.run('app Beacon stop')).toEqual(['Beacon is not running']);
    expect(c.run(`app ${a.beacon.idHex} start`)).toEqual(['Started Beacon']);
    expect(a.beacon.started).toBe(true);
    expect(c.run(`app ${a.beacon.idHex.slice(0, 6)} start`)).toEqual(['Beacon is already running']);
    expect(c.run(`app ${a.ping.idHex} invoke get_ping_responses`)).toEqual(['Result: []']);
    expect(c.run('app SpanningTree invoke get_current_best_root_id')).toEqual([`Result: ${toHex(a.tree.root)}`]);
    const missing = c.run('app ping invoke frobnicate');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^Error: Ping has no callback "frobnicate" \(available: request, .*get_ping_responses\)$/);
    expect(c.run('app ping explode')).toEqual(['Error: unknown app action "explode" (start, stop or invoke)']);
    expect(c.run('app nosuchapp start')[0]).toMatch(/^Error: no app is named "nosuchapp"/);
  });

  test('a callback that throws prints Error: and the console goes on', () => {
    const { nodes } = line(1);
    const c = attach(hostOf(nodes[0]));
    // Ping.request reads this.packager: while the app is stopped that throws.
    expect(c.run('app ping stop')).toEqual(['Stopped Ping']);
    expect(c.run(`app ping invoke request 0x${'11'.repeat(32)}`)).toEqual(['Error: Ping is not started']);
    expect(c.run('get node_id')).toHaveLength(1);
  });
});

describe('version, reset, quit', () => {
  test('version prints upstream\'s three lines', () => {
    const { nodes } = line(1);
    expect(attach(hostOf(nodes[0], { version: '1.2.3' })).run('version')).toEqual(['MPNode version: 1.2.3', 'Packager version: 0.1.0-dev', 'Protocol version: 0']);
    expect(attach(hostOf(nodes[0])).run('version')[0]).toBe('MPNode version: unknown');
  });

  test('reset and quit call the host, or say they cannot', () => {
    const { nodes } = line(1);
    const calls: string[] = [];
    const c = attach(hostOf(nodes[0], { reset: () => calls.push('reset'), quit: () => calls.push('quit') }));
    expect(c.run('reset')).toEqual(['Resetting...']);
    expect(c.run('q')).toEqual([]);
    expect(c.run('quit')).toEqual([]);
    expect(calls).toEqual(['reset', 'quit', 'quit']);
    const bare = attach(hostOf(nodes[0]));
    expect(bare.run('reset')).toEqual(['reset is not available on this host']);
    expect(bare.run('quit')).toEqual(['There is nothing to quit on this host']);
  });
});

describe('status', () => {
  test('shows id, addresses, root, peers, routes, frame counters, uptime, battery and modem sleep', () => {
    const { mesh, nodes } = line(3);
    converge(mesh);
    const [, b] = nodes;
    const c = attach(hostOf(b, { battery: () => 87 }));
    const out = c.run('status');
    const counters = b.packager.counters;
    let drops = 0;
    for (const [k, v] of Object.entries(counters.snapshot())) if (k.startsWith('drop_')) drops += v;
    const root = toHex(b.tree.root);
    expect(out).toEqual([
      `Node ID: ${b.idHex}`,
      `Addresses: ${b.packager.addresses.map((x) => x.toString()).join(', ')}`,
      `Root: ${root}${root === b.idHex ? ' (this node)' : ''}`,
      'Peers: 2',
      `Routes: ${b.packager.routes.length}`,
      `Frames: tx ${counters.get('tx_frames')}, rx ${counters.get('rx_frames')}, dropped ${drops}`,
      // Just attached: the console's meter has no minute behind it yet, so since the node started.
      expect.stringMatching(/^Rates \(since start, \d+s\): in [\d.]+ frames\/s, out [\d.]+ frames\/s, delivered [\d.]+\/s$/),
      expect.stringMatching(/^Uptime: \d+(m \d\d)?s$/),
      'Battery: 87%',
      'Modem sleep: off',
    ]);
    expect(counters.get('tx_frames')).toBeGreaterThan(0);
    expect(counters.get('rx_frames')).toBeGreaterThan(0);
  });

  test('no battery line without a gauge, and a gauge that throws is ignored', () => {
    const { nodes } = line(1);
    const out = attach(hostOf(nodes[0])).run('status');
    expect(out.some((l) => l.startsWith('Battery'))).toBe(false);
    const broken = attach(
      hostOf(nodes[0], {
        battery: () => {
          throw new Error('i2c timeout');
        },
      }),
    ).run('status');
    expect(broken.some((l) => l.startsWith('Battery') || l.startsWith('Error'))).toBe(false);
    expect(broken[0]).toBe(`Node ID: ${nodes[0].idHex}`);
  });
});

describe('config', () => {
  test('get lists and reads settings; set validates through the store', () => {
    const { nodes } = line(1);
    const store = memoryStore();
    const c = attach(hostOf(nodes[0], { config: store }));
    expect(c.run('config get')).toEqual(['Settings:', '\tname = node-a', '\tchannel = 14', '\tmodem_sleep = false']);
    expect(c.run('config get channel')).toEqual(['channel = 14']);
    expect(c.run('config set channel 6')).toEqual(['channel = 6']);
    expect(store.values.get('channel')).toBe(6);
    expect(c.run('config set name my  garden node')).toEqual(['name = my garden node']);
  });

  test('a bad value, an unknown key, or a missing store give one clear line', () => {
    const { nodes } = line(1);
    const store = memoryStore();
    const c = attach(hostOf(nodes[0], { config: store }));
    expect(c.run('config set channel 99')).toEqual(['Error: channel: channel must be a whole number from 1 to 14']);
    expect(store.values.get('channel')).toBe(14);
    expect(c.run('config set modem_sleep maybe')).toEqual(['Error: modem_sleep: modem_sleep must be true or false']);
    expect(c.run('config set colour blue')).toEqual(['Error: unknown setting "colour" (known: name, channel, modem_sleep)']);
    expect(c.run('config get colour')).toEqual(['Error: unknown setting "colour" (known: name, channel, modem_sleep)']);
    expect(c.run('config set channel')).toEqual(['Error: usage: config set channel value']);
    expect(c.run('config')).toEqual(['Error: usage: config get [key] | set key value']);
    expect(attach(hostOf(nodes[0])).run('config get')).toEqual(['no settings store on this host']);
  });
});
