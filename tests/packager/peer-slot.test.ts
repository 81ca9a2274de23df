/**
 * A Packager's peer reads its columns at the slot it keeps (issue 21, session 18: peer.ts `slot`,
 * peer-times.ts `enter`) instead of finding the slot by its key on every read. Peers made,
 * refreshed, given estimates and links, dropped and made again among other tables on the same
 * key index (so slots are freed and taken by other keys): every peer must read its own times,
 * estimate and first link, never another node's that took a slot after it, and a dropped peer
 * still held by a caller must read what it had when dropped.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { Peer, PeerLink } from '../../modules/mycelium/packager/peer.js';
import { peerColumns } from '../../modules/mycelium/packager/peer-class.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import type { AttachedInterface } from '../../modules/mycelium/packager/attached.js';
import { rng } from '../support/xorshift.js';

const IFACE = { radio: { name: 'espnow', bitrate: 1_000_000 }, key: 'espnow', timings: { linkStaleMs: 5000 }, quietApps: [] } as unknown as AttachedInterface;

/** What a peer was told, as a caller sees it. */
interface Told {
  lastRx: number;
  timeout: number;
  /** The hello interval its estimate was given (undefined: no estimate). */
  interval: number | undefined;
  /** Its one link's MAC's last byte and when it was last heard (undefined: no link). */
  link: { mac: number; heard: number } | undefined;
}

function read(peer: Peer): Told {
  const links = peer.links;
  const link = links[0];
  return {
    lastRx: peer.lastRx,
    timeout: peer.timeout,
    interval: peer.link?.intervalMs,
    link: link === undefined ? undefined : { mac: Number(link.macKey) & 0xff, heard: link.heard },
  };
}

const macOf = (n: number): Uint8Array => Uint8Array.of(2, 0, 0, 0, 0, n);

test.each([1, 2, 3, 4, 5, 6])('each peer reads its own columns through drops and slot reuse (seed %i)', (seed) => {
  const random = rng(seed);
  const slots = new NodeSlots(6);
  const cols = peerColumns(slots);
  // Other tables on the index (as Beacon's and the tree's are): they hold keys before, while and
  // after those are peers, so the slots a peer frees go to other keys.
  const other = new SlotPairs(slots);
  const keys = Array.from({ length: 12 }, (_, i) => 'node' + i);
  const live = new Map<string, { peer: Peer; told: Told }>();
  const dropped: { peer: Peer; told: Told }[] = [];
  let now = 1000;
  for (let i = 0; i < 3000; i++) {
    now += 1 + Math.floor(random() * 50);
    const key = keys[Math.floor(random() * keys.length)];
    const op = random();
    let entry = live.get(key);
    if (op < 0.1) other.put(key, i, -i, 4);
    else if (op < 0.15) other.delete(key);
    else if (!entry) {
      const peer = new Peer(key, now, 4, cols);
      entry = { peer, told: { lastRx: now, timeout: 4, interval: undefined, link: undefined } };
      live.set(key, entry);
    } else if (op < 0.22) {
      entry.peer.detach();
      live.delete(key);
      dropped.push(entry);
      if (dropped.length > 5) dropped.shift();
    } else if (op < 0.4) {
      entry.peer.lastRx = now;
      entry.told.lastRx = now;
    } else if (op < 0.5) {
      const t = Math.floor(random() * 5);
      entry.peer.timeout = t;
      entry.told.timeout = t;
    } else if (op < 0.62) {
      const interval = 500 + 100 * Math.floor(random() * 20);
      const est = new LinkEstimate(now);
      est.onHello(1, interval, now);
      entry.peer.link = est;
      entry.told.interval = interval;
    } else if (op < 0.67) {
      entry.peer.link = undefined;
      entry.told.interval = undefined;
    } else if (op < 0.8) {
      if (entry.told.link === undefined) {
        const mac = 1 + Math.floor(random() * 200);
        entry.peer.addLink(new PeerLink(macOf(mac), IFACE, now, false));
        entry.told.link = { mac, heard: now };
      } else {
        const link = entry.peer.linkOf(macOf(entry.told.link.mac), IFACE) as PeerLink;
        expect(link).toBeDefined();
        link.heard = now;
        entry.told.link.heard = now;
      }
    } else if (op < 0.85 && entry.told.link !== undefined) {
      const link = entry.peer.linkOf(macOf(entry.told.link.mac), IFACE) as PeerLink;
      expect(entry.peer.dropLink(link)).toBe(true);
      entry.told.link = undefined;
    }
    for (const e of live.values()) expect(read(e.peer)).toEqual(e.told);
    for (const e of dropped) expect(read(e.peer)).toEqual(e.told);
  }
});
