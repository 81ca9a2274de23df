/**
 * Apps run through the mesh API on a MeshHost (what an installed mod gets): they talk to the
 * same app on another host, add console commands and a screen page, and an app that throws is
 * stopped and reported while the mesh and the other apps keep running.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import type { AppMain, MeshApi, Received } from '../../modules/mesh-api/api.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { createMeshApi, type Guard, type MeshApiObserver } from '../../modules/mesh-api/mesh-api.js';
import { resolveSpecifier } from '../../modules/host/mod-specifier.js';
import { Air, station } from './support.js';

function pair() {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const a = station(clock, air, 1);
  const b = station(clock, air, 2);
  a.host.start();
  b.host.start();
  clock.advance(60_000); // peers and one tree
  return { clock, a, b };
}

/** An echo app: answers every message with "re:" + text, keeps what it got. */
function echoApp(got: { text: string; info: Received }[]): AppMain {
  return (mesh: MeshApi) => {
    const port = mesh.register({
      name: 'echo',
      receive(data, info) {
        const text = mesh.decodeText(data);
        got.push({ text, info });
        if (!text.startsWith('re:') && info.peer) port.send(info.peer, mesh.encodeText('re:' + text));
      },
    });
    mesh.command({ name: 'echo', help: 'echo <node> <text>', run: (args, print) => print(port.send(args[0], mesh.encodeText(args.slice(1).join(' '))).ok ? 'sent' : 'not sent') });
    mesh.screen('Echo', [{ label: 'got', value: String(got.length) }]);
  };
}

test('an app sends to the same app on a peer, adds a console command and a screen page', () => {
  const { clock, a, b } = pair();
  const gotA: { text: string; info: Received }[] = [];
  const gotB: { text: string; info: Received }[] = [];
  a.host.startApp('echo', echoApp(gotA));
  b.host.startApp('echo', echoApp(gotB));
  a.lines.length = 0;
  a.host.input(`echo ${toHex(b.host.node.nodeId)} hello mesh`);
  expect(a.lines).toContain('sent');
  clock.advance(1000);
  expect(gotB.map((g) => g.text)).toEqual(['hello mesh']);
  expect(gotB[0].info.hops).toBe(1);
  expect(gotA.map((g) => g.text)).toEqual(['re:hello mesh']);
  // help lists the app's command; the screen has the app's page after node and peers
  a.lines.length = 0;
  a.host.input('help');
  expect(a.lines.join('\n')).toMatch(/echo <node> <text>/);
  expect(a.host.pages().map((p) => p.title)).toEqual(['Node', 'Peers (1)', 'Echo']);
});

test('publish reaches subscribers of the same app and topic only', () => {
  const { clock, a, b } = pair();
  const seen: string[] = [];
  const subscriber =
    (app: string, topic: string): AppMain =>
    (mesh) => {
      const port = mesh.register({ name: app, receive: (data, info) => seen.push(`${app}/${info.topic}:${mesh.decodeText(data)}`) });
      expect(port.subscribe(topic)).toEqual({ ok: true });
    };
  b.host.startApp('news', subscriber('news', 'weather'));
  b.host.startApp('other', subscriber('other', 'weather')); // same topic name, another app
  let publish: ((text: string) => unknown) | undefined;
  a.host.startApp('news', (mesh) => {
    const port = mesh.register({ name: 'news' });
    publish = (text) => port.publish('weather', mesh.encodeText(text));
  });
  expect(publish?.('rain')).toEqual({ ok: true });
  clock.advance(2000);
  expect(seen).toEqual(['news/weather:rain']);
});

test('an app that throws is stopped and reported; its timers, commands and apps are gone, the mesh runs on', () => {
  const { clock, a, b } = pair();
  let ticks = 0;
  const runner = a.host.startApp('faulty', (mesh) => {
    mesh.register({ name: 'faulty' });
    mesh.setInterval(() => {
      ticks++;
      if (ticks === 3) throw new RangeError('sensor out of range');
    }, 1000);
    mesh.command({ name: 'faulty', help: 'a command', run: (_args, print) => print('still here') });
    mesh.screen('Faulty', [{ label: 'x', value: '1' }]);
  });
  const healthy = a.host.startApp('healthy', (mesh) => void mesh.register({ name: 'healthy' }));
  const appCount = a.host.node.apps.length;
  clock.advance(10_000);
  expect(ticks).toBe(3);
  expect(runner.status).toEqual({ name: 'faulty', state: 'failed', error: 'RangeError: sensor out of range' });
  expect(a.lines).toContain('app faulty stopped: RangeError: sensor out of range');
  expect(a.host.node.apps.length).toBe(appCount - 1);
  expect(a.host.node.packager.counters.get('app_failed')).toBe(1);
  a.lines.length = 0;
  a.host.input('faulty');
  expect(a.lines.join('\n')).toMatch(/unknown command "faulty"/);
  expect(a.host.pages().map((p) => p.title)).toEqual(['Node', 'Peers (1)']);
  expect(healthy.status.state).toBe('running');
  // the mesh still works: ping from the console
  a.host.input(`ping ${toHex(b.host.node.nodeId)}`);
  clock.advance(30_000);
  expect(a.lines).toContain('\tsuccess_rate: 100%');
});

