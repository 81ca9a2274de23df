/**
 * A neighbour that rebooted (packager/link-quality.ts `onHello`, apps/hello.ts): its hello count
 * starts again at a random number, and it knows none of its neighbours; ours names us in its
 * next hello so the rebooted node makes us a peer at once. Before, a rebooted router in modem
 * sleep heard its neighbours' hellos as strangers' for up to 28 s (the id rides on every third
 * list), and pings to and from it were refused meanwhile (docs/routing.md "A neighbour that rebooted").
 */
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';

/** An estimate that heard hellos 1..10 a second apart. */
function heard(): LinkEstimate {
  const e = new LinkEstimate(0);
  for (let seq = 1; seq <= 10; seq++) e.onHello(seq, 1000, seq * 1000);
  return e;
}

test('a count restarted far from where time would take it is a reboot', () => {
  expect(heard().onHello(40_000, 1000, 41_000)).toBe(true); // 30 s down, a new random count
  expect(heard().onHello(5, 1000, 12_000)).toBe(false); // backwards by 5: a held copy, not a reboot
  const back = heard();
  expect(back.onHello(60_000, 1000, 40_000)).toBe(true); // backwards by thousands: a new count
});

test('copies out of order, hellos hurried by news, and silences are not reboots', () => {
  const e = heard();
  expect(e.onHello(9, 1000, 11_000)).toBe(false); // an older copy, held for a window
  expect(e.onHello(40, 1000, 13_000)).toBe(false); // tens ahead of the time: news hurried them
  expect(e.onHello(100, 1000, 73_000)).toBe(false); // a minute's silence: its count went on
  expect(new LinkEstimate(0).onHello(7, 1000, 1_000)).toBe(false); // the first hello heard
});

test("an older copy heard after a newer hello keeps the link's history and the neighbour's report", () => {
  // Copies held for a sleeper's window or spread over a cycle arrive a few numbers late: each one
  // restarted the history and dropped what the neighbour said of us (296 times in one 5-minute
  // run of sleepy-leaves-lossy-40), the link not usable until its next report.
  const e = heard();
  e.onReport(255, 10_500);
  expect(e.outbound(10_600)).toBeDefined();
  e.onHello(8, 1000, 10_700);
  expect(e.outbound(10_800)).toBeDefined();
  expect(e.inbound(10_800)).toBe(1);
  expect(e.lastHeard).toBe(10_000);
});

