/** The receiver's record of delivered unicasts: retries are caught in the window, lapsed records go. */
import { DeliveredMessages } from '../../modules/mycelium/packager/delivered-messages.js';

test('a retry within the window is caught, and records that lapsed are forgotten at the next delivery', () => {
  const d = new DeliveredMessages(8);
  for (let i = 0; i < 6; i++) expect(d.seen(`k${i}`, 'a', 'n1', 0, 1000)).toBe(false);
  expect(d.seen('k3', 'a', 'n1', 500, 1000)).toBe(true); // a retry
  expect(d.size).toBe(6);
  // Past the window: the old records can no longer match, and they no longer take room.
  expect(d.seen('k9', 'a', 'n1', 2000, 1000)).toBe(false);
  expect(d.size).toBe(1);
  expect(d.seen('k0', 'a', 'n1', 2100, 1000)).toBe(false); // the same bytes later: a new message
  expect(d.evictedEarly).toBe(0);
});

test('live records beyond the cap push out the oldest and are counted', () => {
  const d = new DeliveredMessages(4);
  for (let i = 0; i < 6; i++) d.seen(`k${i}`, 'a', undefined, i, 1000);
  expect(d.size).toBe(4);
  expect(d.evictedEarly).toBe(2);
  expect(d.seen('k0', 'a', undefined, 10, 1000)).toBe(false); // pushed out: delivered again
  expect(d.seen('k5', 'a', undefined, 10, 1000)).toBe(true);
});
