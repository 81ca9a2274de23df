/**
 * The host platform's clock over tick sources that are not monotonic (modules/host/monotonic-now.ts):
 * ESP32's `Time.ticks` (a uint32 of ms stored as a signed 32-bit integer: negative after 24.8 days,
 * wrapping every 49.7) and a desktop wall clock stepped back.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { monotonicNow } from '../../modules/host/monotonic-now.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { Air, FakePreference, station } from './support.js';

/** What ESP32's Time.ticks shows after `ms` of uptime: modMilliseconds() (uint32) as an int32. */
const esp32Ticks = (ms: number): number => Math.floor(ms) | 0;

test('ESP32 ticks: the clock runs on through the sign flip at 24.8 days and the wrap at 49.7', () => {
  let uptime = 2 ** 31 - 2_500;
  const now = monotonicNow(() => esp32Ticks(uptime));
  const seen: number[] = [];
  for (let i = 0; i < 8; i++, uptime += 1_000) seen.push(now());
  expect(esp32Ticks(uptime - 1_000)).toBeLessThan(0); // the source did flip
  expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => 2 ** 31 - 2_500 + i * 1_000));
  uptime = 2 ** 32 - 1_500; // past the second wrap: int32 −1 → 0
  const later: number[] = [];
  for (let i = 0; i < 4; i++, uptime += 1_000) later.push(now());
  expect(later).toEqual([0, 1, 2, 3].map((i) => 2 ** 32 - 1_500 + i * 1_000));
  uptime = 2 ** 32 + 2 ** 31 + 10; // the next flip, at 74.6 days
  expect(now()).toBe(2 ** 32 + 2 ** 31 + 10);
});

test('a wall clock stepped back holds still and runs on from there; readings come back as read', () => {
  let wall = 1_733_400_000_000.25; // a desktop Time.ticks (gettimeofday, ms) with a fraction
  const now = monotonicNow(() => wall);
  expect(now()).toBe(wall);
  wall += 0.5;
  expect(now()).toBe(1_733_400_000_000.75);
  wall -= 5_000; // NTP stepped the clock back 5 s
  expect(now()).toBe(1_733_400_000_000.75);
  wall += 1_000;
  expect(now()).toBe(1_733_400_001_000.75); // 1 s later than the held time
  wall -= 2 ** 31 + 1; // a fall past 2^31 from a source that is not a 32-bit counter: still a step back
  expect(now()).toBe(1_733_400_001_000.75);
});

test('two ESP32 hosts keep their mesh working across the 24.8-day flip, and repair it after it', () => {
  const clock = new VirtualClock(0);
  const air = new Air(clock);
  const bootedAt = 2 ** 31 - 90_000; // both flip 90 s after the test starts
  const ticks = () => esp32Ticks(bootedAt + clock.now());
  const a = station(clock, air, 1, new FakePreference(), ticks);
  const b = station(clock, air, 2, new FakePreference(), ticks);
  a.host.start();
  b.host.start();
  clock.advance(60_000);
  expect(toHex(a.host.tree.root)).toBe(toHex(b.host.tree.root));
  clock.advance(60_000); // past the flip
  expect(ticks()).toBeLessThan(0);
  a.lines.length = 0;
  a.host.input(`ping ${toHex(b.host.node.nodeId)}`);
  clock.advance(30_000);
  // With Time.ticks as it comes, every send here failed: the packet ids taken before the flip
  // were stamped 49.7 days after now, so none was ever free again.
  expect(a.lines).toContain('\tsuccess_rate: 100%');
  // The root falls silent: the other node gives its tree up and becomes its own root.
  const [root, other] = toHex(a.host.tree.root) === toHex(a.host.node.nodeId) ? [a, b] : [b, a];
  root.host.stop();
  clock.advance(20 * 60_000);
  expect(toHex(other.host.tree.root)).toBe(toHex(other.host.node.nodeId));
});
