/**
 * A sleepy leaf hears a router's hellos at most once a superframe (1.6 s with the default cycle):
 * a root sends one every second, and those that fell between the leaf's windows were counted as
 * lost. Its link to the root looked bad, and a leaf whose parent was the root gave the root up
 * every few minutes on a lossy radio (docs/sleep.md, session 29). Now the leaf counts only what it
 * could have heard.
 */
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';

const SUPERFRAME = 1600;

/** A root's hellos (every 1 s), as a leaf hears them: the newest at each of its windows, every one heard. */
function heardByLeaf(heardEveryMs: number): LinkEstimate {
  const link = new LinkEstimate(0);
  for (let w = 1; w <= 40; w++) {
    const at = w * SUPERFRAME;
    link.onHello(Math.floor(at / 1000), 1000, at, heardEveryMs);
    link.onReport(255, at); // the root hears the leaf's hellos too
  }
  return link;
}

test("a leaf that hears every copy of its root's hellos keeps a good link to it", () => {
  const now = 40 * SUPERFRAME + 10;
  const counted = heardByLeaf(SUPERFRAME);
  expect(counted.good(now)).toBe(true);
  expect(counted.lost(now + 3 * SUPERFRAME)).toBe(false); // three windows without a copy: not gone yet
  // Counted by the root's numbers, 38 % of them never came: the link looked bad.
  expect(heardByLeaf(0).etx(now)).toBeGreaterThan(counted.etx(now) * 1.4);
});

test('hellos lost in the windows it listened in still count against the link', () => {
  const link = new LinkEstimate(0);
  for (let w = 1; w <= 40; w++) {
    if (w % 2 === 0) continue; // every other window's copy lost
    const at = w * SUPERFRAME;
    link.onHello(Math.floor(at / 1000), 1000, at, SUPERFRAME);
    link.onReport(255, at);
  }
  expect(link.etx(40 * SUPERFRAME)).toBeGreaterThan(1.5);
});
