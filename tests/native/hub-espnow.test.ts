/**
 * The desktop ESP-NOW variant's logic (modules/espnow/hub-espnow.ts) against a fake transport
 * standing in for the UDP socket: what it says to the hub and how it handles the answers.
 */
import { decodeHubMessage, encodeHubMessage, HUB_ERROR, HUB_SENT, type HubMessage } from '../../modules/espnow/hub-codec.js';
import type { EspNowOptions } from '../../modules/espnow/core.js';
import { HubEspNow, KEEPALIVE_MS, randomMac, type HubTransport } from '../../modules/espnow/hub-espnow.js';
import { Sleep } from '../../modules/sleep/sleep-sim.js';

class FakeTransport implements HubTransport {
  sent: HubMessage[] = [];
  receive: ((d: Uint8Array) => void) | undefined;
  tick: (() => void) | undefined;
  interval = 0;
  closed = false;
  open(receive: (d: Uint8Array) => void): void {
    this.receive = receive;
  }
  send(datagram: Uint8Array): void {
    const r = decodeHubMessage(datagram.slice());
    if (!r.ok) throw new Error(`node sent an undecodable datagram: ${r.error.message}`);
    this.sent.push(r.value);
  }
  every(ms: number, tick: () => void): void {
    this.interval = ms;
    this.tick = tick;
  }
  close(): void {
    this.closed = true;
  }
  /** The hub answers. */
  hub(m: HubMessage): void {
    const r = encodeHubMessage(m);
    if (!r.ok) throw new Error(r.error.message);
    this.receive?.(r.value);
  }
}

const MAC = Uint8Array.of(0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee);
const PEER = Uint8Array.of(0x02, 1, 2, 3, 4, 5);
const types = (t: FakeTransport): string[] => t.sent.map((m) => m.type);

function make(extra: Partial<EspNowOptions> = {}) {
  const t = new FakeTransport();
  const got: Array<[number[], number[], number]> = [];
  const statuses: Array<[number[], boolean]> = [];
  const radio = new HubEspNow(
    {
      onReceive: (data, mac, rssi) => got.push([Array.from(mac), Array.from(data), rssi]),
      onSent: (mac, ok) => statuses.push([Array.from(mac), ok]),
      simulator: { mac: MAC, name: 'n1', x: 3, y: 4 },
      ...extra,
    },
    t,
  );
  return { t, radio, got, statuses };
}

