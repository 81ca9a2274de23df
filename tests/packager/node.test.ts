/** The Node: identity, life cycle, events, modem sleep and stats. */
import { TestMesh, virtualPlatform, TEST_APP_ID } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { MemoryStorage } from '../../simulator/platform/node-platform.js';
import { Node, NODE_ID_KEY, type NodeApp } from '../../modules/mycelium/node.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { nodeIdFromUniqueId } from '../../modules/mycelium/wire/ids.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import { nodeHashes } from '../../simulator/platform/node-hashes.js';

test('a node id is derived from the chip id as upstream, or made once and persisted', () => {
  const clock = new VirtualClock();
  const chip = fromHex('a1b2c3d4e5f6') as Uint8Array;
  expect(new Node({ platform: virtualPlatform(clock), uniqueId: chip }).nodeId).toEqual(nodeIdFromUniqueId(nodeHashes, chip));
  const storage = new MemoryStorage();
  const first = new Node({ platform: { ...virtualPlatform(clock, 1), storage } });
  const again = new Node({ platform: { ...virtualPlatform(clock, 2), storage } });
  expect(first.nodeId).toHaveLength(32);
  expect(toHex(again.nodeId)).toBe(toHex(first.nodeId));
  expect(storage.get(NODE_ID_KEY)).toEqual(first.nodeId);
});

test('apps start and stop with the node, and stop cancels pending events', () => {
  const clock = new VirtualClock();
  const node = new Node({ platform: virtualPlatform(clock) });
  const log: string[] = [];
  const app: NodeApp = {
    id: TEST_APP_ID,
    name: 'ticker',
    receive: () => {},
    start: (n) => {
      log.push('start');
      const tick = () => {
        log.push('tick');
        n.packager.schedule('ticker', 1_000, tick);
      };
      n.packager.schedule('ticker', 1_000, tick);
    },
    stop: () => log.push('stop'),
  };
  node.addApp(app);
  node.start();
  clock.advance(2_500);
  node.stop();
  clock.advance(5_000);
  expect(log).toEqual(['start', 'tick', 'tick', 'stop']);
  expect(node.packager.scheduledIds()).toEqual([]);
});

test('events run when due; scheduling the same id replaces it; cancelling stops a recurring one', () => {
  const clock = new VirtualClock();
  const { packager } = new Node({ platform: virtualPlatform(clock) });
  const ran: number[] = [];
  packager.schedule('a', 100, () => ran.push(1));
  packager.schedule('a', 300, () => ran.push(2));
  clock.advance(200);
  expect(ran).toEqual([]);
  clock.advance(100);
  expect(ran).toEqual([2]);
  const every = () => {
    ran.push(3);
    packager.schedule('every', 50, every);
  };
  packager.schedule('every', 50, every);
  clock.advance(120);
  packager.cancel('every');
  clock.advance(500);
  expect(ran).toEqual([2, 3, 3]);
});

test('an event scheduled with an argument runs its shared handler with it; a replacement takes its own', () => {
  const clock = new VirtualClock();
  const { packager } = new Node({ platform: virtualPlatform(clock) });
  const seen: string[] = [];
  const shared = (who: { name: string }) => seen.push(who.name);
  packager.schedule('a', 100, shared, { name: 'first' });
  packager.schedule('b', 100, shared, { name: 'other' });
  packager.schedule('a', 150, shared, { name: 'second' });
  clock.advance(200);
  expect(seen).toEqual(['other', 'second']);
});

test('events run at their own timers\' turn among the platform\'s other timers, through replacements and cancellations', () => {
  const clock = new VirtualClock();
  const platform = virtualPlatform(clock);
  const { packager } = new Node({ platform });
  const ran: string[] = [];
  const note = (what: string) => ran.push(`${what}@${clock.now()}`);
  packager.schedule('z', 0, note, 'z');
  packager.schedule('a', 100, note, 'a');
  packager.schedule('b', 50, note, 'b');
  platform.setTimeout(() => note('timer'), 100); // set between a and c: runs between them
  packager.schedule('c', 100, note, 'c');
  packager.schedule('d', -5, note, 'd'); // a negative delay is due now, as the host takes it: after z
  packager.schedule('a', 150, note, 'a2'); // replaced: a's first timer must run nothing
  packager.cancel('b');
  packager.schedule('e', 100, (p) => {
    note('e');
    p.schedule('f', 0, note, 'f'); // due now: after everything already due now
  }, packager);
  platform.setTimeout(() => note('late timer'), 100);
  clock.advance(1_000);
  expect(ran).toEqual(['z@0', 'd@0', 'timer@100', 'c@100', 'e@100', 'late timer@100', 'f@100', 'a2@150']);
});

