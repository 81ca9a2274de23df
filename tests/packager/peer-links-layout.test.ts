/**
 * A Packager's peers keep their first link in columns on the node's key index (issue 21, session
 * 14: first-links.ts), the others as objects. Driven side by side with the layout it replaced
 * (reference/peer-links-before.ts: every link an object) through random links added, heard,
 * flagged and dropped on two interfaces — MACs of 6 bytes, of 8 (held as objects only), none —
 * with peers dropped and made again and other tables on the same index: every peer's links must
 * read the same, in the same order, and a slot taken by another node brings none of the old one's.
 * The link index, whose entries for first links are now bits in the columns, must name the same
 * owner for every MAC as its `Map` did, used as the Packager uses it (neighbours.ts).
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Peer, PeerLink } from '../../modules/mycelium/packager/peer.js';
import { peerColumns } from '../../modules/mycelium/packager/peer-class.js';
import type { AttachedInterface } from '../../modules/mycelium/packager/attached.js';
import { LinkBefore, LinksBefore } from './reference/peer-links-before.js';
import { LinkIndexBefore } from './reference/link-index-before.js';
import { LinkIndex } from '../../modules/mycelium/packager/link-index.js';
import { rng } from '../support/xorshift.js';

function iface(name: string, bitrate: number): AttachedInterface {
  return { radio: { name, bitrate }, key: name, timings: { linkStaleMs: 5000 }, quietApps: [] } as never;
}

const IFACES = [iface('espnow', 1_000_000), iface('lora', 1000)];
const MACS: (Uint8Array | undefined)[] = [
  Uint8Array.of(2, 0, 0, 0, 0, 1),
  Uint8Array.of(2, 0, 0, 0, 0, 2),
  Uint8Array.of(0, 0, 0, 0, 0, 3),
  Uint8Array.of(9, 9, 9, 9, 9, 9, 9, 9),
  undefined,
];

function read(links: readonly { iface: AttachedInterface; macKey: number | string; heard: number; candidate: boolean }[]): unknown[] {
  return links.map((l) => [IFACES.indexOf(l.iface), l.macKey, l.heard, l.candidate]);
}

test.each([1, 2, 3, 4, 5, 6])('first links in columns read as objects did, through drops and slot reuse (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const slots = new NodeSlots(6);
  const other = new SlotPairs(slots);
  const peerCols = peerColumns(slots);
  const keys = Array.from({ length: 10 }, (_, i) => 'node' + i);
  const ours = new Map<string, Peer>();
  const refs = new Map<string, LinksBefore>();
  const dropped: [Peer, LinksBefore][] = [];
  for (let i = 0; i < 3000; i++) {
    const key = pick(keys);
    let peer = ours.get(key);
    let ref = refs.get(key);
    if (!peer || !ref) {
      peer = new Peer(key, 0, 4, peerCols);
      ref = new LinksBefore();
      ours.set(key, peer);
      refs.set(key, ref);
    }
    const op = random();
    const mac = pick(MACS);
    const on = pick(IFACES);
    if (op < 0.05) other.put(key, i, i, 4);
    else if (op < 0.08) other.delete(key);
    else if (op < 0.12) {
      // The Packager drops the peer: whoever holds it still reads its links; the key starts again.
      peer.detach();
      dropped.push([peer, ref]);
      if (dropped.length > 4) dropped.shift();
      ours.delete(key);
      refs.delete(key);
    } else if (op < 0.45) {
      if (!ref.linkOf(mac, on)) {
        const candidate = random() < 0.2;
        peer.addLink(new PeerLink(mac, on, i, candidate));
        ref.addLink(new LinkBefore(mac, on, i, candidate));
      }
    } else if (op < 0.65) {
      const r = ref.links.length ? pick(ref.links) : undefined;
      if (r) {
        const link = peer.linkOf(pickMac(r.macKey), r.iface) as PeerLink;
        expect(peer.dropLink(link)).toBe(true);
        expect(ref.dropLink(r)).toBe(true);
      } else expect(peer.dropLink(new PeerLink(mac, on, 0, false))).toBe(false);
    } else if (op < 0.85) {
      const link = peer.linkOf(mac, on);
      const r = ref.linkOf(mac, on);
      expect(link === undefined).toBe(r === undefined);
      if (link && r) {
        link.heard = i;
        r.heard = i;
      }
    } else {
      const link = peer.linkOf(mac, on);
      const r = ref.linkOf(mac, on);
      if (link && r) {
        const c = random() < 0.5;
        link.candidate = c;
        r.candidate = c;
      }
    }
    expect(read(peer.links)).toEqual(read(ref.links));
    if (i % 50 === 0) {
      for (const [k, p] of ours) expect(read(p.links)).toEqual(read((refs.get(k) as LinksBefore).links));
      for (const [p, r] of dropped) expect(read(p.links)).toEqual(read(r.links));
    }
  }
});

/** The MAC bytes of a link's key (the MACs above, found by their key). */
function pickMac(key: number | string): Uint8Array | undefined {
  return MACS.find((m) => new PeerLink(m, IFACES[0], 0, false).macKey === key);
}

