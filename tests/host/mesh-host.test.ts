/**
 * The host wiring every board and the simulator host share (modules/host), on Node: the
 * Platform built from Moddable-like parts, settings persisted in a Preference-like store, the
 * ESP-NOW radio adapter, upstream's LED language, and two hosts that find each other, agree on a
 * tree and answer console commands.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';
import { hostPlatform, preferenceStorage } from '../../modules/host/platform.js';
import { Settings } from '../../modules/host/settings.js';
import { EspNowRadio, type EspNowLike } from '../../modules/host/espnow-radio.js';
import { plus2Blinks, stampColours } from '../../modules/host/led.js';
import { Air, FakePreference, station } from './support.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

test('two hosts find each other, agree on one root and answer status and ping from the console', () => {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const a = station(clock, air, 1);
  const b = station(clock, air, 2);
  a.host.start();
  b.host.start();
  clock.advance(60_000);
  expect(a.host.node.packager.peers.map((p) => p.key)).toEqual([toHex(b.host.node.nodeId)]);
  expect(toHex(a.host.tree.root)).toBe(toHex(b.host.tree.root));
  a.lines.length = 0;
  a.host.input('status');
  expect(a.lines.find((l) => l.startsWith('Peers: '))).toBe('Peers: 1');
  a.host.input(`ping ${toHex(b.host.node.nodeId)}`);
  clock.advance(30_000);
  expect(a.lines.join('\n')).toMatch(/Ping report/);
  expect(a.lines).toContain("\tsuccess_rate: 100%");
  // the status screen's first page shows the same
  const page = a.host.pages()[0];
  expect(page.lines.find((l) => l.label === 'peers')?.value).toBe('1');
  // LED feed: beacons were heard and trees advertised
  expect(a.activity.some((x) => x.app === 'Beacon' && x.kind === 'receive')).toBe(true);
  expect(a.activity.some((x) => x.app === 'SpanningTree' && x.kind === 'broadcast')).toBe(true);
});

test('the node id comes from the MAC as upstream, and settings survive a restart through Preferences', () => {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const pref = new FakePreference();
  const first = station(clock, air, 7, pref);
  first.host.input('config set channel 14');
  first.host.input('config set modem_sleep on');
  first.host.input('config set channel 15');
  expect(first.lines.at(-1)).toBe('Error: channel: must be a whole number from 1 to 14');
  const again = station(clock, air, 7, pref);
  expect(again.host.settings.channel).toBe(14);
  expect(again.host.settings.modemSleep).toBe(true);
  expect(again.host.node.modemSleep).toBeDefined();
  expect(toHex(again.host.node.nodeId)).toBe(toHex(first.host.node.nodeId));
  const mac = Uint8Array.of(2, 0, 0, 0, 0, 7);
  expect(toHex(again.host.node.nodeId)).toBe(toHex(nodeHashes.sha256(nodeHashes.sha256(mac))));
});

test('settings: defaults, unknown keys, corrupt stored values fall back to the default', () => {
  const pref = new FakePreference();
  const s = new Settings(preferenceStorage(pref, 'mycelium'));
  expect(s.keys()).toEqual(['channel', 'name', 'modem_sleep', 'beacon_s', 'log_level', 'security', 'pinned_roots', 'operator_keys', 'root_work', 'root_work_floor']);
  expect([s.channel, s.name, s.modemSleep, s.beaconSeconds, s.logLevel]).toEqual([1, '', false, 60, 'info']);
  expect(s.set('colour', 'red')).toEqual({ ok: false, error: 'unknown setting "colour" (one of channel, name, modem_sleep, beacon_s, log_level, security, pinned_roots, operator_keys, root_work, root_work_floor)' });
  expect(s.set('log_level', 'loud')).toEqual({ ok: false, error: 'must be one of debug, info, warn, error' });
  pref.set('mycelium', 'beacon_s', Uint8Array.of(0x7a, 0x7a).buffer); // "zz" written by something else
  expect(new Settings(preferenceStorage(pref, 'mycelium')).beaconSeconds).toBe(60);
  // Preference keys longer than NVS allows are refused with a clear message
  expect(() => preferenceStorage(pref, 'mycelium').set('a_key_that_is_too_long', Uint8Array.of(1))).toThrow(/1\.\.15 characters/);
});

test('the host platform logs from the configured level up, and its timers and random bytes work', () => {
  const clock = new VirtualClock(0);
  const lines: string[] = [];
  const p = hostPlatform({ now: () => clock.now(), timer: { set: (cb, ms) => clock.setTimeout(cb, ms), clear: (t) => clock.clearTimeout(t) }, write: (l) => lines.push(l), level: 'warn' });
  p.log('info', 'hidden');
  p.log('error', 'shown');
  expect(lines).toEqual(['error shown']);
  let fired = 0;
  p.setTimeout(() => fired++, 10);
  const cancelled = p.setTimeout(() => fired++, 10);
  p.clearTimeout(cancelled);
  clock.advance(20);
  expect(fired).toBe(1);
  const r1 = p.randomBytes(new Uint8Array(16));
  const r2 = p.randomBytes(new Uint8Array(16));
  expect(toHex(r1)).not.toBe(toHex(r2));
  expect(toHex(p.sha256(new Uint8Array(0)))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'); // portable default
});

test('the radio adapter refuses oversize frames and contains a throwing radio', () => {
  const throwing: EspNowLike = {
    mac: new Uint8Array(6),
    broadcast: () => {
      throw new Error('closed');
    },
    send: () => true,
    close: () => {},
  };
  const radio = new EspNowRadio(() => throwing);
  expect(radio.broadcast(new Uint8Array(251))).toBe(false);
  expect(radio.broadcast(new Uint8Array(10))).toBe(false);
  expect(radio.errors).toBe(1);
  expect(radio.send(new Uint8Array(6), new Uint8Array(10))).toBe(true);
});

test("upstream's LED language: stamp colours per app and operation, PLUS2 blinks", () => {
  expect(stampColours({ app: 'Beacon', kind: 'receive', op: 0 })).toEqual([[0, 0, 255]]);
  expect(stampColours({ app: 'Beacon', kind: 'broadcast', op: 0 })).toEqual([[255, 0, 0]]);
  expect(stampColours({ app: 'Beacon', kind: 'send', op: 1 })).toEqual([[0, 255, 0]]);
  expect(stampColours({ app: 'SpanningTree', kind: 'send', op: 0xf0 })).toEqual([[255, 165, 0]]);
  expect(stampColours({ app: 'Ping', kind: 'send', op: 1 })).toHaveLength(6);
  expect(stampColours({ app: 'Ping', kind: 'send', op: 0 })).toBeUndefined();
  expect(plus2Blinks({ app: 'Gossip', kind: 'receive', op: 0xf0 })).toBe(true);
  expect(plus2Blinks({ app: 'SpanningTree', kind: 'send', op: 0xff })).toBe(true);
  expect(plus2Blinks({ app: 'SpanningTree', kind: 'broadcast', op: 0 })).toBe(false);
});
