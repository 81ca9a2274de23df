/**
 * The ESP-NOW class's shared behaviour (modules/espnow/core.ts) through a fake radio: argument
 * checks with clear errors, use after close, counters, callback errors contained.
 */
import { BROADCAST, DEFAULT_CHANNEL, ESPNOW_MAX_PAYLOAD, EspNowBase, checkChannel, checkMac, checkPayload, type EspNowOptions } from '../../modules/espnow/core.js';

class FakeRadio extends EspNowBase {
  frames: Array<{ mac: number[]; data: number[] }> = [];
  accept = true;
  shutdowns = 0;
  constructor(options: EspNowOptions) {
    super(options);
  }
  get mac(): Uint8Array {
    return Uint8Array.of(2, 0, 0, 0, 0, 1);
  }
  protected transmit(mac: Uint8Array, data: Uint8Array): boolean {
    this.frames.push({ mac: Array.from(mac), data: Array.from(data) });
    return this.accept;
  }
  protected shutdown(): void {
    this.shutdowns++;
  }
  /** What the platform side of a variant does. */
  deliver(data: Uint8Array, mac: Uint8Array, rssi: number): void {
    this.received(data, mac, rssi);
  }
  status(mac: Uint8Array, ok: boolean): void {
    this.sent(mac, ok);
  }
}

const PEER = Uint8Array.of(2, 1, 2, 3, 4, 5);
const noop = (): void => {};

describe('argument checks', () => {
  test('checkMac', () => {
    expect(checkMac(PEER, 'x')).toBe(PEER);
    expect(() => checkMac(Uint8Array.of(1, 2, 3, 4, 5), 'ESPNow.send')).toThrow(new RangeError('ESPNow.send: mac must be 6 bytes, got 5'));
    expect(() => checkMac(new Uint8Array(7), 'f')).toThrow(RangeError);
    expect(() => checkMac([1, 2, 3, 4, 5, 6], 'f')).toThrow(new TypeError('f: mac must be a Uint8Array'));
    expect(() => checkMac('aa:bb:cc:dd:ee:ff', 'f')).toThrow(TypeError);
  });

  test('checkPayload: 1..250 bytes', () => {
    expect(checkPayload(new Uint8Array(ESPNOW_MAX_PAYLOAD), 'f').length).toBe(250);
    expect(() => checkPayload(new Uint8Array(251), 'ESPNow.broadcast')).toThrow(new RangeError('ESPNow.broadcast: data of 251 bytes exceeds the 250-byte ESP-NOW limit'));
    expect(() => checkPayload(new Uint8Array(0), 'f')).toThrow(new RangeError('f: data is empty'));
    expect(() => checkPayload(new ArrayBuffer(4), 'f')).toThrow(TypeError);
  });

  test('checkChannel: default 1, integers 1..14', () => {
    expect(checkChannel(undefined, 'f')).toBe(DEFAULT_CHANNEL);
    expect(DEFAULT_CHANNEL).toBe(1);
    expect(checkChannel(14, 'f')).toBe(14);
    for (const bad of [0, 15, 1.5, '6', NaN]) expect(() => checkChannel(bad, 'f')).toThrow(RangeError);
  });

  test('constructor options', () => {
    expect(new FakeRadio({ onReceive: noop }).channel).toBe(1);
    expect(new FakeRadio({ onReceive: noop, channel: 6 }).channel).toBe(6);
    expect(() => new FakeRadio(undefined as unknown as EspNowOptions)).toThrow(new TypeError('ESPNow: options object required'));
    expect(() => new FakeRadio({} as EspNowOptions)).toThrow(new TypeError('ESPNow: onReceive must be a function'));
    expect(() => new FakeRadio({ onReceive: noop, onSent: 1 as unknown as () => void })).toThrow(/onSent must be a function/);
    expect(() => new FakeRadio({ onReceive: noop, channel: 0 })).toThrow(/channel must be an integer 1..14, got 0/);
  });
});

describe('send, broadcast, close', () => {
  test('broadcast goes to ff:ff:ff:ff:ff:ff; send to the given MAC', () => {
    const r = new FakeRadio({ onReceive: noop });
    expect(r.broadcast(Uint8Array.of(1))).toBe(true);
    expect(r.send(PEER, Uint8Array.of(2, 3))).toBe(true);
    expect(r.frames).toEqual([
      { mac: Array.from(BROADCAST), data: [1] },
      { mac: Array.from(PEER), data: [2, 3] },
    ]);
  });

  test('bad arguments throw before reaching the radio', () => {
    const r = new FakeRadio({ onReceive: noop });
    expect(() => r.send(new Uint8Array(5), Uint8Array.of(1))).toThrow(/ESPNow.send: mac must be 6 bytes, got 5/);
    expect(() => r.broadcast(new Uint8Array(300))).toThrow(/ESPNow.broadcast: data of 300 bytes/);
    expect(r.frames).toEqual([]);
    expect(r.counters.tx).toBe(0);
  });

  test('a refused frame returns false and is counted', () => {
    const r = new FakeRadio({ onReceive: noop });
    r.accept = false;
    expect(r.broadcast(Uint8Array.of(1))).toBe(false);
    expect(r.counters).toMatchObject({ tx: 0, txRefused: 1 });
  });

  test('use after close throws; close is idempotent and shuts the radio once', () => {
    const r = new FakeRadio({ onReceive: noop });
    r.close();
    r.close();
    expect(r.shutdowns).toBe(1);
    expect(r.closed).toBe(true);
    expect(() => r.broadcast(Uint8Array.of(1))).toThrow(new Error('ESPNow.broadcast: closed'));
    expect(() => r.send(PEER, Uint8Array.of(1))).toThrow(new Error('ESPNow.send: closed'));
  });
});

describe('receive and send-status callbacks', () => {
  test('frames reach onReceive with data, mac, rssi and are counted', () => {
    const got: unknown[] = [];
    const r = new FakeRadio({ onReceive: (data, mac, rssi) => got.push([Array.from(mac), Array.from(data), rssi]) });
    r.deliver(Uint8Array.of(7), PEER, -42);
    expect(got).toEqual([[Array.from(PEER), [7], -42]]);
    expect(r.counters.rx).toBe(1);
  });

  test('send statuses reach onSent and count ok / failed', () => {
    const got: boolean[] = [];
    const r = new FakeRadio({ onReceive: noop, onSent: (_mac, ok) => got.push(ok) });
    r.status(PEER, true);
    r.status(PEER, false);
    expect(got).toEqual([true, false]);
    expect(r.counters).toMatchObject({ sentOk: 1, sentFailed: 1 });
  });

  test('a throwing callback is contained, counted and kept', () => {
    const boom = new Error('boom');
    const r = new FakeRadio({
      onReceive: () => {
        throw boom;
      },
    });
    expect(() => r.deliver(Uint8Array.of(1), PEER, 0)).not.toThrow();
    expect(r.counters.callbackErrors).toBe(1);
    expect(r.lastError).toBe(boom);
  });

  test('nothing is delivered after close', () => {
    let calls = 0;
    const r = new FakeRadio({ onReceive: () => calls++, onSent: () => calls++ });
    r.close();
    r.deliver(Uint8Array.of(1), PEER, 0);
    r.status(PEER, true);
    expect(calls).toBe(0);
    expect(r.counters.rx).toBe(0);
  });

  test('counters is a snapshot, not the live object', () => {
    const r = new FakeRadio({ onReceive: noop });
    const before = r.counters;
    r.broadcast(Uint8Array.of(1));
    expect(before.tx).toBe(0);
    expect(r.counters.tx).toBe(1);
  });
});