test('a module without a default function, or a start that throws, is reported, not thrown', () => {
  const { a } = pair();
  expect(a.host.startApp('empty', undefined).status.state).toBe('failed');
  expect(a.lines.at(-1)).toMatch(/^app empty stopped: TypeError: the app module has no default export function/);
  const r = a.host.startApp('bad-options', (_mesh, options) => {
    if (typeof options.interval_s !== 'number') throw new TypeError('interval_s must be a number of seconds');
  });
  expect(r.status).toEqual({ name: 'bad-options', state: 'failed', error: 'TypeError: interval_s must be a number of seconds' });
});

test('the API is frozen, bounded, refuses built-in command names, and goes dead after stop', () => {
  const { a, b } = pair();
  let api: MeshApi | undefined;
  const errors: string[] = [];
  const runner = a.host.startApp('probe', (mesh) => {
    api = mesh;
    const attempt = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    attempt(() => ((mesh as unknown as Record<string, unknown>).nodeId = 'x'));
    attempt(() => ((mesh.register as unknown as Record<string, unknown>).x = 1));
    attempt(() => mesh.command({ name: 'ping', help: '', run: () => {} }));
    attempt(() => mesh.register({ name: 'Beacon', description: 'Dev Beacon App', version: 0 }));
    for (let i = 0; i < 17; i++) attempt(() => mesh.setTimeout(() => {}, 60_000));
    attempt(() => mesh.register({ name: '' }));
  });
  expect(runner.status.state).toBe('running');
  expect(errors).toEqual([
    expect.stringMatching(/read.only|not writable|Cannot assign/i),
    expect.stringMatching(/not extensible|Cannot add property/i),
    '"ping" is a built-in console command',
    'an app with the id of "Beacon" v0 already runs on this node',
    'an app may have at most 16 pending timers',
    'app name must be 1-32 printable ASCII characters',
  ]);
  const m = api as MeshApi;
  expect(m.peers().map((p) => p.id)).toEqual([toHex(b.host.node.nodeId)]);
  const port = m.register({ name: 'late' });
  runner.stop();
  expect(runner.status.state).toBe('stopped');
  expect(port.broadcast(new Uint8Array(1))).toEqual({ ok: false, error: 'stopped' });
  expect(m.peers()).toEqual([]);
  expect(() => m.register({ name: 'again' })).toThrow('the app is stopped');
});

test("a mod's relative imports resolve to its own module names", () => {
  expect(resolveSpecifier('./codec.js', 'mod')).toBe('codec');
  expect(resolveSpecifier('./lib/inbox.js', 'mod')).toBe('lib/inbox');
  expect(resolveSpecifier('../codec.js', 'lib/inbox')).toBe('codec');
  expect(resolveSpecifier('timer', 'mod')).toBe('timer');
});

test("the host's observer sees each publish with its real outcome, and the publisher's own copy marked as such", () => {
  const { clock, a, b } = pair();
  const events: string[] = [];
  const observer = (who: string): MeshApiObserver => ({
    sent: (app, how, data, to, ok) => events.push(`${who} sent ${app} ${how} ${to.topic} ${data.length} ${ok}`),
    received: (app, data, info, own) => events.push(`${who} got ${app} ${info.topic} ${data.length}${own ? ' own' : ''}`),
    subscribed: () => {},
  });
  const guard: Guard = (fn, ...args) => fn(...args);
  const open = (who: string, host: typeof a.host) => createMeshApi({ node: host.node, hashes: host.node.platform, log: () => {}, observer: observer(who) }, guard).api;
  const portA = open('a', a.host).register({ name: 'news', receive: () => {} });
  const portB = open('b', b.host).register({ name: 'news', receive: () => {} });
  portA.subscribe('weather');
  portB.subscribe('weather');
  expect(portA.publish('weather', Uint8Array.of(1, 2, 3))).toEqual({ ok: true });
  expect(portA.publish('weather', Uint8Array.of(1, 2, 3))).toEqual({ ok: false, error: 'duplicate' });
  clock.advance(2000);
  expect(events).toEqual(['a got news weather 3 own', 'a sent news publish weather 3 true', 'a sent news publish weather 3 false', 'b got news weather 3']);
});
