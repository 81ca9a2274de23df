/**
 * When a node takes its parent's REQUEST for a parent back from a reboot (refused: each would be
 * the other's parent), and for how long it takes the parent's own root for no word on ours
 * (apps/parent-reboot.ts). A neighbour's link figures on the virtual clock.
 */
import { parentBackFromReboot, parentRejoining } from '../../modules/mycelium/apps/parent-reboot.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';

/** A neighbour heard every 3 s from 0 to `lastMs`. */
function heardUntil(lastMs: number): LinkEstimate {
  const link = new LinkEstimate(0);
  for (let t = 0, seq = 100; t <= lastMs; t += 3000, seq++) link.onHello(seq, 3000, t);
  return link;
}

test('a parent heard all along is answered; one silent two of its periods, or whose hellos restarted, is not', () => {
  const link = heardUntil(30_000);
  expect(parentBackFromReboot(link, false, 31_000)).toBe(false);
  expect(parentBackFromReboot(link, false, 35_000)).toBe(false);
  expect(parentBackFromReboot(link, false, 36_500)).toBe(true);
  expect(parentBackFromReboot(link, true, 31_000)).toBe(true);
});

test('a parent that speaks no Hello (upstream) is always answered', () => {
  expect(parentBackFromReboot(undefined, false, 60_000)).toBe(false);
  expect(parentBackFromReboot(undefined, true, 60_000)).toBe(false);
});

test('a restart seen in its hellos holds for two of our hello periods', () => {
  expect(parentRejoining(undefined, 10_000, 3000)).toBe(false);
  expect(parentRejoining(10_000, 10_000, 3000)).toBe(true);
  expect(parentRejoining(10_000, 16_000, 3000)).toBe(true);
  expect(parentRejoining(10_000, 16_001, 3000)).toBe(false);
});

test('a hello count that starts afresh is seen as a restart', () => {
  const link = heardUntil(30_000);
  expect(link.onHello(111, 3000, 33_000)).toBe(false); // the next one
  expect(link.onHello(40_000, 3000, 50_000)).toBe(true); // a count no time explains
});
