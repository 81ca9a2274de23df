import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { CARRIED_MARKER, CarriedAcks } from '../../modules/rylr998/carried-acks.js';
import { ACKED_MARKER, LINK_ACK_MARKER } from '../../modules/rylr998/link-acks.js';
import { lora } from './support.js';

/** A compact frame (our nodes' unicasts on LoRa): CF, then any bytes. */
const compact = (seed: number) => Uint8Array.from({ length: 30 }, (_, i) => (i === 0 ? COMPACT_MARKER : (i * 13 + seed) & 0xff));
const ADDRESS = (i: number) => Uint8Array.of(0, i + 1);

/** Radios at `xs` (1500-m unit disk) without a duty limit, each introduced to its neighbours by a compact frame. */
function introduced(xs = [0, 100], options = {}) {
  const net = lora(xs, { dutyCycle: 0, carriedAcks: true, ...options });
  net.clock.advance(1000);
  net.stations.forEach((s, i) => {
    for (let j = 0; j < xs.length; j++) if (j !== i && Math.abs(xs[i] - xs[j]) <= 1500) s.radio.send(ADDRESS(j), compact(100 + i));
  });
  net.clock.advance(10_000);
  for (const s of net.stations) s.heard.length = 0;
  return net;
}

/** Cut the link from `from` to `to` for its next frame only. */
function loseNext(net: ReturnType<typeof lora>, from: number, to: number): void {
  net.medium.cut(from, to, true);
  const off = net.medium.onFrame((e) => {
    if (e.from === from && e.to === to && e.outcome === 'cut') {
      net.medium.restore(from, to, true);
      off();
    }
  });
}

describe('carried acks between RYLR-998 radios', () => {
  it('has a marker of its own', () => {
    expect(new Set([COMPACT_MARKER, ACKED_MARKER, LINK_ACK_MARKER, CARRIED_MARKER, 0]).size).toBe(5);
  });

  it('a frame lost on a relay hop is sent again by that hop, and the relay acks on its forward without a frame of its own', () => {
    // a — b — c in a line (a and c out of each other's range): b forwards what a sends it to c.
    const net = introduced([0, 1000, 2000]);
    const [a, b, c] = net.stations;
    b.radio.onReceive = (frame, mac) => {
      b.heard.push({ frame: Array.from(frame), mac: Array.from(mac ?? []), at: net.clock.now() });
      if (mac?.[1] === 1) b.radio.send(ADDRESS(2), frame); // the forward
    };
    const before = { ...b.radio.counters };
    loseNext(net, 0, 1);
    const frame = compact(3);
    a.radio.send(ADDRESS(1), frame);
    net.clock.advance(10_000);
    expect(c.heard.map((h) => h.frame)).toEqual([Array.from(frame)]);
    expect(b.heard).toHaveLength(1);
    expect(a.radio.counters.tx_carried_resent).toBe(1);
    expect(a.radio.counters.tx_carried_acked).toBe(1);
    expect(a.radio.counters.tx_carried_unacked).toBe(0);
    // b sent its forward only; its ack to a rode on it. c, the last hop, acked alone.
    expect(b.radio.counters.tx_frames - before.tx_frames).toBe(1);
    expect(b.radio.counters.tx_carried_acks - before.tx_carried_acks).toBe(0);
    expect(c.radio.counters.tx_carried_acks).toBeGreaterThanOrEqual(1);
    expect(b.radio.counters.tx_carried_acked).toBeGreaterThanOrEqual(1);
  });

  it('a resend whose ack was lost is acked again and not passed up twice', () => {
    const net = introduced();
    const [a, b] = net.stations;
    loseNext(net, 1, 0); // b's ack
    a.radio.send(ADDRESS(1), compact(4));
    net.clock.advance(10_000);
    expect(b.heard).toHaveLength(1);
    expect(b.radio.counters.rx_carried_duplicates).toBe(1);
    expect(a.radio.counters.tx_carried_unacked).toBe(0);
  });

  it('a neighbour overhearing a carried frame does not pass it up', () => {
    const net = introduced([0, 100, 200]);
    const [a, b, c] = net.stations;
    a.radio.send(ADDRESS(1), compact(5));
    net.clock.advance(10_000);
    expect(b.heard).toHaveLength(1);
    expect(c.heard).toHaveLength(0);
    expect(c.radio.counters.rx_overheard).toBeGreaterThanOrEqual(1);
  });

  it('gives a frame up after one resend when the neighbour is gone, and the next frame still goes', () => {
    const net = introduced();
    const [a, b] = net.stations;
    net.medium.cut(0, 1, true);
    a.radio.send(ADDRESS(1), compact(6));
    net.clock.advance(10_000);
    expect(a.radio.counters.tx_carried_resent).toBe(1);
    expect(a.radio.counters.tx_carried_unacked).toBe(1);
    net.medium.restore(0, 1, true);
    a.radio.send(ADDRESS(1), compact(7));
    net.clock.advance(10_000);
    expect(b.heard.map((h) => h.frame)).toEqual([Array.from(compact(7))]);
  });

  it('upstream frames and broadcasts go as they are; radios without the option never get a carried frame', () => {
    const net = lora([0, 100], { dutyCycle: 0 });
    const [a, b] = net.stations;
    const mixed = lora([0, 100], [{ dutyCycle: 0, carriedAcks: true }, { dutyCycle: 0 }]);
    net.clock.advance(1000);
    const upstream = Uint8Array.from({ length: 30 }, (_, i) => (i * 7) & 0xff); // version byte 0
    a.radio.send(ADDRESS(1), upstream);
    net.clock.advance(5000);
    expect(b.heard.map((h) => h.frame)).toEqual([Array.from(upstream)]);
    // One radio with the option, one without: compact frames pass plain both ways.
    const [x, y] = mixed.stations;
    mixed.clock.advance(1000);
    for (let k = 0; k < 3; k++) {
      y.radio.send(ADDRESS(0), compact(10 + k));
      x.radio.send(ADDRESS(1), compact(20 + k));
      mixed.clock.advance(5000);
    }
    expect(x.heard.map((h) => h.frame[0])).toEqual([COMPACT_MARKER, COMPACT_MARKER, COMPACT_MARKER]);
    expect(y.heard.map((h) => h.frame[0])).toEqual([COMPACT_MARKER, COMPACT_MARKER, COMPACT_MARKER]);
    expect(x.radio.counters.tx_carried).toBe(0);
    expect(x.radio.counters.tx_carried_intros).toBe(1); // once a minute at most
  });

  it('bounds what it remembers and never throws on short or odd carried frames', () => {
    const acks = new CarriedAcks<number>(1);
    for (const f of [[CARRIED_MARKER], [CARRIED_MARKER, 0], [CARRIED_MARKER, 0, 1, 200], [CARRIED_MARKER, 0, 1, 1, 5]]) {
      expect(() => acks.heard(9, Uint8Array.from(f), 0)).not.toThrow();
    }
    for (let i = 0; i < 100; i++) acks.owe(i + 2, i + 1, 0, 1000);
    const wire = acks.wrap(0, undefined, 0, 0) as Uint8Array;
    expect(wire[3]).toBe(4); // at most four carried
    for (let i = 0; i < 100; i++) acks.wrap(2, compact(i), 0, 1000, i);
    expect(acks.takeOverdue(2000)).toHaveLength(8);
  });
});
