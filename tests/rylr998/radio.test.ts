import { BROADCAST_MAC } from '../../modules/mycelium/wire/constants.js';
import { RYLR998_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { RYLR998_RADIO_SCHEMA_IDS } from '../../modules/rylr998/rylr998-radio.js';
import { sendAirtimeMs } from '../../modules/rylr998/config.js';
import { twinConfig } from '../../simulator/rylr998/twin.js';
import { unicastRetryHorizonMs } from '../../modules/rylr998/retry-delay.js';
import { lora } from './support.js';

const bytes = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 37 + seed) & 0xff);

describe('Rylr998Radio over the AT twin', () => {
  it('advertises the RYLR-998 schemas of wire/schemas', () => {
    expect(RYLR998_RADIO_SCHEMA_IDS).toEqual(RYLR998_SCHEMA_IDS);
  });

  it('a broadcast of any 240 bytes (CR, LF, commas, NUL included) reaches every neighbour intact', () => {
    const { clock, stations } = lora([0, 500, 1000]);
    const frame = Uint8Array.from({ length: 240 }, (_, i) => [13, 10, 44, 0, 255][i % 5] ^ (i >> 3));
    clock.advance(1000);
    expect(stations[0].radio.broadcast(frame)).toBe(true);
    clock.advance(20_000);
    for (const s of stations.slice(1)) {
      expect(s.heard).toHaveLength(1);
      expect(s.heard[0].frame).toEqual(Array.from(frame));
      expect(s.heard[0].mac).toEqual([0, 1]); // node 0's address 1, big-endian
    }
    expect(stations[0].heard).toHaveLength(0);
  });

  it('a unicast reaches only its addressee; the ESP-NOW broadcast MAC broadcasts', () => {
    const { clock, stations } = lora([0, 100, 200]);
    clock.advance(1000);
    expect(stations[0].radio.send(Uint8Array.of(0, 3), bytes(20))).toBe(true); // address 3 = node 2
    clock.advance(10_000);
    expect(stations[1].heard).toHaveLength(0);
    expect(stations[2].heard).toHaveLength(1);
    expect(stations[0].radio.send(BROADCAST_MAC, bytes(20))).toBe(true);
    clock.advance(10_000);
    expect(stations[1].heard).toHaveLength(1);
    expect(stations[2].heard).toHaveLength(2);
  });

  it('refuses frames over the MTU and MACs that are not module addresses', () => {
    const { stations } = lora([0]);
    const r = stations[0].radio;
    expect(r.mtu).toBe(240);
    expect(r.broadcast(bytes(241))).toBe(false);
    expect(r.send(Uint8Array.of(1, 2, 3), bytes(5))).toBe(false);
    expect(r.counters.tx_refused).toBe(2);
  });

  it('base64 keeps the UART ASCII and round-trips, with a 180-byte MTU', () => {
    const { clock, stations } = lora([0, 100], { encoding: 'base64' });
    expect(stations[0].radio.mtu).toBe(180);
    clock.advance(1000);
    stations[0].radio.broadcast(bytes(180, 3));
    clock.advance(20_000);
    expect(stations[1].heard[0].frame).toEqual(Array.from(bytes(180, 3)));
  });

  it('paces frames by their airtime: back to back, never an +ERR=17', () => {
    const { clock, stations } = lora([0, 100]);
    clock.advance(1000);
    for (let k = 0; k < 5; k++) stations[0].radio.broadcast(bytes(200, k));
    clock.advance(60_000);
    expect(stations[1].heard.map((h) => h.frame[0])).toEqual([0, 1, 2, 3, 4]);
    const gaps = stations[1].heard.slice(1).map((h, k) => h.at - stations[1].heard[k].at);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(sendAirtimeMs(twinConfig(0), 200));
    expect(stations[0].radio.counters.tx_busy_retries).toBe(0);
    expect(stations[0].radio.counters.tx_errors).toBe(0);
  });

  it('a resend of a frame the duty limit still holds is not queued twice (nor sent twice)', () => {
    // A budget of one and a half 20-byte frames an hour: after a first frame, the next waits
    // for the window, and the Packager's retry of the same bytes meanwhile finds it still queued.
    const air = sendAirtimeMs(twinConfig(0), 20);
    // (Stale unicasts kept here: the next test drops them.)
    const { clock, stations } = lora([0, 100], { dutyCycle: (1.5 * air) / 3_600_000, unicastStaleMs: 0 });
    const to = Uint8Array.of(0, 2);
    clock.advance(1000);
    stations[0].radio.send(to, bytes(20, 1));
    clock.advance(5_000);
    const frame = bytes(20, 9);
    expect(stations[0].radio.send(to, frame)).toBe(true);
    clock.advance(5_000);
    expect(stations[0].radio.counters.tx_deferred_duty).toBe(1);
    expect(stations[0].radio.send(to, frame)).toBe(true); // the retry: coalesced
    expect(stations[0].radio.queued).toBe(1);
    expect(stations[0].radio.counters.tx_coalesced).toBe(1);
    clock.advance(3 * 3_600_000);
    expect(stations[1].heard.map((h) => h.frame[0])).toEqual([bytes(20, 1)[0], frame[0]]);
  });

  it('a unicast the duty limit holds past the sender\'s retry horizon is dropped, not sent late', () => {
    // Budget for two 20-byte frames an hour: the third waits for the window, far longer than a
    // sender waits for its ack before resending (the retry delay plus its jitter).
    const air = sendAirtimeMs(twinConfig(0), 20);
    const { clock, stations } = lora([0, 100], { dutyCycle: (2.5 * air) / 3_600_000 });
    const to = Uint8Array.of(0, 2);
    clock.advance(1000);
    stations[0].radio.send(to, bytes(20, 1));
    stations[0].radio.send(to, bytes(20, 2));
    clock.advance(5_000);
    expect(stations[1].heard).toHaveLength(2);
    stations[0].radio.send(to, bytes(20, 3));
    clock.advance(unicastRetryHorizonMs(twinConfig(0)) + 1000);
    expect(stations[0].radio.counters.tx_stale_dropped).toBe(1);
    expect(stations[0].radio.queued).toBe(0);
    // A fresh frame once the window has room again goes out at once; the stale one never does.
    clock.advance(3_700_000); // the first frames' minute has left the hour
    stations[0].radio.send(to, bytes(20, 4));
    clock.advance(5_000);
    expect(stations[1].heard.map((h) => h.frame[0])).toEqual([bytes(20, 1)[0], bytes(20, 2)[0], bytes(20, 4)[0]]);
  });

  it('a priority broadcast (a tree advert) goes where a plain one is shed: within the unicasts\' budget', () => {
    // Budget for 3.5 frames an hour; after two, a plain broadcast would pass the 70 % that
    // broadcasts may use, and is shed; one with priority fits the whole budget and goes.
    const air = sendAirtimeMs(twinConfig(0), 20);
    const { clock, stations } = lora([0, 100], { dutyCycle: (3.5 * air) / 3_600_000 });
    clock.advance(1000);
    stations[0].radio.send(Uint8Array.of(0, 2), bytes(20, 1));
    stations[0].radio.send(Uint8Array.of(0, 2), bytes(20, 2));
    clock.advance(5_000);
    expect(stations[1].heard).toHaveLength(2);
    expect(stations[0].radio.broadcast(bytes(20, 3))).toBe(true);
    clock.advance(5_000);
    expect(stations[0].radio.counters.tx_shed_duty).toBe(1);
    expect(stations[0].radio.broadcast(bytes(20, 4), true)).toBe(true);
    clock.advance(5_000);
    expect(stations[1].heard.map((h) => h.frame[0])).toEqual([bytes(20, 1)[0], bytes(20, 2)[0], bytes(20, 4)[0]]);
    expect(stations[0].radio.counters.tx_shed_duty).toBe(1);
  });

  it('a priority broadcast (a tree advert) the duty limit holds waits up to a minute, not the unicasts\' few seconds', () => {
    // A tree advert has no retry: dropped after 3.6 s at a relay whose hour is spent, its
    // subtree lost a maintenance period of refresh (docs/lora.md "Session 16").
    const air = sendAirtimeMs(twinConfig(0), 20);
    const { clock, stations } = lora([0, 100], { dutyCycle: (2.5 * air) / 3_600_000 });
    clock.advance(1000);
    stations[0].radio.send(Uint8Array.of(0, 2), bytes(20, 1));
    stations[0].radio.send(Uint8Array.of(0, 2), bytes(20, 2));
    clock.advance(5_000);
    expect(stations[0].radio.broadcast(bytes(20, 3), true)).toBe(true);
    clock.advance(unicastRetryHorizonMs(twinConfig(0)) + 6_000);
    expect(stations[0].radio.counters.tx_stale_dropped).toBe(0);
    expect(stations[0].radio.queued).toBe(1);
    clock.advance(60_000);
    expect(stations[0].radio.counters.tx_stale_dropped).toBe(1); // past the minute: its age byte would lie
    expect(stations[0].radio.queued).toBe(0);
  });

  it('a broadcast is not dropped as stale: it waits out a long backoff and goes', () => {
    const { clock, stations } = lora([0, 100], { unicastStaleMs: 1 });
    clock.advance(1000);
    stations[0].radio.broadcast(bytes(200, 5));
    clock.advance(60_000);
    expect(stations[1].heard).toHaveLength(1);
    expect(stations[0].radio.counters.tx_stale_dropped).toBe(0);
  });

  it('two radios that always broadcast at the same instants still get frames through (random backoff)', () => {
    const { clock, stations } = lora([0, 100], {}, true);
    clock.advance(1000);
    for (let k = 0; k < 20; k++) {
      clock.setTimeout(() => {
        stations[0].radio.broadcast(bytes(60, k));
        stations[1].radio.broadcast(bytes(60, k));
      }, k * 10_000);
    }
    clock.advance(250_000);
    // Without backoff every pair would collide (0 heard); with it most get through.
    expect(stations[0].heard.length).toBeGreaterThanOrEqual(12);
    expect(stations[1].heard.length).toBeGreaterThanOrEqual(12);
  });
});
