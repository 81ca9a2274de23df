import { COMPACT_MARKER } from '../../modules/mycelium/wire/compact-frame.js';
import { ACKED_MARKER, COMPACT_MARKER_BYTE, frameHash, LINK_ACK_MARKER, LinkAcks } from '../../modules/rylr998/link-acks.js';
import { lora } from './support.js';

/** A compact frame (our nodes' unicasts on LoRa): CF, then any bytes. */
const compact = (seed: number) => Uint8Array.from({ length: 30 }, (_, i) => (i === 0 ? COMPACT_MARKER : (i * 13 + seed) & 0xff));
const ADDRESS = (i: number) => Uint8Array.of(0, i + 1);

/** Two radios without a duty limit that have each heard a compact frame from the other: each knows the other acks. */
function introduced() {
  const net = lora([0, 100], { dutyCycle: 0, linkAcks: true });
  const [a, b] = net.stations;
  net.clock.advance(1000);
  a.radio.send(ADDRESS(1), compact(1));
  b.radio.send(ADDRESS(0), compact(2));
  net.clock.advance(10_000);
  a.heard.length = b.heard.length = 0;
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

describe('link acks between RYLR-998 radios', () => {
  it('keeps the compact marker and its own markers apart', () => {
    expect(COMPACT_MARKER_BYTE).toBe(COMPACT_MARKER);
    expect(new Set([COMPACT_MARKER, ACKED_MARKER, LINK_ACK_MARKER, 0]).size).toBe(4);
    expect(frameHash(new Uint8Array(0))).not.toBe(0);
  });

  it('a compact unicast lost on its hop is sent again by the radio and heard once, as it was sent', () => {
    const net = introduced();
    const [a, b] = net.stations;
    loseNext(net, 0, 1);
    const frame = compact(3);
    a.radio.send(ADDRESS(1), frame);
    net.clock.advance(10_000);
    expect(b.heard.map((h) => h.frame)).toEqual([Array.from(frame)]);
    expect(a.radio.counters.tx_link_resent).toBe(1);
    expect(a.radio.counters.tx_link_acked).toBeGreaterThanOrEqual(1);
  });

  it('a resend whose ack was lost is acked again and not passed up twice', () => {
    const net = introduced();
    const [a, b] = net.stations;
    loseNext(net, 1, 0); // b's ack
    a.radio.send(ADDRESS(1), compact(4));
    net.clock.advance(10_000);
    expect(b.heard).toHaveLength(1);
    expect(b.radio.counters.rx_link_duplicates).toBe(1);
    expect(a.radio.counters.tx_link_unacked).toBe(0);
  });

  it('gives a frame up after its resends (the neighbour is gone), and the next frame still goes', () => {
    const net = introduced();
    const [a, b] = net.stations;
    net.medium.cut(0, 1, true);
    a.radio.send(ADDRESS(1), compact(5));
    net.clock.advance(10_000);
    expect(a.radio.counters.tx_link_resent).toBe(2);
    expect(a.radio.counters.tx_link_unacked).toBe(1);
    net.medium.restore(0, 1, true);
    a.radio.send(ADDRESS(1), compact(6));
    net.clock.advance(10_000);
    expect(b.heard.map((h) => h.frame)).toEqual([Array.from(compact(6))]);
  });

  it('upstream frames go as they are: no marker, no ack, no introduction', () => {
    const net = lora([0, 100], { dutyCycle: 0, linkAcks: true });
    const [a, b] = net.stations;
    net.clock.advance(1000);
    const upstream = Uint8Array.from({ length: 30 }, (_, i) => (i * 7) & 0xff); // version byte 0
    a.radio.send(ADDRESS(1), upstream);
    net.clock.advance(10_000);
    expect(b.heard.map((h) => h.frame)).toEqual([Array.from(upstream)]);
    expect(b.radio.counters.tx_frames).toBe(0);
  });

  it('a neighbour never heard to ack gets plain compact frames', () => {
    const acks = new LinkAcks();
    expect(acks.speaks(2, 3000)).toBe(false);
    // A CF frame from it: we introduce ourselves, but still do not know that it acks.
    expect(acks.heard(2, compact(1), 0)).toMatchObject({ kind: 'frame', introduce: true });
    expect(acks.speaks(2, 3000)).toBe(false);
    expect(acks.heard(2, compact(1), 1000)).toMatchObject({ kind: 'frame', introduce: false }); // once a minute
    expect(acks.heard(2, Uint8Array.of(LINK_ACK_MARKER, 0, 0), 2000)).toEqual({ kind: 'ack', hash: 0 });
    expect(acks.speaks(2, 3000)).toBe(true);
  });

  it('is off unless asked: compact frames go unmarked and no one is introduced', () => {
    const { clock, stations } = lora([0, 100], { dutyCycle: 0 });
    const [a, b] = stations;
    clock.advance(1000);
    a.radio.send(ADDRESS(1), compact(1));
    b.radio.send(ADDRESS(0), compact(2));
    clock.advance(10_000);
    a.radio.send(ADDRESS(1), compact(3));
    clock.advance(10_000);
    expect(b.heard.map((h) => h.frame[0])).toEqual([COMPACT_MARKER, COMPACT_MARKER]);
    expect(a.radio.counters.tx_link_intros + b.radio.counters.tx_link_intros).toBe(0);
  });

  it('remembers a bounded number of neighbours', () => {
    const acks = new LinkAcks();
    for (let addr = 1; addr <= 100; addr++) acks.heard(addr, Uint8Array.of(LINK_ACK_MARKER, 0, 0), addr);
    expect(acks.speaks(1, 200)).toBe(false);
    expect(acks.speaks(100, 200)).toBe(true);
  });
});
