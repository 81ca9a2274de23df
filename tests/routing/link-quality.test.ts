/**
 * Link estimation (packager/link-quality.ts, docs/routing.md "Link quality"): what a user sees is
 * which neighbours the mesh trusts. Hellos are fed by hand on a virtual time line.
 */
import { BAD_ETX, GOOD_ETX, LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { parseHello, serializeHello, HelloFlag } from '../../modules/mycelium/wire/messages/hello.js';

const PERIOD = 3000;

/** Feed `n` hellos, every one whose index satisfies `lost` is missed; returns the time after. */
function feed(l: LinkEstimate, start: number, n: number, lost: (i: number) => boolean, seq0 = 100, report?: number): number {
  let t = start;
  for (let i = 0; i < n; i++) {
    t += PERIOD;
    if (!lost(i)) l.onHello((seq0 + i) & 0xffff, PERIOD, t);
    if (report !== undefined) l.onReport(report, t);
  }
  return t;
}

test('a clean link both ways is good; its ETX is 1', () => {
  const l = new LinkEstimate();
  const t = feed(l, 0, 10, () => false, 100, 255);
  const f = l.figures(t);
  expect(f.inbound).toBe(1);
  expect(f.outbound).toBe(1);
  expect(f.etx).toBe(1);
  expect(f.good).toBe(true);
});

test('gaps in hello numbers are losses: a link that loses two thirds each way is not usable', () => {
  const l = new LinkEstimate();
  const t = feed(l, 0, 48, (i) => i % 3 !== 0, 100, 85);
  const f = l.figures(t);
  expect(f.inbound).toBeCloseTo(1 / 3, 1);
  expect(f.etx).toBeGreaterThan(BAD_ETX);
  expect(f.good).toBe(false);
});

test('a one-way link (the neighbour never reports hearing us) stops being trusted after the grace period', () => {
  const l = new LinkEstimate();
  expect(l.figures(feed(l, 0, 1, () => false)).good).toBe(true); // new: taken on trust
  const t = feed(l, PERIOD, 8, () => false, 101);
  expect(l.figures(t).outbound).toBeUndefined();
  expect(l.figures(t).good).toBe(false);
});

test('hysteresis: a usable link that worsens stays usable until clearly bad, and must recover clearly', () => {
  const l = new LinkEstimate();
  let t = feed(l, 0, 16, () => false, 0, 255);
  expect(l.good(t)).toBe(true);
  // 3 of 16 lost and the neighbour hears a quarter of ours: ETX ≈ 5, worse than a new link may
  // have (GOOD_ETX) but not bad enough to drop (BAD_ETX)
  t = feed(l, t, 16, (i) => i % 5 === 0, 16, 64);
  expect(l.figures(t).etx).toBeGreaterThan(GOOD_ETX);
  expect(l.figures(t).etx).toBeLessThan(BAD_ETX);
  expect(l.good(t)).toBe(true);
  // a tenth: ETX > BAD_ETX, dropped
  l.onReport(26, t);
  expect(l.good(t)).toBe(false);
  // back to a quarter: between the two thresholds, so it stays out
  l.onReport(64, t);
  expect(l.good(t)).toBe(false);
  // clearly good again: back in
  l.onReport(230, t);
  expect(l.good(t)).toBe(true);
});

test('silence counts: hellos due but not heard lower the inbound figure before the next arrives', () => {
  const l = new LinkEstimate();
  const t = feed(l, 0, 16, () => false, 0, 255);
  expect(l.inbound(t)).toBe(1);
  expect(l.silentPeriods(t + 4 * PERIOD)).toBeCloseTo(4, 5);
  expect(l.inbound(t + 4 * PERIOD)).toBeLessThan(1);
  expect(l.inbound(t + 20 * PERIOD)).toBe(0);
  expect(l.good(t + 20 * PERIOD)).toBe(false);
});

test('a neighbour back after a long silence starts afresh instead of carrying the silence', () => {
  const l = new LinkEstimate();
  let t = feed(l, 0, 16, () => false, 0, 255);
  t += 120_000; // two minutes cut off
  l.onHello(56, PERIOD, t);
  l.onReport(255, t);
  expect(l.inbound(t)).toBe(1);
  expect(l.good(t)).toBe(true);
});

test('back after a silent window, a neighbour is not usable on its hello alone: its report must follow', () => {
  const l = new LinkEstimate();
  let t = feed(l, 0, 16, () => false, 0, 255);
  t += 120_000; // silent for a whole window: down, or a link that loses most frames
  l.onHello(56, PERIOD, t);
  expect(l.good(t)).toBe(false); // one lucky hello over a dead link said ETX 1 before
  expect(l.good(t + 2 * PERIOD)).toBe(false);
  l.onReport(255, t + PERIOD); // it heard us again and says so
  expect(l.good(t + PERIOD)).toBe(true);
});

test('a rebooted neighbour, and one in modem sleep, are trusted again at once as before', () => {
  const rebooted = new LinkEstimate();
  let t = feed(rebooted, 0, 16, () => false, 0, 255);
  t += 2 * PERIOD;
  rebooted.onHello(40_000, PERIOD, t); // a count no time explains: it restarted
  expect(rebooted.good(t)).toBe(true);
  const sleeper = new LinkEstimate();
  sleeper.sleeps = true;
  t = feed(sleeper, 0, 16, () => false, 0, 255);
  t += 120_000; // schedules apart for a while
  sleeper.onHello(56, PERIOD, t);
  expect(sleeper.good(t)).toBe(true);
});

test('a repeated hello (same number) is not counted twice; numbers wrap at 16 bits', () => {
  const l = new LinkEstimate();
  let t = feed(l, 0, 4, () => false, 0xfffe, 255);
  l.onHello(1, PERIOD, t); // seq 0xfffe, 0xffff, 0, 1: the last one again
  expect(l.inbound(t)).toBe(1);
  t = feed(l, t, 4, () => false, 2, 255);
  expect(l.inbound(t)).toBe(1);
});

test('hello messages round-trip and malformed ones are refused, not thrown', () => {
  const m = { seq: 0xbeef, intervalMs: 3000, flags: HelloFlag.BEATS | HelloFlag.SLEEPS, rootSeq: 7, depth: 3, root: new Uint8Array(32).fill(9), addressTag: 0x1234, heard: [{ shortId: new Uint8Array([1, 2, 3, 4]), quality: 200 }] };
  const bytes = serializeHello(m);
  expect(bytes.ok && bytes.value.length).toBe(19 + 5);
  const back = bytes.ok ? parseHello(bytes.value) : undefined;
  expect(back?.ok && back.value).toMatchObject({ seq: 0xbeef, intervalMs: 3000, flags: 5, rootSeq: 7, depth: 3, addressTag: 0x1234, heard: [{ quality: 200 }] });
  const good = bytes.ok ? bytes.value : new Uint8Array();
  for (let cut = 0; cut < good.length; cut++) expect(parseHello(good.subarray(0, cut)).ok).toBe(false);
  const wrongCount = good.slice();
  wrongCount[16] = 2;
  expect(parseHello(wrongCount).ok).toBe(false);
  const zeroInterval = good.slice();
  zeroInterval[3] = 0;
  expect(parseHello(zeroInterval).ok).toBe(false);
});
