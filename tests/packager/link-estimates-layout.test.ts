/**
 * Hello's link estimates as columns on the node's key index (issue 21, session 14): the estimates
 * of many neighbours in one LinkEstimates table (link-estimates.ts) must read exactly as one
 * object each did (reference/link-estimate-before.ts, the layout before session 12's packing, and
 * the same figures), through random hellos, reports, sleep flags, estimates started and dropped,
 * and slots freed and taken by other keys: a reused slot brings nothing of the key that had it.
 * A Packager's peer hands out views of its estimate and leaves a copy behind when it is dropped.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { SlotPairs } from '../../modules/mycelium/packager/slot-pairs.js';
import { LinkEstimates } from '../../modules/mycelium/packager/link-estimates.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { LinkEstimateBefore } from '../routing/reference/link-estimate-before.js';
import { rng } from '../support/xorshift.js';

const WIRE = [100, 1000, 3000, 6000, 25_500];
const ODD = [50, 2999, 3000.5, 30_000];
const ODD_SEQ = [0x10000, 3.5, -5];
const ODD_QUALITY = [256, -4, 12.5];

function same(a: LinkEstimate, b: LinkEstimateBefore, now: number): void {
  expect([a.intervalMs, a.lastHeard, a.sleeps, a.silentPeriods(now), a.lost(now), a.slowAndSilent(now)]).toEqual([
    b.intervalMs,
    b.lastHeard,
    b.sleeps,
    b.silentPeriods(now),
    b.lost(now),
    b.slowAndSilent(now),
  ]);
  expect([a.inbound(now), a.outbound(now), a.report(now)]).toEqual([b.inbound(now), b.outbound(now), b.report(now)]);
  expect(a.figures(now)).toEqual(b.figures(now));
}

test.each([1, 2, 3, 4, 5])('estimates in columns read as one object each, through slot reuse (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  const slots = new NodeSlots(8);
  const table = new LinkEstimates(slots);
  // Another table on the same index, so that slots are held and freed by more than the estimates.
  const other = new SlotPairs(slots);
  const ref = new Map<string, { est: LinkEstimateBefore; seq: number; period: number }>();
  const keys = Array.from({ length: 24 }, (_, i) => 'node' + i);
  let now = 1000;
  for (let i = 0; i < 3000; i++) {
    const key = pick(keys);
    const r = ref.get(key);
    const op = random();
    now += Math.floor(random() * 700);
    if (op < 0.08) other.put(key, i, -i, 6);
    else if (op < 0.12) other.delete(key);
    else if (!r || op < 0.18) {
      // A new estimate (or one started again, as a neighbour's Beacon can): the old numbers go.
      const fresh = new LinkEstimate(now);
      const est = new LinkEstimateBefore(now);
      if (random() < 0.5) {
        // Handed over with a hello already in it.
        fresh.onHello(7, 1000, now);
        est.onHello(7, 1000, now);
      }
      table.put(key, fresh);
      ref.set(key, { est, seq: 7, period: 1000 });
    } else if (op < 0.24) {
      table.delete(key);
      ref.delete(key);
    } else {
      const ours = table.of(key) as LinkEstimate;
      if (op < 0.7) {
        if (random() < 0.05) r.period = random() < 0.3 ? pick(ODD) : pick(WIRE);
        r.seq = (r.seq + (random() < 0.8 ? 1 : 2 + Math.floor(random() * 20))) & 0xffff;
        const s = random() < 0.05 ? pick(ODD_SEQ) : r.seq;
        ours.onHello(s, r.period, now);
        r.est.onHello(s, r.period, now);
      } else if (op < 0.9) {
        const q = random() < 0.05 ? pick(ODD_QUALITY) : Math.floor(random() * 256);
        ours.onReport(q, now);
        r.est.onReport(q, now);
      } else {
        const s = pick([true, false, undefined]);
        ours.sleeps = s;
        r.est.sleeps = s;
      }
    }
    // The key touched every turn, every key now and then (expect() is slow: the test stays short).
    for (const k of i % 50 === 0 ? keys : [key]) {
      const want = ref.get(k);
      const got = table.of(k);
      expect(got === undefined).toBe(want === undefined);
      if (got && want) same(got, want.est, now);
      // The index holds exactly the keys some table holds.
      expect(slots.slotOf(k) !== undefined).toBe(ref.has(k) || other.has(k));
    }
  }
});

test("a peer's estimate is a view of the columns, and a dropped peer keeps a copy its successor does not see", () => {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(1) });
  const radio = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  p.addInterface(radio);
  const peer = p.addPeer(nodeIdOf(2), [{ mac: Uint8Array.of(2, 0, 0, 0, 0, 2), radio }]);
  if (!peer) throw new Error('no peer');
  expect(peer.link).toBeUndefined();
  const given = new LinkEstimate(0);
  peer.link = given;
  for (let seq = 1; seq <= 10; seq++) peer.link.onHello(seq, 1000, seq * 1000);
  peer.link.onReport(255, 10_000);
  expect(given.lastHeard).toBe(0); // the object given was copied, not kept
  expect(peer.link.lastHeard).toBe(10_000);
  expect(peer.link.good(10_000)).toBe(true);
  expect(peer.usable(10_000)).toBe(true);
  const before = peer.link.figures(10_500);
  expect(p.removePeer(nodeIdOf(2))).toBe(true);
  // Whoever still holds the dropped peer reads the estimate it had, and may keep feeding it.
  expect(peer.link?.figures(10_500)).toEqual(before);
  peer.link?.onHello(11, 1000, 11_000);
  expect(peer.link?.lastHeard).toBe(11_000);
  // Another neighbour takes the freed slot: it starts with no estimate, and the new one is its own.
  const next = p.addPeer(nodeIdOf(3), [{ mac: Uint8Array.of(2, 0, 0, 0, 0, 3), radio }]);
  expect(next?.link).toBeUndefined();
  if (next) next.link = new LinkEstimate(20_000);
  expect(next?.link?.lastHeard).toBe(20_000);
  expect(peer.link?.lastHeard).toBe(11_000);
  // The same node back as a new peer: nothing of its old estimate.
  const again = p.addPeer(nodeIdOf(2), [{ mac: Uint8Array.of(2, 0, 0, 0, 0, 2), radio }]);
  expect(again).not.toBe(peer);
  expect(again?.link).toBeUndefined();
  if (again) again.link = undefined;
  expect(p.nodeSlots.size).toBe(2); // the two peers (their first links; the third node its estimate too)
});
