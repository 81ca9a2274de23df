/**
 * The UDP hub end to end: real sockets on loopback, the medium advanced in real time. One
 * external node is a separate Node process (an echo node written against the protocol text,
 * not our codec); others are sockets in this process.
 */
import { spawn } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { RealtimeDriver } from '../../simulator/engine/realtime.js';
import { SeededRandom } from '../../simulator/engine/random.js';
import {
  decodeHubMessage,
  encodeHubMessage,
  HUB_ERROR as ERR,
  HUB_MSG as MSG,
  HUB_SENT as SENT,
  type HubMessage,
} from '../../modules/espnow/hub-codec.js';
import { Hub } from '../../simulator/hub/hub.js';
import { macOf } from '../../simulator/medium/mac.js';
import { Medium } from '../../simulator/medium/medium.js';

const BROADCAST = Uint8Array.of(255, 255, 255, 255, 255, 255);

/** Encode with the shared codec (modules/espnow/hub-codec.ts, tested in tests/native). */
function encode(m: HubMessage): Uint8Array {
  const r = encodeHubMessage(m);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const EXT_MAC = Uint8Array.of(0x02, 0xee, 0, 0, 0, 1);

/** A node on a UDP socket: sends raw datagrams, awaits decoded replies. */
class Client {
  readonly socket: Socket = createSocket('udp4');
  readonly inbox: HubMessage[] = [];
  #waiters: (() => void)[] = [];
  constructor(readonly hubPort: number) {
    this.socket.on('message', (m) => {
      const d = decodeHubMessage(new Uint8Array(m));
      if (d.ok) this.inbox.push(d.value);
      for (const w of this.#waiters.splice(0)) w();
    });
  }
  raw(bytes: Uint8Array): void {
    this.socket.send(bytes, this.hubPort, '127.0.0.1');
  }
  hello(mac = EXT_MAC, x = 10, y = 0, name = 'ext'): void {
    this.raw(encode({ type: 'hello', mac, kind: 0, x, y, name }));
  }
  /** Waits for the next message of `type` (consuming it), failing after 2 s. */
  async next<T extends HubMessage['type']>(type: T): Promise<Extract<HubMessage, { type: T }>> {
    const deadline = Date.now() + 2000;
    for (;;) {
      const i = this.inbox.findIndex((m) => m.type === type);
      if (i >= 0) return this.inbox.splice(i, 1)[0] as Extract<HubMessage, { type: T }>;
      if (Date.now() > deadline) throw new Error(`no ${type} within 2 s (inbox: ${JSON.stringify(this.inbox.map((m) => m.type))})`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

let clock: VirtualClock;
let medium: Medium;
let hub: Hub;
let driver: RealtimeDriver;
let port: number;
const inproc: { frame: number[]; from: number[] }[] = [];
const clients: Client[] = [];

function client(): Client {
  const c = new Client(port);
  clients.push(c);
  return c;
}

beforeEach(async () => {
  clock = new VirtualClock();
  medium = new Medium({ clock, random: new SeededRandom(1), loss: { model: 'unit-disk', range: 100 } });
  // In-process node 0 at the origin; node 1 far away (out of everyone's range).
  const r0 = medium.addNode({ x: 0, y: 0 });
  medium.addNode({ x: 1000, y: 0 });
  inproc.length = 0;
  r0.onReceive = (frame, mac) => inproc.push({ frame: Array.from(frame), from: Array.from(mac ?? []) });
  hub = new Hub({ media: medium, clock, port: 0 });
  port = await hub.start();
  driver = new RealtimeDriver(clock, { tickMs: 2 });
  driver.start();
});

afterEach(async () => {
  driver.stop();
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await hub.close();
});

test('HELLO → WELCOME; frames flow both ways between an external and an in-process node', async () => {
  const c = client();
  c.hello();
  const w = await c.next('welcome'); // the decoder refuses a WELCOME of another version
  expect(Array.from(w.mac)).toEqual(Array.from(EXT_MAC));
  expect(w.channel).toBe(1);
  expect(hub.nodes().map((n) => n.name)).toEqual(['ext']);
  const ext = medium.indexOf(EXT_MAC) as number;
  expect(medium.position(ext)).toEqual({ x: 10, y: 0 });

  // external → in-process (unicast), with a link-layer SENT status
  c.raw(encode({ type: 'send', dest: macOf(0), payload: Uint8Array.of(1, 2, 3) }));
  const sent = await c.next('sent');
  expect(sent.status).toBe(SENT.DELIVERED);
  expect(inproc).toEqual([{ frame: [1, 2, 3], from: Array.from(EXT_MAC) }]);

  // in-process → external (broadcast), as RECV with the source MAC and an RSSI
  medium.radio(0).broadcast(Uint8Array.of(9, 8));
  const recv = await c.next('recv');
  expect(Array.from(recv.payload)).toEqual([9, 8]);
  expect(Array.from(recv.source)).toEqual(Array.from(macOf(0)));
  expect(recv.rssi).toBeLessThan(0);

  // to the node out of range: no ack
  c.raw(encode({ type: 'send', dest: macOf(1), payload: Uint8Array.of(5) }));
  expect((await c.next('sent')).status).toBe(SENT.NO_RECEIVER);
  expect(medium.nodeStats(ext).txLost.range).toBe(1);
});

test('two external nodes hear each other through the medium; RADIO off loses frames', async () => {
  const a = client();
  const b = client();
  a.hello(EXT_MAC, 10, 0, 'a');
  await a.next('welcome');
  const macB = Uint8Array.of(0x02, 0xee, 0, 0, 0, 2);
  b.hello(macB, 20, 0, 'b');
  await b.next('welcome');
  a.raw(encode({ type: 'send', dest: BROADCAST, payload: Uint8Array.of(42) }));
  expect(Array.from((await b.next('recv')).payload)).toEqual([42]);
  expect((await a.next('sent')).status).toBe(SENT.DELIVERED);

  b.raw(encode({ type: 'radio', on: false, durationMs: 0 }));
  await new Promise((r) => setTimeout(r, 30));
  a.raw(encode({ type: 'send', dest: macB, payload: Uint8Array.of(43) }));
  expect((await a.next('sent')).status).toBe(SENT.NO_RECEIVER);
  b.raw(encode({ type: 'send', dest: EXT_MAC, payload: Uint8Array.of(44) }));
  expect((await b.next('sent')).status).toBe(SENT.RADIO_OFF);
  expect(medium.nodeStats(medium.indexOf(macB) as number).rxLost.asleep).toBe(1);
});

test('bad messages get ERROR with a code, are counted, and the hub keeps working', async () => {
  const c = client();
  const cases: [Uint8Array, number][] = [
    [Uint8Array.of(0x42), ERR.UNKNOWN_TYPE],
    [Uint8Array.of(MSG.HELLO, 1, 2, 3), ERR.BAD_LENGTH], // short HELLO
    [encode({ type: 'send', dest: macOf(0), payload: Uint8Array.of(1) }), ERR.NOT_REGISTERED], // SEND before HELLO
    [encode({ type: 'keepalive' }), ERR.NOT_REGISTERED],
    [Uint8Array.of(MSG.HELLO, 9, ...EXT_MAC, 0, 0, 0, 0, 0, 0, 0, 0, 0), ERR.BAD_VERSION],
    [encode({ type: 'hello', mac: macOf(0), kind: 0, x: 0, y: 0, name: 'dup' }), ERR.DUPLICATE_MAC],
    [encode({ type: 'hello', mac: EXT_MAC, kind: 1, x: 0, y: 0, name: 'x' }), ERR.BAD_VALUE],
    [new Uint8Array(0), ERR.BAD_LENGTH],
  ];
  for (const [bytes, code] of cases) {
    c.raw(bytes);
    const e = await c.next('error');
    expect([e.code, e.message]).toEqual([code, expect.any(String)]);
  }
  c.hello();
  await c.next('welcome');
  // oversize payload (251 bytes over ESP-NOW's 250)
  c.raw(Uint8Array.of(MSG.SEND, ...BROADCAST, ...new Uint8Array(251))); // the codec refuses to build it: raw bytes
  expect((await c.next('error')).code).toBe(ERR.OVER_MTU);
  c.raw(Uint8Array.of(MSG.RADIO, 1)); // truncated RADIO
  expect((await c.next('error')).code).toBe(ERR.BAD_LENGTH);
  // still working
  c.raw(encode({ type: 'send', dest: macOf(0), payload: Uint8Array.of(7) }));
  expect((await c.next('sent')).status).toBe(SENT.DELIVERED);
  expect(hub.stats.errors).toEqual({
    unknown_type: 1,
    bad_length: 3,
    not_registered: 2,
    bad_version: 1,
    duplicate_mac: 1,
    bad_value: 1,
    over_mtu: 1,
  });
});

test('BYE and silence remove a node; its MAC may join again', async () => {
  const c = client();
  c.hello();
  await c.next('welcome');
  const ext = medium.indexOf(EXT_MAC) as number;
  c.raw(encode({ type: 'bye' }));
  await new Promise((r) => setTimeout(r, 50));
  expect(hub.nodes()).toEqual([]);
  expect(medium.isUp(ext)).toBe(false);
  c.raw(encode({ type: 'keepalive' }));
  expect((await c.next('error')).code).toBe(ERR.NOT_REGISTERED);
  c.hello(EXT_MAC, 30, 0, 'again');
  await c.next('welcome');
  expect(medium.indexOf(EXT_MAC)).toBe(ext);
  expect(medium.isUp(ext)).toBe(true);
  expect(medium.position(ext)).toEqual({ x: 30, y: 0 });
  expect(hub.stats).toMatchObject({ joined: 2, left: 1 });
});

test('a node silent for silenceMs is dropped', async () => {
  let wall = 0;
  const quiet = new Hub({ media: medium, clock, port: 0, silenceMs: 10_000, wallNow: () => wall });
  const p = await quiet.start();
  const c = new Client(p);
  clients.push(c);
  c.hello(Uint8Array.of(0x02, 0xee, 0, 0, 0, 9));
  await c.next('welcome');
  wall = 9_000;
  quiet.sweep();
  expect(quiet.nodes()).toHaveLength(1);
  c.raw(encode({ type: 'keepalive' })); // heard at 9 s
  await new Promise((r) => setTimeout(r, 50));
  wall = 18_000;
  quiet.sweep();
  expect(quiet.nodes()).toHaveLength(1);
  wall = 19_500;
  quiet.sweep();
  expect(quiet.nodes()).toHaveLength(0);
  expect(quiet.stats.dropped).toBe(1);
  await quiet.close();
});

test('an external Node process joins and echoes frames back through the medium', async () => {
  // Written from HUB.md alone (no import of our codec): HELLO, then echo each RECV's payload
  // back to its source, reversed; exit on a payload of 0xff.
  const script = `
    const dgram = require('node:dgram');
    const s = dgram.createSocket('udp4');
    const hub = Number(process.argv[1]);
    const hello = Buffer.alloc(17 + 4);
    hello[0] = 0x01; hello[1] = 1; Buffer.from([2, 0xee, 0, 0, 0, 7]).copy(hello, 2); hello[8] = 0;
    hello.writeFloatBE(5, 9); hello.writeFloatBE(5, 13); hello.write('echo', 17);
    s.on('message', (m) => {
      if (m[0] === 0x81) console.log('welcome');
      if (m[0] === 0x82) {
        const src = m.subarray(1, 7), payload = m.subarray(8);
        if (payload[0] === 0xff) { s.send(Buffer.from([0x05]), hub, '127.0.0.1', () => process.exit(0)); return; }
        s.send(Buffer.concat([Buffer.from([0x02]), src, Buffer.from(payload).reverse()]), hub, '127.0.0.1');
      }
    });
    s.send(hello, hub, '127.0.0.1');
    setTimeout(() => process.exit(3), 5000);
  `;
  const child = spawn(process.execPath, ['-e', script, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  await new Promise<void>((resolve) => child.stdout.on('data', (d) => String(d).includes('welcome') && resolve()));
  const echoMac = Uint8Array.of(2, 0xee, 0, 0, 0, 7);
  const ext = medium.indexOf(echoMac);
  expect(ext).toBeDefined();
  medium.radio(0).send(echoMac, Uint8Array.of(1, 2, 3));
  const deadline = Date.now() + 2000;
  while (inproc.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  expect(inproc).toEqual([{ frame: [3, 2, 1], from: Array.from(echoMac) }]);
  medium.radio(0).send(echoMac, Uint8Array.of(0xff));
  expect(await exited).toBe(0);
  await new Promise((r) => setTimeout(r, 50));
  expect(hub.stats).toMatchObject({ joined: 1, left: 1, sends: 1, recvs: 2 });
});