describe('HubEspNow', () => {
  test('says HELLO with its MAC, ESP-NOW kind, position and name, then KEEPALIVE every 2 s', () => {
    const { t, radio } = make();
    expect(t.sent[0]).toMatchObject({ type: 'hello', kind: 0, x: 3, y: 4, name: 'n1' });
    expect(Array.from((t.sent[0] as { mac: Uint8Array }).mac)).toEqual(Array.from(MAC));
    expect(Array.from(radio.mac)).toEqual(Array.from(MAC));
    expect(t.interval).toBe(KEEPALIVE_MS);
    t.tick?.();
    expect(types(t)).toEqual(['hello', 'keepalive']);
  });

  test('broadcast and send become SEND datagrams', () => {
    const { t, radio } = make();
    expect(radio.broadcast(Uint8Array.of(1, 2))).toBe(true);
    expect(radio.send(PEER, Uint8Array.of(3))).toBe(true);
    const sends = t.sent.filter((m) => m.type === 'send') as Array<{ dest: Uint8Array; payload: Uint8Array }>;
    expect(sends.map((m) => [Array.from(m.dest), Array.from(m.payload)])).toEqual([
      [[255, 255, 255, 255, 255, 255], [1, 2]],
      [Array.from(PEER), [3]],
    ]);
    expect(radio.counters.tx).toBe(2);
  });

  test('RECV reaches onReceive; SENT reaches onSent; WELCOME is noted', () => {
    const { t, radio, got, statuses } = make();
    t.hub({ type: 'welcome', mac: MAC, clockMs: 1234, channel: 1 });
    t.hub({ type: 'recv', source: PEER, rssi: -70, payload: Uint8Array.of(9, 9) });
    t.hub({ type: 'sent', dest: PEER, status: HUB_SENT.DELIVERED });
    t.hub({ type: 'sent', dest: PEER, status: HUB_SENT.NO_RECEIVER });
    expect(got).toEqual([[Array.from(PEER), [9, 9], -70]]);
    expect(statuses).toEqual([
      [Array.from(PEER), true],
      [Array.from(PEER), false],
    ]);
    expect(radio.hub).toMatchObject({ welcomed: true, clockMs: 1234 });
    expect(radio.counters).toMatchObject({ rx: 1, sentOk: 1, sentFailed: 1 });
  });

  test('garbage from the hub is counted, never thrown', () => {
    const { t, radio, got } = make();
    for (const bad of [[], [0x42], [0x82, 1, 2], [0x01, 1]]) expect(() => t.receive?.(Uint8Array.from(bad))).not.toThrow();
    t.hub({ type: 'keepalive' }); // a node → hub message sent to a node
    t.hub({ type: 'recv', source: PEER, rssi: 0, payload: new Uint8Array(0) }); // ESP-NOW never delivers empty frames
    expect(got).toEqual([]);
    expect(radio.hub.badDatagrams).toBe(6);
  });

  test('ERROR "not registered" makes it say HELLO again', () => {
    const { t, radio } = make();
    t.hub({ type: 'error', code: HUB_ERROR.NOT_REGISTERED, message: 'who are you?' });
    expect(types(t)).toEqual(['hello', 'hello']);
    expect(radio.hub.hubErrors).toBe(1);
  });

  test('radio off until further notice: sends refused locally, RADIO told to the hub; on again', () => {
    const { t, radio } = make();
    radio.setRadioState(false);
    expect(radio.broadcast(Uint8Array.of(1))).toBe(false);
    radio.setRadioState(true);
    expect(radio.broadcast(Uint8Array.of(1))).toBe(true);
    expect(t.sent.filter((m) => m.type === 'radio')).toEqual([
      { type: 'radio', on: false, durationMs: 0 },
      { type: 'radio', on: true, durationMs: 0 },
    ]);
    expect(radio.counters).toMatchObject({ tx: 1, txRefused: 1 });
    expect(() => radio.setRadioState(false, -1)).toThrow(RangeError);
  });

  test('radio off for a time: the hub is told and enforces it; sends still go out', () => {
    const { t, radio, statuses } = make();
    radio.setRadioState(false, 90);
    expect(radio.hub.radioOn).toBe(true);
    expect(radio.broadcast(Uint8Array.of(1))).toBe(true);
    t.hub({ type: 'sent', dest: Uint8Array.of(255, 255, 255, 255, 255, 255), status: HUB_SENT.RADIO_OFF });
    expect(statuses).toEqual([[[255, 255, 255, 255, 255, 255], false]]);
    expect(t.sent.filter((m) => m.type === 'radio')).toEqual([{ type: 'radio', on: false, durationMs: 90 }]);
  });

  test('close says BYE, closes the transport, ignores later datagrams', () => {
    const { t, radio, got } = make();
    radio.close();
    expect(types(t)).toEqual(['hello', 'bye']);
    expect(t.closed).toBe(true);
    t.hub({ type: 'recv', source: PEER, rssi: 0, payload: Uint8Array.of(1) });
    expect(got).toEqual([]);
    expect(() => radio.broadcast(Uint8Array.of(1))).toThrow(/closed/);
    expect(() => radio.setRadioState(true)).toThrow(/closed/);
  });

  test('a bad simulator MAC or name is refused at construction', () => {
    expect(() => make({ simulator: { mac: Uint8Array.of(1, 2, 3) } })).toThrow(/mac must be 6 bytes/);
    expect(() => make({ simulator: { name: 'x'.repeat(33) } })).toThrow(/name of 33 bytes exceeds 32/);
  });

  test('random MACs are locally administered unicast addresses', () => {
    for (let i = 0; i < 50; i++) {
      const mac = randomMac();
      expect(mac.length).toBe(6);
      expect(mac[0] & 0x03).toBe(0x02);
    }
    // Same Math.random sequence (as in every XS simulator process), different start times.
    const seq = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6];
    const withSeq = (now: number): number[] => {
      let i = 0;
      return Array.from(randomMac(now, () => seq[i++ % seq.length]));
    };
    expect(withSeq(1_700_000_000_000)).not.toEqual(withSeq(1_700_000_000_001));
    expect(withSeq(1_700_000_000_000)).toEqual(withSeq(1_700_000_000_000));
    const { t } = make({ simulator: {} });
    expect((t.sent[0] as { mac: Uint8Array }).mac[0] & 0x03).toBe(0x02);
  });
});

describe('Sleep (desktop variant) with the hub radio', () => {
  test('light sleep tells the hub the radio is off for that long and accounts the time', () => {
    const { t, radio } = make();
    const sleep = new Sleep({ radio });
    expect(sleep.lightSleep(90)).toBe(90);
    expect(sleep.lightSleep(40)).toBe(40);
    expect(t.sent.filter((m) => m.type === 'radio')).toEqual([
      { type: 'radio', on: false, durationMs: 90 },
      { type: 'radio', on: false, durationMs: 40 },
    ]);
    expect(sleep.counters).toMatchObject({ lightSleeps: 2, lightSleepMs: 130 });
  });
});
