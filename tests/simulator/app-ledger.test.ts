/** The app ledger's matching rules (simulator/runner/app-ledger.ts), fed by hand. */
import { AppLedger } from '../../simulator/runner/app-ledger.js';
import { bytesKey } from '../../simulator/runner/sim-node.js';

test('a send expects its destination: delivered once, then duplicates; latency and hops per receipt', () => {
  const l = new AppLedger();
  l.assigned('chat', 3);
  l.sent('chat', 0, 'send', 'k1', 100, true, 2, undefined);
  l.received('chat', 1, 'k1', 105, 1); // not the destination
  l.received('chat', 2, 'k1', 130, 2);
  l.received('chat', 2, 'k1', 150, 2);
  l.sent('chat', 0, 'send', 'k2', 200, false, 2, undefined); // refused: expected, never delivered
  const s = l.summary().chat;
  expect(s).toMatchObject({ nodes: 3, sent: { send: 1, publish: 0, broadcast: 0 }, refused: 1, expected: 2, delivered: 1, delivery_ratio: 0.5, duplicates: 1, unexpected: 1 });
  expect(s.latency_ms).toEqual({ p50: 30, p95: 30, max: 30 });
  expect([s.hops_mean, s.hops_max]).toEqual([2, 2]);
  expect(Object.keys(s.by_how)).toEqual(['send']);
});

test('a publish expects the other nodes subscribed at that time; broadcasts count receipts without a ratio', () => {
  const l = new AppLedger();
  for (const n of [0, 1, 2]) l.subscribed('t', n, 'topic', true);
  l.subscribed('t', 3, 'other', true);
  l.subscribed('t', 2, 'topic', false);
  l.sent('t', 0, 'publish', 'p', 0, true, undefined, 'topic');
  l.subscribed('t', 2, 'topic', true); // too late for that message
  l.received('t', 1, 'p', 10, undefined);
  l.received('t', 2, 'p', 20, undefined);
  l.sent('t', 1, 'broadcast', 'b', 50, true, undefined, undefined);
  l.received('t', 0, 'b', 52, 1);
  l.received('t', 2, 'b', 53, 1);
  l.received('t', 2, 'b', 54, 1);
  const s = l.summary().t;
  expect(s).toMatchObject({ nodes: 0, expected: 1, delivered: 1, delivery_ratio: 1, unexpected: 1, duplicates: 1, broadcast_received: 2 });
  expect(s.hops_mean).toBeNull();
  expect(s.by_how.publish).toMatchObject({ sent: 1, expected: 1, delivered: 1 });
});

test('the same bytes sent again: a receipt goes to the newest message that still expects it', () => {
  const l = new AppLedger();
  l.sent('a', 0, 'send', 'same', 0, true, 1, undefined);
  l.sent('a', 0, 'send', 'same', 1000, true, 1, undefined);
  l.received('a', 1, 'same', 1010, 1);
  l.received('a', 1, 'same', 1020, 1);
  const s = l.summary().a;
  expect(s).toMatchObject({ expected: 2, delivered: 2, duplicates: 0 });
  expect(s.latency_ms).toEqual({ p50: 10, p95: 1020, max: 1020 });
});

test('failures are counted per app with the first errors', () => {
  const l = new AppLedger();
  for (let i = 0; i < 25; i++) l.failed('x', i, i * 10, `Error: ${i}`);
  const s = l.summary().x;
  expect(s.failed).toBe(25);
  expect(s.errors).toHaveLength(20);
  expect(s.errors[0]).toEqual({ node: 0, at_ms: 0, error: 'Error: 0' });
});

test('bytesKey: length and hashes; different bytes, different keys', () => {
  expect(bytesKey(new Uint8Array())).toMatch(/^0:[0-9a-f]{16}$/);
  const keys = new Set<string>();
  for (let i = 0; i < 2000; i++) keys.add(bytesKey(Uint8Array.of(i & 0xff, i >> 8, 7)));
  expect(keys.size).toBe(2000);
  expect(bytesKey(Uint8Array.of(1, 2))).toBe(bytesKey(Uint8Array.of(1, 2)));
});
