/**
 * Dense neighbourhoods (docs/routing.md "Dense neighbourhoods"): more neighbours hear a node than
 * one hello can name, or than its peer table holds. A link becomes usable only once the
 * neighbour's hello names us, so a node named by nobody stays a tree of its own in a room full of
 * nodes. On the virtual clock, every node in radio reach of every other.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { HeardLists } from '../../modules/mycelium/apps/hello-heard-list.js';
import { HELLO_FRAME_BYTES, HELLO_MAX_ENTRIES } from '../../modules/mycelium/wire/messages/hello.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';

/** `n` nodes that all hear each other, started together. */
function room(n: number, peers?: number, seed = 1): { mesh: AppMesh; nodes: AppNode[] } {
  const mesh = new AppMesh({ seed, hello: true, ...(peers !== undefined && { node: { packager: { limits: { peers } } } }) });
  const nodes = mesh.addApps(n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) mesh.wire(nodes[i], nodes[j]);
  return { mesh, nodes };
}

function goodLinks(a: AppNode, now: number): number {
  return a.packager.peers.filter((p) => p.link?.good(now)).length;
}

test('with more neighbours than one hello names, every link becomes usable both ways', () => {
  // 40 neighbours each: a list names at most 32. Before, the first 32 peers were named forever and
  // each node's link to the 8 others stayed one-way (never good).
  const { mesh, nodes } = room(41);
  mesh.startAll();
  mesh.run(120_000);
  const now = mesh.clock.now();
  const fewest = Math.min(...nodes.map((a) => goodLinks(a, now)));
  expect(nodes[0].packager.peers.length).toBe(40);
  expect(fewest).toBe(40);
  // And each hello went as one frame: none as a sequence whose fragments every neighbour acks.
  const helloId = nodes[0].hello?.id as Uint8Array;
  let hellos = 0;
  let sequences = 0;
  for (const f of mesh.medium.log) {
    const p = parsePacket(f.frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, f.frame) ?? f.frame) : f.frame);
    if (!p.ok || p.value.body.length < 16 || !bytesEqual(p.value.body.subarray(0, 16), helloId)) continue;
    hellos++;
    if (p.value.seqId !== undefined) sequences++;
  }
  expect(hellos).toBeGreaterThan(400);
  expect(sequences).toBe(0);
});

describe('room in a full peer table for a neighbour whose hello names us (neighbours.ts)', () => {
  /** A table of 3 peers, each heard by hello; `naming` of them name us, the others never did. */
  function full(naming: number) {
    const clock = new VirtualClock(0);
    const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(1), limits: { peers: 3 } });
    for (let n = 0; n < 3; n++) {
      const peer = p.addPeer(nodeIdOf(10 + n), []) as Peer;
      peer.link = new LinkEstimate(clock.now());
    }
    // A minute of hellos, 3 s apart: past every link's grace (4 periods) and within its report's life.
    for (let t = 0; t < 20; t++) {
      clock.advance(3000);
      p.peers.forEach((peer, n) => {
        const link = peer.link as LinkEstimate;
        link.onHello(t + 1, 3000, clock.now());
        if (n < naming) link.onReport(255, clock.now());
        peer.link = link;
      });
    }
    return { p, clock };
  }

  test('it takes the slot of a peer that never named us, and only with its hello naming us', () => {
    const { p } = full(2);
    expect(p.addPeer(nodeIdOf(20), [])).toBeUndefined(); // a Beacon, or a hello that does not name us
    expect(p.counters.get('peer_refused')).toBe(1);
    expect(p.addPeer(nodeIdOf(20), [], undefined, true)).toBeDefined();
    expect(p.peer(nodeIdOf(12))).toBeUndefined(); // the one that never named us
    expect(p.peer(nodeIdOf(10))).toBeDefined();
    expect(p.counters.get('peer_unanswered_evicted')).toBe(1);
  });

  test('while every peer names us, a newcomer (or a forger) naming us is refused', () => {
    const { p } = full(3);
    for (let n = 20; n < 30; n++) expect(p.addPeer(nodeIdOf(n), [], undefined, true)).toBeUndefined();
    expect(p.peers.map((x) => x.id[0])).toEqual([10, 11, 12].map((n) => nodeIdOf(n)[0]));
    expect(p.counters.get('peer_unanswered_evicted')).toBe(0);
  });
});

describe('the heard lists (hello-heard-list.ts)', () => {
  const peer = (i: number, quality = 1): Peer => {
    const link = new LinkEstimate(0);
    link.onHello(1, 3000, 0);
    if (quality === 0) link.onHello(40, 3000, 200_000); // a long gap: heard of late as nothing
    return { id: Uint8Array.of(0, 0, 0, i, ...new Uint8Array(28)), link } as unknown as Peer;
  };

  test('lists that cannot name every neighbour take turns, and ride sooner', () => {
    const peers = Array.from({ length: 50 }, (_, i) => peer(i + 1));
    const lists = new HeardLists();
    const named = new Set<number>();
    const first = lists.pick(peers, 100, 0);
    expect(first.length).toBe(HELLO_MAX_ENTRIES);
    for (const e of first) named.add(e.shortId[3]);
    expect(lists.rotating).toBe(true);
    const second = lists.pick(peers, 100, 0);
    for (const e of second) named.add(e.shortId[3]);
    expect(named.size).toBe(50);
    // Two lists name all 50: each rides every 3 hellos at most, within 6 of our periods.
    expect(lists.every(4)).toBe(3);
    expect(lists.every(2)).toBe(2);
  });

  test('a list that names every neighbour is not rotating, and its repeat is no news', () => {
    const peers = Array.from({ length: 10 }, (_, i) => peer(i + 1));
    const lists = new HeardLists();
    const a = lists.pick(peers, 100, 0);
    expect(a.length).toBe(10);
    expect(lists.rotating).toBe(false);
    expect(lists.every(4)).toBe(4);
    lists.remember(a);
    expect(lists.repeats(lists.pick(peers, 100, 0))).toBe(true);
    expect(lists.repeats(lists.pick(peers.slice(1), 100, 0))).toBe(false);
  });

  test('rotating lists that say the same of the same neighbours are no news either', () => {
    const peers = Array.from({ length: 40 }, (_, i) => peer(i + 1));
    const lists = new HeardLists();
    for (let k = 0; k < 2; k++) lists.remember(lists.pick(peers, 20, 0));
    expect(lists.rotating).toBe(true);
    expect(lists.repeats(lists.pick(peers, 20, 0))).toBe(true);
  });

  test('a hello keeps to one frame on every radio', () => {
    expect(HELLO_FRAME_BYTES).toBe(203);
  });
});
