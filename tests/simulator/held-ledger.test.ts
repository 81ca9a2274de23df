/**
 * The report's store-and-forward section (simulator/runner/held-ledger.ts): besides arrivals, what
 * each sender was last told about its message, so a run shows the statuses a user would read.
 */
import { HeldLedger } from '../../simulator/runner/held-ledger.js';

test('the report counts the status each sender last heard, next to what arrived', () => {
  const ledger = new HeldLedger();
  for (let id = 1; id <= 4; id++) ledger.sent(id, 9, true, 0);
  ledger.status(1, 'in_custody');
  ledger.status(1, 'delivered');
  ledger.arrived(1, 9);
  ledger.status(2, 'in_custody');
  ledger.arrived(2, 9); // arrived, but the sender has not heard yet
  ledger.status(3, 'in_custody');
  ledger.status(3, 'expired');
  const s = ledger.summary();
  expect(s.statuses).toEqual({ queued: 1, in_custody: 1, delivered: 1, expired: 1, evicted: 0 });
  expect(s.delivered_after_return).toBe(2);
  expect(s.outstanding).toBe(1);
});
