/**
 * The Packager's parts on their own, on a virtual clock: the shared context (ids, sleep skips,
 * timed events), the typed hook bus, and the link layer (one datagram to a peer that may sleep).
 */
import { macOf, nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { PackagerContext } from '../../modules/mycelium/packager/context.js';
import { Hooks } from '../../modules/mycelium/packager/hooks.js';
import { Counters } from '../../modules/mycelium/packager/counters.js';
import { Datagrams } from '../../modules/mycelium/packager/datagrams.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS } from '../../modules/mycelium/packager/options.js';
import { Peer, PeerLink } from '../../modules/mycelium/packager/peer.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { AttachedInterface } from '../../modules/mycelium/packager/attached.js';
import { ESPNOW_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

function context(limits = {}) {
  const clock = new VirtualClock(0);
  const ctx = new PackagerContext(virtualPlatform(clock), toHex(nodeIdOf(1)), DEFAULT_TIMINGS, { ...DEFAULT_LIMITS, ...limits });
  return { clock, ctx };
}

/** A radio that records what it was given. */
function recordingRadio(): Radio & { sent: string[] } {
  const sent: string[] = [];
  return {
    name: 'espnow',
    bitrate: 1_000_000,
    schemaIds: ESPNOW_SCHEMA_IDS,
    mtu: 250,
    onReceive: undefined,
    sent,
    send(mac, frame) {
      sent.push(`${mac[5]}:${frame.length}`);
      return true;
    },
    broadcast: () => true,
  };
}

test('packet and sequence ids wrap at 256; sleep skips are capped', () => {
  const { ctx } = context({ sleepSkips: 2 });
  ctx.packetId = 255;
  expect([ctx.nextPacketId(), ctx.nextPacketId()]).toEqual([255, 0]);
  ctx.seqId = 255;
  expect([ctx.nextSeqId(), ctx.nextSeqId()]).toEqual([255, 0]);
  for (let i = 0; i < 5; i++) ctx.skipSleep();
  expect(ctx.pendingSleepSkips).toBe(2);
  expect([ctx.takeSleepSkip(), ctx.takeSleepSkip(), ctx.takeSleepSkip()]).toEqual([true, true, false]);
});

test('scheduling reports queue_event and runs the handler at its due time', () => {
  const { clock, ctx } = context();
  const seen: string[] = [];
  ctx.hooks.add('queue_event', (id, ms) => seen.push(`queued ${id} ${ms}`));
  ctx.schedule('x', 30, () => seen.push(`ran at ${clock.now()}`));
  clock.advance(100);
  expect(seen).toEqual(['queued x 30', 'ran at 30']);
});

test('a hook is added once, and one that throws is contained and counted', () => {
  const counters = new Counters();
  const hooks = new Hooks<{ ping: [n: number] }>(counters);
  const got: number[] = [];
  const hook = (n: number) => got.push(n);
  hooks.add('ping', hook);
  hooks.add('ping', hook);
  hooks.add('ping', () => {
    throw new Error('boom');
  });
  hooks.call('ping', 7);
  expect(got).toEqual([7]);
  expect(counters.get('hook_error')).toBe(1);
});

describe('one datagram to a peer', () => {
  function setup() {
    const { clock, ctx } = context({ peerQueue: 2 });
    const radio = recordingRadio();
    const iface: AttachedInterface = { radio, id: Uint8Array.of(1, 2, 3, 4), key: '01020304', timings: DEFAULT_TIMINGS, quietApps: [], compacts: false };
    const peer = new Peer(toHex(nodeIdOf(2)), 0, 4);
    const link = new PeerLink(macOf(2), iface, 0, false);
    peer.addLink(link);
    const datagrams = new Datagrams(ctx, { hasPeer: (key: string) => key === peer.key });
    return { clock, ctx, radio, peer, link, datagrams };
  }

  test('goes out at once while the peer is awake', () => {
    const { ctx, radio, peer, link, datagrams } = setup();
    datagrams.send(new Uint8Array(10), peer, link);
    expect(radio.sent).toEqual(['2:10']);
    expect(ctx.counters.get('tx_frames')).toBe(1);
    expect(ctx.pendingSleepSkips).toBe(1); // traffic keeps the node awake one more period
  });

  test('waits for a sleeping peer, probing it with RNS, and goes when it answers', () => {
    const { clock, ctx, radio, peer, link, datagrams } = setup();
    clock.advance(DEFAULT_TIMINGS.peerAwakeMs); // not heard for a while: asleep
    for (let i = 0; i < 3; i++) datagrams.send(new Uint8Array(10 + i), peer, link);
    expect(peer.queue.map((q) => q.frame.length)).toEqual([11, 12]); // capped, oldest dropped
    expect(ctx.counters.get('drop_peer_queue_full')).toBe(1);
    expect(radio.sent).toHaveLength(1); // one RNS probe, not one per datagram
    datagrams.onNia({ schemaId: 0, flags: 0, packetId: 0, body: new Uint8Array(0) }, peer, link.iface, link.mac);
    expect(radio.sent.slice(1)).toEqual(['2:11', '2:12']);
    expect(ctx.scheduler.ids()).toEqual([]); // probing stopped
  });

  test('gives up after the probes go unanswered and counts what it dropped', () => {
    const { clock, ctx, radio, peer, link, datagrams } = setup();
    clock.advance(DEFAULT_TIMINGS.peerAwakeMs);
    datagrams.send(new Uint8Array(10), peer, link);
    datagrams.send(new Uint8Array(11), peer, link);
    clock.advance(DEFAULT_TIMINGS.rnsIntervalMs * (DEFAULT_TIMINGS.rnsProbes + 1));
    expect(radio.sent).toHaveLength(DEFAULT_TIMINGS.rnsProbes);
    expect(peer.queue).toHaveLength(0);
    expect(ctx.counters.get('drop_peer_asleep')).toBe(2);
  });
});

test('an event id led by 32 lowercase hex digits is its app\'s; any other id belongs to its first two characters', () => {
  const { ctx } = context({ events: 100, eventsPerOwner: 1 });
  const app = '0123456789abcdef0123456789abcdef';
  const took = (id: string) => ctx.schedule(id, 1000, () => undefined);
  // One event per owner: a second with the same owner is refused.
  expect([took(app + 'x'), took(app + 'y')]).toEqual([true, false]);
  const near = [app.toUpperCase(), '0x' + app.slice(2), ' ' + app.slice(1), app.slice(0, 31) + 'g', app.slice(0, 31)];
  // None of these is app-led: each is owned by its first two characters, all different here.
  expect(near.map((id) => took(id + 'z'))).toEqual([true, true, true, false, false]);
  expect(took('ffffffff' + app.slice(8) + 'q')).toBe(true);
});
