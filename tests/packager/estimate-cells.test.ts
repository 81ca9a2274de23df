/**
 * Hello's link estimates in 4 B words (packager/estimate-cells.ts, issue 21, session 25): a
 * neighbour's five numbers take 20 B of a Packager's table while the clock counts whole ms, as a
 * device's does, and every estimate still reads exactly as one object did
 * (reference/link-estimate-before.ts): through clocks whose times do not fit in words (the
 * simulator's fractions, a jump of weeks, -0), which move the numbers to floats, and through the
 * history's bit 31 (a 25.5 s hello period), which a word holds as a negative number.
 */
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { LinkEstimates } from '../../modules/mycelium/packager/link-estimates.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { LinkEstimateBefore } from '../routing/reference/link-estimate-before.js';
import { rng } from '../support/xorshift.js';

const DAY = 86_400_000;
const WIRE = [100, 1000, 3000, 25_500];
const keys = Array.from({ length: 12 }, (_, i) => 'node' + i);

/**
 * Everything an estimate tells, at `now`. A time more than 2^31 ms (24.8 days) old reads as at
 * least that old (estimate-cells.ts `rebase`, a device's clock going on): its last hello is
 * compared so, and every figure exactly (each looks back a few hello periods at most).
 */
function told(e: LinkEstimate | LinkEstimateBefore, now: number): unknown[] {
  const heard = Math.max(e.lastHeard, now - 2 ** 31);
  const silent = Math.min(e.silentPeriods(now), 2 ** 31 / e.intervalMs);
  return [e.intervalMs, heard, e.sleeps, silent, e.lost(now), e.slowAndSilent(now), e.inbound(now), e.outbound(now), e.report(now), e.figures(now)];
}

/**
 * Random hellos, reports and sleep flags to a table of estimates and to one reference object
 * each, the clock stepped by `step`; every estimate compared with its reference as it goes. The
 * table, to weigh.
 */
function drive(seed: number, start: number, step: (random: () => number, turn: number) => number): LinkEstimates {
  const random = rng(seed);
  const table = new LinkEstimates(new NodeSlots(keys.length));
  const ref = new Map<string, { est: LinkEstimateBefore; seq: number; period: number }>();
  let now = start;
  for (let i = 0; i < 1500; i++) {
    const key = keys[Math.floor(random() * keys.length)];
    const r = ref.get(key);
    const op = random();
    if (i > 0) now += step(random, i);
    if (!r || op < 0.05) {
      table.put(key, new LinkEstimate(now));
      ref.set(key, { est: new LinkEstimateBefore(now), seq: 0, period: 3000 });
    } else if (op < 0.08) {
      table.delete(key);
      ref.delete(key);
    } else {
      const ours = table.of(key) as LinkEstimate;
      if (op < 0.7) {
        if (random() < 0.05) r.period = WIRE[Math.floor(random() * WIRE.length)];
        r.seq = (r.seq + (random() < 0.8 ? 1 : 2 + Math.floor(random() * 20))) & 0xffff;
        ours.onHello(r.seq, r.period, now);
        r.est.onHello(r.seq, r.period, now);
      } else if (op < 0.9) {
        const q = Math.floor(random() * 256);
        ours.onReport(q, now);
        r.est.onReport(q, now);
      } else {
        ours.sleeps = random() < 0.5;
        r.est.sleeps = ours.sleeps;
      }
    }
    for (const k of i % 100 === 0 ? keys : [key]) {
      const want = ref.get(k);
      const got = table.of(k);
      expect(got === undefined).toBe(want === undefined);
      if (got && want) expect(told(got, now)).toEqual(told(want.est, now));
    }
  }
  return table;
}

const wholeMs = (random: () => number) => Math.floor(random() * 4000);

test("a neighbour's estimate takes 20 B of the table on a clock of whole ms (40 B in floats)", () => {
  const table = drive(1, 5_000_000, wholeMs);
  const perEstimate = table.cells.byteLength / (table.cells.length / 5);
  expect(perEstimate).toBe(20);
  // The simulator's clock has fractions of a ms: the same table in floats, every figure still exact.
  expect(drive(2, 5_000_000, (random) => random() * 4000).cells.byteLength / (table.cells.length / 5)).toBe(40);
});

test.each([
  ['a device clock from 0', 0, wholeMs],
  ['a device clock, a jump of weeks now and then', 1000, (random: () => number, turn: number) => (turn % 700 === 0 ? 30 * DAY : wholeMs(random))],
  ['fractions of a ms after a while', 1000, (random: () => number, turn: number) => wholeMs(random) + (turn > 600 ? 0.25 : 0)],
  ['a clock starting at -0', -0, wholeMs],
])('estimates read exactly as one object each: %s', (_name, start, step) => {
  drive(3, start, step);
});

test("a history with bit 31 set (a 25.5 s period) and its good state read back as written", () => {
  const table = new LinkEstimates(new NodeSlots(4));
  const ref = new LinkEstimateBefore(1000);
  table.put('a', new LinkEstimate(1000));
  const est = table.of('a') as LinkEstimate;
  for (let seq = 1; seq <= 20; seq++) {
    est.onHello(seq, 25_500, 1000 + seq * 25_500);
    ref.onHello(seq, 25_500, 1000 + seq * 25_500);
  }
  est.onReport(255, 530_000);
  ref.onReport(255, 530_000);
  est.sleeps = true;
  ref.sleeps = true;
  for (const now of [531_000, 700_000, 900_000, 531_000]) expect(told(table.of('a') as LinkEstimate, now)).toEqual(told(ref, now));
  expect(est.intervalMs).toBe(25_500);
  expect(est.good(531_000)).toBe(true);
  expect(est.good(2_000_000)).toBe(false); // silent for long: the good bit cleared, bit 31 kept
  expect([est.intervalMs, est.sleeps]).toEqual([25_500, true]);
});

test('a device up for months keeps its estimates in words: the times move their base', () => {
  // Jumps of 30 days (past the words' 24.8-day reach from one base) among hellos every few seconds.
  const table = drive(4, 1000, (random, turn) => (turn % 300 === 0 ? 30 * DAY : wholeMs(random)));
  expect(table.cells).toBeInstanceOf(Int32Array);
});
