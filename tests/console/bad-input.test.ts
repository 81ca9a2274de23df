/**
 * Hostile and mistaken input: every bad line prints exactly one `Error: …` line, nothing
 * throws out of exec, and the console keeps working — also when the host's writer or an app
 * misbehaves.
 */
import { attach, hostOf, line } from './support.js';
import { MeshConsole } from '../../modules/console/console.js';
import { MAX_LINE_CHARS } from '../../modules/console/tokenize.js';
import { MeshApp, type ConsoleCommand } from '../../modules/mycelium/apps/app.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

const BAD_LINES: readonly [string, RegExp][] = [
  ['x'.repeat(10 * 1024), /^Error: line too long \(10240 characters, at most 1024\)$/],
  ['get', /^Error: usage: get node_id\|addrs/],
  ['get nonsense', /^Error: unknown get target "nonsense" \(one of node_id, addrs, apps, sched, schedule, peers, routes, banned, next_hop\)$/],
  ['get __proto__', /^Error: unknown get target "__proto__"/],
  ['get next_hop', /^Error: usage: get next_hop ADDR/],
  ['get next_hop zzz tree', /^Error: "zzz" is not an address/],
  ['set', /^Error: usage: set /],
  ['set addr zzz', /^Error: "zzz" is not an address \(like 1-10::\)$/],
  ['set addr 1-' + 'f'.repeat(40), /^Error: "1-f+" is not an address/],
  ['set addr 999-10::', /^Error: "999-10::" is not an address/],
  ['set route abc 1-10::', /^Error: usage: set route NODE_ID ADDR/],
  ['app 12', /^Error: usage: app APP_ID start\|stop\|invoke NAME/],
  ['app 12 start', /^Error: no app is named "12"/],
  ['app ffff start', /^Error: no app id starts with ffff$/],
  ['ban', /^Error: usage: ban NODE_ID/],
  ['ban 1234', /^Error: usage: ban NODE_ID/],
  ['unban ' + 'g'.repeat(64), /^Error: usage: unban NODE_ID/],
  ['ping', /^Error: usage: ping /],
  ['gossip_ping', /^Error: usage: gossip_ping /],
  ['wait many', /^Error: count must be/],
  ['frobnicate', /^Error: unknown command "frobnicate" \(type help for the list of commands\)$/],
  ['a '.repeat(65), /^Error: too many words \(65, at most 64\)$/],
];

test('an empty line (Enter at the prompt) prints nothing', () => {
  const { nodes } = line(1);
  const out: string[] = [];
  const c = new MeshConsole(hostOf(nodes[0]), (l) => out.push(l));
  c.exec('');
  c.exec('   \t ');
  expect(out).toEqual([]);
  c.exec('version');
  expect(out.length).toBeGreaterThan(0);
});

test.each(BAD_LINES.map(([input, expected]) => [input.length > 80 ? `${input.slice(0, 8)}… (${input.length} characters)` : JSON.stringify(input), input, expected] as const))('%s prints one error line', (_label, input, expected) => {
  const { nodes } = line(1);
  const c = attach(hostOf(nodes[0]));
  let out: string[] = [];
  expect(() => (out = c.run(input))).not.toThrow();
  expect(out).toHaveLength(1);
  expect(out[0]).toMatch(expected);
  expect(c.console.busy).toBe(false);
  expect(c.run('get node_id')).toEqual([`Node ID: ${nodes[0].idHex}`]);
});

test('a line of exactly the limit is read', () => {
  const { nodes } = line(1);
  const c = attach(hostOf(nodes[0]));
  expect(c.run('get node_id' + ' '.repeat(MAX_LINE_CHARS - 'get node_id'.length))).toEqual([`Node ID: ${nodes[0].idHex}`]);
});

test('a writer that throws, and a non-string line, never make exec throw', () => {
  const { nodes } = line(1);
  const c = new MeshConsole(hostOf(nodes[0]), () => {
    throw new Error('serial port closed');
  });
  expect(() => c.exec('help')).not.toThrow();
  expect(() => c.exec(undefined as unknown as string)).not.toThrow();
  expect(() => c.exec(42 as unknown as string)).not.toThrow();
  expect(() => c.interrupt()).not.toThrow();
  expect(() => c.stop()).not.toThrow();
});

test('an app whose commands() or command throws is contained', () => {
  class Broken extends MeshApp {
    constructor(name: string) {
      super(portableHashes, name, 'broken', 0, {});
    }
    protected onReceive(): void {}
  }
  class ThrowsOnList extends Broken {
    override commands(): ConsoleCommand[] {
      throw new Error('no commands today');
    }
  }
  class ThrowsOnRun extends Broken {
    override commands(): ConsoleCommand[] {
      return [
        { name: 'boom', help: 'boom - explode', run: () => { throw new Error('kaboom'); } },
        { name: 'num', help: 'num - prints a number', run: (_a, out) => out(42 as unknown as string) },
      ];
    }
  }
  const { nodes } = line(1);
  nodes[0].node.addApp(new ThrowsOnList('a'));
  nodes[0].node.addApp(new ThrowsOnRun('b'));
  const c = attach(hostOf(nodes[0]));
  expect(c.run('help')).toContain('\tboom - explode');
  expect(c.run('boom')).toEqual(['Error: kaboom']);
  expect(c.run('num')).toEqual(['42']);
});

test('a host whose node is missing gets Error lines, not exceptions', () => {
  const c = attach({} as never);
  expect(c.run('get node_id')).toHaveLength(1);
  expect(c.out[0]).toMatch(/^Error: /);
  expect(c.run('status')[0]).toMatch(/^Error: /);
  expect(() => c.console.busy).not.toThrow();
});