test('a copy of a link kept after its peer was dropped writes nowhere; the next node in the slot starts bare', () => {
  const slots = new NodeSlots(2);
  const columns = peerColumns(slots);
  const peerCols = columns;
  const old = new Peer('old', 0, 4, peerCols);
  old.addLink(new PeerLink(MACS[0], IFACES[0], 5, false));
  const kept = old.links[0];
  const slot = slots.slotOf('old');
  old.detach();
  expect(slots.size).toBe(0);
  const next = new Peer('next', 0, 4, peerCols);
  expect(next.links).toEqual([]);
  next.addLink(new PeerLink(MACS[0], IFACES[0], 7, false));
  expect(slots.slotOf('next')).toBe(slot);
  kept.heard = 100; // a stale copy: the next node's link is not touched
  kept.candidate = true;
  expect(read(next.links)).toEqual([[0, kept.macKey, 7, false]]);
  expect(read(old.links)).toEqual([[0, kept.macKey, 5, false]]);
});

test.each([1, 2, 3, 4, 5, 6])('the link index names the same owners with its first links in columns (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const slots = new NodeSlots(6);
  const columns = peerColumns(slots);
  const links = columns.links;
  const peerCols = columns;
  const index = new LinkIndex();
  index.useColumns(links);
  const ref = new LinkIndexBefore();
  // A few ids fight over a few MACs (issue 19: a MAC claiming another's id), on two interfaces.
  const keys = ['a', 'b', 'c', 'd', 'e'];
  const peers = new Map<string, Peer>();
  const peerOf = (key: string): Peer => {
    let p = peers.get(key);
    if (!p) peers.set(key, (p = new Peer(key, 0, 4, peerCols)));
    return p;
  };
  for (let i = 0; i < 3000; i++) {
    const key = pick(keys);
    const mac = pick(MACS);
    const on = pick(IFACES);
    const peer = peerOf(key);
    const op = random();
    if (op < 0.45) {
      // A claim (neighbours.ts claimLink): the link is added, then entered if nobody owns it.
      if (!peer.linkOf(mac, on)) peer.addLink(new PeerLink(mac, on, i, false));
      expect(index.has(mac, on)).toBe(ref.has(mac, on));
      if (!index.has(mac, on)) index.set(mac, on, key);
      if (!ref.has(mac, on)) ref.set(mac, on, key);
    } else if (op < 0.75) {
      // A link goes (unlink): off the peer, then its entry if the peer owned it.
      const link = peer.linkOf(mac, on);
      if (link && peer.dropLink(link)) {
        index.deleteIfOwner(link.macKey, on, key);
        ref.deleteIfOwner(link.macKey, on, key);
      }
    } else if (op < 0.95) {
      // The peer goes (dropPeer): its entries, then its columns.
      for (const l of peer.links) {
        index.deleteIfOwner(l.macKey, l.iface, key);
        ref.deleteIfOwner(l.macKey, l.iface, key);
      }
      peer.detach();
      peers.delete(key);
    } else {
      // An interface goes (removeInterface) and comes back.
      for (const p of peers.values()) for (const l of p.links.filter((x) => x.iface === on)) p.dropLink(l);
      index.dropInterface(on);
      ref.dropInterface(on);
      links.forgetInterface(on);
    }
    for (const m of MACS) for (const f of IFACES) expect([i, index.get(m, f)]).toEqual([i, ref.get(m, f)]);
  }
});

test.each([1, 2, 3])("a peer's last-heard time and timeout in columns read as fields did, through drops and slot reuse (seed %i)", (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const slots = new NodeSlots(4);
  const other = new SlotPairs(slots);
  const peerCols = peerColumns(slots);
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  // The reference: peers made alone keep the two numbers on the object, as every peer did.
  const ours = new Map<string, Peer>();
  const refs = new Map<string, Peer>();
  const dropped: [Peer, Peer][] = [];
  for (let i = 0; i < 2000; i++) {
    const key = pick(keys);
    if (!ours.has(key)) {
      const at = random() < 0.1 ? i + 0.25 : i;
      ours.set(key, new Peer(key, at, 4, peerCols));
      refs.set(key, new Peer(key, at, 4));
    }
    const peer = ours.get(key) as Peer;
    const ref = refs.get(key) as Peer;
    const op = random();
    if (op < 0.1) other.put(key, i, i, 3);
    else if (op < 0.4) {
      peer.lastRx = i;
      ref.lastRx = i;
    } else if (op < 0.7) {
      peer.timeout--;
      ref.timeout--;
    } else if (op < 0.85) {
      peer.timeout = 4;
      ref.timeout = 4;
    } else {
      peer.detach();
      dropped.push([peer, ref]);
      ours.delete(key);
      refs.delete(key);
    }
    for (const [p, r] of [...[...ours.keys()].map((k) => [ours.get(k), refs.get(k)] as [Peer, Peer]), ...dropped.slice(-3)]) {
      expect([p.key, p.lastRx, p.timeout]).toEqual([r.key, r.lastRx, r.timeout]);
    }
  }
});
