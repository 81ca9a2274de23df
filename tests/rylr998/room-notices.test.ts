/**
 * Room notices (modules/rylr998/room-notices.ts, docs/lora.md "Session 13"): a RYLR-998 radio whose
 * hour is nearly spent says so, its neighbours hear it, and routing prefers an equally close
 * neighbour with room (packager/next-hop.ts). All on the virtual clock, against the AT twin.
 */
import { BUSY_AT, MARK_TTL_MS, MAX_NEIGHBOURS, RELIEVED_AT, REPEAT_MS, ROOM_MARKER, RoomNotices, roomNotice } from '../../modules/rylr998/room-notices.js';
import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { CARRIED_MARKER } from '../../modules/rylr998/carried-acks.js';
import { ACKED_MARKER, LINK_ACK_MARKER } from '../../modules/rylr998/link-acks.js';
import { lora } from './support.js';

const ADDRESS = (i: number) => Uint8Array.of(0, i + 1);
const frame = (seed: number) => Uint8Array.from({ length: 200 }, (_, i) => (i === 0 ? COMPACT_MARKER : (i * 13 + seed) & 0xff));

/** Unicasts from station 0 to station 1, one every 3 s (each goes before the next: no stale drops). */
function spend(net: ReturnType<typeof lora>, frames: number): void {
  for (let k = 0; k < frames; k++) {
    net.stations[0].radio.send(ADDRESS(1), frame(k));
    net.clock.advance(3000);
  }
}

describe('room notices: the state and the table', () => {
  it('uses a marker no other frame of ours or upstream starts with', () => {
    expect(new Set([ROOM_MARKER, COMPACT_MARKER, CARRIED_MARKER, ACKED_MARKER, LINK_ACK_MARKER, 0]).size).toBe(6);
    expect(roomNotice(true)).toHaveLength(3);
  });

  it('announces with its first busy notice, then speaks only while a neighbour has announced itself', () => {
    const r = new RoomNotices();
    expect(r.due(0, 0.5)).toBeUndefined(); // never busy: never a frame
    expect(Array.from(r.due(1, BUSY_AT) ?? [])).toEqual(Array.from(roomNotice(true)));
    expect(r.due(2, RELIEVED_AT - 0.01)).toBeUndefined(); // relieved, but nobody listens
    expect(r.due(3, BUSY_AT)).toBeUndefined();
    expect(r.heard(5, roomNotice(false), 4)).toBe('notice');
    expect(r.due(5, RELIEVED_AT - 0.01)).toEqual(roomNotice(false));
  });

  it('keeps busy between the two marks and repeats while busy', () => {
    const r = new RoomNotices();
    r.heard(5, roomNotice(false), 0);
    expect(r.due(0, BUSY_AT)).toEqual(roomNotice(true));
    expect(r.due(1000, RELIEVED_AT + 0.01)).toBeUndefined(); // still busy: hysteresis
    expect(r.busy).toBe(true);
    expect(r.due(REPEAT_MS, RELIEVED_AT + 0.01)).toEqual(roomNotice(true));
    expect(r.due(REPEAT_MS + 1, RELIEVED_AT - 0.01)).toEqual(roomNotice(false));
    expect(r.due(2 * REPEAT_MS + 2, RELIEVED_AT - 0.01)).toBeUndefined(); // room is not repeated
  });

  it('believes a busy mark for a while, forgets the least recently heard past its cap, and drops bad notices', () => {
    const r = new RoomNotices();
    expect(r.heard(7, roomNotice(true), 0)).toBe('notice');
    expect(r.peerBusy(7, MARK_TTL_MS - 1)).toBe(true);
    expect(r.peerBusy(7, MARK_TTL_MS)).toBe(false);
    for (let a = 100; a < 100 + MAX_NEIGHBOURS; a++) r.heard(a, roomNotice(true), 1);
    expect(r.speakers).toBe(MAX_NEIGHBOURS);
    expect(r.peerBusy(7, 2)).toBe(false);
    expect(r.peerBusy(100, 2)).toBe(true);
    expect(r.heard(9, Uint8Array.of(ROOM_MARKER, 2, 1), 3)).toBe('invalid');
    expect(r.heard(9, Uint8Array.of(ROOM_MARKER, 1, 7), 3)).toBe('invalid');
    expect(r.heard(9, Uint8Array.of(ROOM_MARKER), 3)).toBe('invalid');
    expect(r.heard(0, roomNotice(true), 3)).toBe('invalid');
    expect(r.heard(9, Uint8Array.of(COMPACT_MARKER, 1, 1), 3)).toBe('other');
  });
});

describe('room notices between RYLR-998 radios', () => {
  it('a radio past 85 % of its hour tells its neighbour, which believes it for 11 minutes', () => {
    const net = lora([0, 100], { dutyCycle: 0.01, roomNotices: true });
    const [a, b] = net.stations;
    net.clock.advance(1000);
    spend(net, 10);
    expect(b.radio.peerBusy(ADDRESS(0))).toBe(false);
    expect(a.radio.counters.tx_room_notices).toBe(0);
    spend(net, 30);
    expect(a.radio.limiter.usedMs(net.clock.now())).toBeGreaterThanOrEqual(BUSY_AT * a.radio.limiter.budgetMs);
    expect(a.radio.counters.tx_room_notices).toBe(1);
    expect(b.radio.counters.rx_room_notices).toBe(1);
    expect(b.radio.peerBusy(ADDRESS(0))).toBe(true);
    expect(a.radio.peerBusy(ADDRESS(1))).toBe(false);
    expect(b.heard.every((h) => h.frame[0] !== ROOM_MARKER)).toBe(true); // not passed up
    net.clock.advance(MARK_TTL_MS);
    expect(b.radio.peerBusy(ADDRESS(0))).toBe(false);
  });

  it('without the option a radio sends no notice however busy, and passes a notice up as any frame', () => {
    const net = lora([0, 100], [{ dutyCycle: 0.01 }, { dutyCycle: 0.01, roomNotices: true }]);
    const [a, b] = net.stations;
    net.clock.advance(1000);
    spend(net, 40);
    expect(a.radio.counters.tx_room_notices).toBe(0);
    expect(b.radio.peerBusy(ADDRESS(0))).toBe(false);
    b.radio.broadcast(roomNotice(true), true);
    net.clock.advance(10_000);
    expect(a.heard.map((h) => h.frame)).toContainEqual(Array.from(roomNotice(true)));
    expect(a.radio.peerBusy(ADDRESS(1))).toBe(false);
  });

  it('drops a malformed notice with a counter, never throwing', () => {
    const net = lora([0, 100], { dutyCycle: 0, roomNotices: true });
    const [a, b] = net.stations;
    net.clock.advance(1000);
    a.radio.broadcast(Uint8Array.of(ROOM_MARKER, 9, 9, 9));
    a.radio.broadcast(Uint8Array.of(ROOM_MARKER));
    net.clock.advance(20_000);
    expect(b.radio.counters.rx_room_invalid).toBe(2);
    expect(b.heard).toHaveLength(0);
  });
});