test('an event replaced with the same due time runs after those set since its first timer', () => {
  const clock = new VirtualClock();
  const { packager } = new Node({ platform: virtualPlatform(clock) });
  const ran: string[] = [];
  const note = (what: string) => ran.push(what);
  packager.schedule('x', 100, note, 'x');
  packager.schedule('y', 100, note, 'y');
  packager.schedule('x', 100, note, 'x again'); // its timer is now the last one set
  clock.advance(100);
  expect(ran).toEqual(['y', 'x again']);
});

test('a hook added with a this-argument is called on it, and removed with it only', () => {
  const clock = new VirtualClock();
  const { packager } = new Node({ platform: virtualPlatform(clock) });
  const seen: string[] = [];
  class Listener {
    constructor(readonly name: string) {}
    stopped(): void {
      seen.push(this.name);
    }
  }
  const a = new Listener('a');
  const b = new Listener('b');
  const shared = Listener.prototype.stopped;
  packager.addHook('stop', shared, a);
  packager.addHook('stop', shared, b);
  packager.addHook('stop', shared, a); // the same pair is kept once
  packager.callHook('stop');
  packager.removeHook('stop', shared, a);
  packager.callHook('stop');
  expect(seen).toEqual(['a', 'b', 'b']);
});

describe('modem sleep, upstream cycle (aligned: false)', () => {
  function sleeper() {
    const clock = new VirtualClock();
    const medium = new MemoryMedium(clock);
    const radio = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
    const node = new Node({ platform: virtualPlatform(clock), radios: [radio], loopback: false, modemSleep: { aligned: false } });
    const events: string[] = [];
    for (const h of ['modemsleep', 'sleepskip', 'wake'] as const) node.packager.addHook(h, () => events.push(`${clock.now()} ${h}`));
    return { clock, radio, node, events };
  }

  test('an idle node sleeps 90 ms after every 40 ms awake, and its radio is off meanwhile', () => {
    const { clock, radio, node, events } = sleeper();
    node.start();
    clock.advance(41);
    expect(radio.on).toBe(false);
    clock.advance(90);
    expect(radio.on).toBe(true);
    clock.advance(260 - 131);
    expect(events).toEqual(['40 modemsleep', '130 wake', '170 modemsleep', '260 wake']);
  });

  test('traffic skips the next sleep decisions, and stop wakes the radio', () => {
    const { clock, radio, node, events } = sleeper();
    node.start();
    node.packager.broadcast(TEST_APP_ID, Uint8Array.of(1));
    node.packager.broadcast(TEST_APP_ID, Uint8Array.of(2));
    clock.advance(81);
    expect(events).toEqual(['40 sleepskip', '80 sleepskip']);
    clock.advance(40);
    expect(radio.on).toBe(false);
    node.stop();
    expect(radio.on).toBe(true);
  });
});

test('stats report peers, routes, addresses, counters and table sizes with their caps', () => {
  const mesh = new TestMesh();
  const [a, b] = mesh.add(2);
  mesh.connect(a, b);
  mesh.place(a, 3, [1]);
  mesh.place(b, 3, [1, 1]);
  a.packager.send(TEST_APP_ID, Uint8Array.of(1), { nodeId: b.node.nodeId });
  mesh.run(100);
  const s = a.node.state();
  expect(s.addresses).toEqual(['3-10::']);
  expect(s.peers.map((p) => p.addrs)).toEqual([['3-11::']]);
  expect(s.routes).toEqual([{ address: '3-11::', nodeId: toHex(b.node.nodeId) }]);
  expect(s.counters.tx_frames).toBe(1);
  expect(s.counters.rx_acks).toBe(1);
  expect(s.sizes.peers).toEqual({ size: 1, limit: 64 });
  expect(JSON.parse(JSON.stringify(s))).toEqual(s);
});
