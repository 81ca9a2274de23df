/**
 * The run's traffic ledger (simulator/runner/ledger.ts): a message that reaches a node other than
 * its destination is not delivered, and the report counts it as misdelivered — a stale address
 * handed to the node that holds it now (churn-100 on main: 85 such copies, none reported).
 */
import { TrafficLedger } from '../../simulator/runner/ledger.js';

test('a copy at the wrong node is misdelivered, not delivered', () => {
  const l = new TrafficLedger();
  const id = l.sent(0, 1, 2, 0, 3, true, 'dTree');
  l.arrived(id, 5, 10, 3); // the node that holds the destination's old address now
  let s = l.summary();
  expect(s.delivered).toBe(0);
  expect(s.misdelivered).toBe(1);
  l.arrived(id, 2, 20, 3);
  s = l.summary();
  expect(s.delivered).toBe(1);
  expect(s.misdelivered).toBe(1);
  expect(s.duplicates).toBe(0);
});
