/**
 * Medium.transmitOutlook and frameTimerFloor: what the XS runner's workers answer their nodes'
 * radio calls by, before the host's medium sees them (simulator/xs/xs-protocol.ts, HELD). What
 * they say must be what `transmit` then does: accepted or refused, one timer per accepted
 * frame, and that timer not before the floor.
 */
import { Medium } from '../../simulator/medium/medium.js';
import type { InterfaceKind } from '../../simulator/medium/profiles.js';
import { world } from './helpers.js';

test('a frame is accepted exactly while the outlook says up, radio on and room in the queue', () => {
  const { medium, line, clock } = world({ kind: 'rylr998' }); // LoRa: long frames, so the queue fills
  const [a] = line(0, 10);
  expect(medium.transmitOutlook(0)).toEqual({ up: true, radioOn: true, room: 8, oneTimerPerFrame: true, busyUntil: -Infinity });
  const frame = new Uint8Array(40);
  const seen: boolean[] = [];
  for (let k = 0; k < 12; k++) {
    const before = medium.transmitOutlook(0);
    const accepted = a.broadcast(frame);
    seen.push(accepted);
    expect(accepted).toBe(before.room > 0);
  }
  // The first starts at once (out of the queue); eight wait behind it; the rest are refused.
  expect(seen).toEqual([...Array(9).fill(true), ...Array(3).fill(false)]);
  expect(medium.transmitOutlook(0).busyUntil).toBeGreaterThan(clock.now());

  medium.sleep(0, 1000);
  expect(medium.transmitOutlook(0)).toMatchObject({ up: true, radioOn: false });
  medium.wake(0);
  medium.setUp(0, false);
  expect(medium.transmitOutlook(0)).toMatchObject({ up: false, radioOn: true });
});

test('a link with its own latency means more than one timer per frame', () => {
  const { medium, line, clock } = world();
  const [a] = line(0, 10, 20);
  expect(medium.transmitOutlook(0).oneTimerPerFrame).toBe(true);
  medium.setLink(0, 2, { latencyMs: 5 });
  expect(medium.transmitOutlook(0).oneTimerPerFrame).toBe(false);
  const id = clock.nextTimerId;
  a.broadcast(Uint8Array.of(1));
  expect(clock.nextTimerId).toBe(id + 2); // the delivery, and the link's own
});

/** Sends one frame of `bytes` from node 0 (unicast to node 1 or broadcast); checks the one timer it set against the outlook and floor taken just before. */
function checkFrame(medium: Medium, clock: ReturnType<typeof world>['clock'], send: () => boolean, bytes: number): void {
  const outlook = medium.transmitOutlook(0);
  const floor = medium.frameTimerFloor();
  const id = clock.nextTimerId;
  const now = clock.now();
  expect(send()).toBe(true);
  expect(clock.nextTimerId).toBe(id + 1);
  if (outlook.busyUntil > now) expect(clock.lastSetDue).toBe(outlook.busyUntil);
  else expect(clock.lastSetDue).toBeGreaterThanOrEqual(now + floor.fixedMs + floor.perByteMs * bytes);
  expect(clock.lastSetDue).toBeGreaterThan(now);
}

test.each([
  ['espnow', false],
  ['espnow', true],
  ['rylr998', false],
  ['rylr998', true],
] as [InterfaceKind, boolean][])('%s, collisions %s: an accepted frame sets one timer, not before the floor or at the queue tail', (kind, collisions) => {
  for (const bytes of [1, 17, 120, 240]) {
    for (const unicast of [false, true]) {
      const { medium, line, clock } = world({ kind, collisions, loss: { model: 'unit-disk', range: 100 } });
      const [a, b, c] = line(0, 50, 90);
      const frame = new Uint8Array(bytes);
      const send = (): boolean => (unicast ? a.send(b.mac, frame) : a.broadcast(frame));
      clock.advance(3);
      checkFrame(medium, clock, send, bytes); // idle queue: starts at once
      checkFrame(medium, clock, send, bytes); // behind the first
      clock.advance(5_000); // both on air and delivered
      // Collisions with carrier sense: a frame a hears defers a's next one.
      c.broadcast(new Uint8Array(200));
      clock.advance(0.1);
      checkFrame(medium, clock, send, bytes);
    }
  }
});
