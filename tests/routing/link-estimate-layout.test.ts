/**
 * Hello's link estimate with the neighbour's hello period held in its history bits, its last hello's
 * number and its report of us in one number (issue 21):
 * driven side by side with the layout it replaced (reference/link-estimate-before.ts) through
 * random hellos — lost, repeated, restarted, at the periods the wire carries and at others — and
 * reports, every figure routing reads must be the same.
 */
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { LinkEstimateBefore } from './reference/link-estimate-before.js';
import { rng } from '../support/xorshift.js';

/** Periods a hello can announce (the wire's hundreds of ms), and some no wire gives (a caller's own). */
const WIRE = [100, 200, 1000, 3000, 6000, 12_000, 25_500];
const ODD = [50, 150, 2999, 3000.5, 30_000, 25_600, 0];
/** Hello numbers and reports beyond what the wire carries. */
const ODD_SEQ = [0x10000, 70_000, 3.5, -1, -5];
const ODD_QUALITY = [256, 300, -4, 12.5, 254.99];

function same(a: LinkEstimate, b: LinkEstimateBefore, now: number): void {
  expect(a.intervalMs).toBe(b.intervalMs);
  expect(a.lastHeard).toBe(b.lastHeard);
  expect(a.sleeps).toBe(b.sleeps);
  expect(a.silentPeriods(now)).toBe(b.silentPeriods(now));
  expect(a.lost(now)).toBe(b.lost(now));
  expect(a.slowAndSilent(now)).toBe(b.slowAndSilent(now));
  expect(a.inbound(now)).toBe(b.inbound(now));
  expect(a.outbound(now)).toBe(b.outbound(now));
  expect(a.report(now)).toBe(b.report(now));
  expect(a.figures(now)).toEqual(b.figures(now));
}

test.each([1, 2, 3, 4, 5, 6])('with the period, number and report packed, the estimate reads as before (seed %i)', (seed) => {
  const random = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
  let now = 1000 + Math.floor(random() * 100_000);
  const ours = new LinkEstimate(now);
  const ref = new LinkEstimateBefore(now);
  let seq = Math.floor(random() * 0x10000);
  // Odd periods on even seeds only now and then, on odd seeds often.
  const oddShare = seed % 2 ? 0.3 : 0.03;
  let period = 3000;
  for (let i = 0; i < 1500; i++) {
    const op = random();
    if (op < 0.05) period = random() < oddShare ? pick(ODD) : pick(WIRE);
    now += random() < 0.02 ? Math.floor(random() * 400_000) : Math.floor(period * (0.5 + random()));
    if (op < 0.7) {
      // Mostly the next hello; some lost, some repeated, now and then a restarted count.
      const r = random();
      seq = r < 0.7 ? seq + 1 : r < 0.85 ? seq + 2 + Math.floor(random() * 20) : r < 0.95 ? seq : Math.floor(random() * 0x10000);
      seq &= 0xffff;
      // Now and then a number no hello carries (a caller's own): beyond 16 bits, fractional, negative.
      const s = random() < oddShare / 3 ? pick(ODD_SEQ) : seq;
      ours.onHello(s, period, now);
      ref.onHello(s, period, now);
    } else if (op < 0.85) {
      const q = random() < oddShare / 3 ? pick(ODD_QUALITY) : Math.floor(random() * 256);
      ours.onReport(q, now);
      ref.onReport(q, now);
    } else if (op < 0.9) {
      const s = pick([true, false, undefined]);
      ours.sleeps = s;
      ref.sleeps = s;
    }
    same(ours, ref, now);
  }
});
