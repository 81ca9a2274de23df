/**
 * The MQTT gateway (hosts/linux/mqtt-gateway.ts) against a real broker: Debian's `mosquitto`,
 * started here on a loopback port. What a user notices: mesh messages show up on
 * `mesh/<app>/<node>`, a JSON message on `mesh/inject` reaches a mesh node, and a broker restart
 * in the middle loses nothing that fits in the gateway's queue. Without mosquitto or the `mqtt`
 * package the broker tests are skipped with a message saying which is missing; the queue bound
 * is checked against a stand-in client either way.
 *
 * The broker is this test's own process on a free loopback port with its own config and data
 * directory: no system service, nothing shared with another suite. Waits are generous (a busy
 * CI machine), and nothing asserts how long anything took.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { TestMesh, TEST_APP_ID, type MeshNode } from '../support/mesh.js';
import { loadMqtt, MqttGateway, MQTT_DEFAULTS, type MqttClientLike, type MqttConnect, type MqttGatewayConfig } from '../../hosts/linux/mqtt-gateway.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { AppMesh } from '../support/apps-mesh.js';
import { addStoreForward } from '../../modules/mycelium/apps/store-forward.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function twoNodes(): { mesh: TestMesh; gw: MeshNode; other: MeshNode } {
  const mesh = new TestMesh({ seed: 3 });
  const [gw, other] = mesh.add(2);
  mesh.connect(gw, other);
  return { mesh, gw, other };
}

function config(url: string, queueLimit = 100): MqttGatewayConfig {
  return { ...MQTT_DEFAULTS, url, apps: ['test'], queueLimit, backoffMinMs: 100, backoffMaxMs: 1000 };
}

const text = (s: string) => new TextEncoder().encode(s);

test('while the broker is away the queue keeps the newest messages up to its bound and counts the rest', () => {
  const { mesh, gw, other } = twoNodes();
  const fake: MqttClientLike = { connected: false, on: () => undefined, publish: () => undefined, subscribe: () => undefined, reconnect: () => undefined, end: () => undefined };
  const gateway = new MqttGateway(gw.node, config('mqtt://127.0.0.1:1', 5), (() => fake) as MqttConnect, () => undefined);
  for (let i = 0; i < 8; i++) {
    other.packager.send(TEST_APP_ID, text(`m${i}`), { nodeId: gw.node.nodeId });
    mesh.run(50);
  }
  expect(gateway.queued).toBe(5);
  expect(gateway.counters.dropped).toBe(3);
});

test('held messages delivered through store and forward are published too, under their origin', () => {
  const mesh = new AppMesh({ seed: 6, hello: true, tree: { pub_each_round: false, sub: true } });
  const [gw, other] = mesh.addApps(2);
  mesh.wire(gw, other);
  addStoreForward(gw.node);
  const sf = addStoreForward(other.node);
  mesh.startAll();
  mesh.run(120_000);
  const published: { topic: string; payload: string }[] = [];
  const client: MqttClientLike = { connected: true, on: () => undefined, publish: (topic, payload) => published.push({ topic, payload: String(payload) }), subscribe: () => undefined, reconnect: () => undefined, end: () => undefined };
  const gateway = new MqttGateway(gw.node, config('mqtt://127.0.0.1:1'), (() => client) as MqttConnect, () => undefined);
  const r = sf.send(TEST_APP_ID, gw.node.nodeId, text('held one'));
  mesh.run(10_000);
  expect(r.ok).toBe(true);
  const bodies = published.map((p) => ({ topic: p.topic, body: JSON.parse(p.payload) as Record<string, unknown> }));
  expect(bodies).toEqual([{ topic: `mesh/test/${toHex(other.node.nodeId)}`, body: expect.objectContaining({ app: 'test', node: toHex(other.node.nodeId), text: 'held one' }) }]);
  void gateway.close();
});

const mosquitto = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p)) ?? (spawnSync('sh', ['-c', 'command -v mosquitto']).stdout.toString().trim() || undefined);
let connect: MqttConnect | undefined;
let missing = mosquitto ? '' : 'the mosquitto broker is not installed (apt-get install -y mosquitto)';
beforeAll(async () => {
  try {
    connect = await loadMqtt();
  } catch (e) {
    missing ||= (e as Error).message;
  }
  if (missing) console.warn(`MQTT broker tests skipped: ${missing}`);
});
/** Skipped (and said why, above) when the broker is missing; the mqtt package is checked inside. */
const brokerTest = mosquitto ? test : test.skip;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

class Broker {
  #proc: ChildProcess | undefined;
  readonly dir = mkdtempSync(join(tmpdir(), 'mycelium-mqtt-'));
  constructor(readonly port: number) {
    // Persistence: the subscriber's session (its subscription and the QoS 1 messages waiting for
    // it) survives the restart, so what the gateway flushes at once after reconnecting is kept
    // for the subscriber even if it reconnects later. `user`: mosquitto started as root would
    // otherwise switch to the `mosquitto` user, which cannot write our private directory.
    const conf = [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence true', `persistence_location ${this.dir}/`, `user ${userInfo().username}`];
    writeFileSync(join(this.dir, 'mosquitto.conf'), conf.join('\n') + '\n');
  }
  async start(): Promise<void> {
    const p = spawn(mosquitto as string, ['-c', join(this.dir, 'mosquitto.conf')], { stdio: 'ignore' });
    this.#proc = p;
    for (let i = 0; i < 400 && p.exitCode === null; i++) {
      if (await canConnect(this.port)) return;
      await sleep(50);
    }
    throw new Error(`mosquitto did not start on 127.0.0.1:${this.port} (exit ${String(p.exitCode)})`);
  }
  async stop(): Promise<void> {
    const p = this.#proc;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    await new Promise((r) => {
      p.once('exit', r);
      p.kill('SIGTERM');
      // It saves its data on SIGTERM; one that hangs is killed rather than left running.
      setTimeout(() => p.kill('SIGKILL'), 20_000).unref();
    });
  }
  async remove(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    s.connect(port, '127.0.0.1');
  });
}

/** Advance the mesh's virtual clock while real time passes, until `done` or `limitMs`. */
async function until(mesh: TestMesh, done: () => boolean, limitMs = 60_000): Promise<boolean> {
  for (let t = 0; t < limitMs; t += 20) {
    if (done()) return true;
    mesh.run(20);
    await sleep(20);
  }
  return done();
}

brokerTest('mesh messages reach MQTT subscribers, a broker restart mid-run loses none, and mesh/inject reaches a node', async () => {
  if (missing || !connect) return; // said why in beforeAll
  const port = await freePort();
  const broker = new Broker(port);
  await broker.start();
  const url = `mqtt://127.0.0.1:${port}`;
  const { mesh, gw, other } = twoNodes();
  // The subscriber reconnects within 100 ms, the gateway only after 1.5 s or more: the broker
  // keeps no session across a restart, so the subscription must be back before the queue flushes.
  const gateway = new MqttGateway(gw.node, { ...config(url), backoffMinMs: 1500, backoffMaxMs: 3000 }, connect, () => undefined);
  const seen: { topic: string; body: Record<string, unknown> }[] = [];
  const sub = connect(url, { clientId: 'mycelium-test-sub', clean: false, reconnectPeriod: 100 });
  sub.on('message', (topic: string, payload: Uint8Array) => seen.push({ topic, body: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown> }));
  let subscribed = false;
  sub.on('connect', () => sub.subscribe('mesh/#', { qos: 1 }, (e) => (subscribed ||= !e)));
  try {
    const texts = () => new Set(seen.map((s) => s.body.text));
    expect(await until(mesh, () => sub.connected && gateway.counters.reconnects === 0)).toBe(true);
    // The subscription is in place once the broker has acknowledged it.
    expect(await until(mesh, () => subscribed)).toBe(true);
    for (let i = 0; i < 20; i++) {
      other.packager.send(TEST_APP_ID, text(`m${i}`), { nodeId: gw.node.nodeId });
      mesh.run(20);
    }
    expect(await until(mesh, () => texts().size === 20)).toBe(true);
    expect(seen[0].topic).toBe(`mesh/test/${toHex(other.node.nodeId)}`);
    expect(seen[0].body).toMatchObject({ app: 'test', node: toHex(other.node.nodeId), text: 'm0' });

    await broker.stop();
    expect(await until(mesh, () => !sub.connected)).toBe(true);
    for (let i = 20; i < 50; i++) {
      other.packager.send(TEST_APP_ID, text(`m${i}`), { nodeId: gw.node.nodeId });
      mesh.run(20);
    }
    const queuedWhileDown = gateway.queued;
    await broker.start();
    expect(await until(mesh, () => texts().size === 50, 120_000)).toBe(true);
    expect(queuedWhileDown).toBe(30);
    expect(gateway.counters.dropped).toBe(0);
    expect(gateway.counters.reconnects).toBeGreaterThan(0);

    sub.publish('mesh/inject', JSON.stringify({ app: 'test', to: toHex(other.node.nodeId), text: 'from mqtt' }), { qos: 1 });
    expect(await until(mesh, () => other.app.received.length === 1)).toBe(true);
    expect(new TextDecoder().decode(other.app.received[0].blob)).toBe('from mqtt');
    expect(gateway.counters.injected).toBe(1);
  } finally {
    await new Promise<void>((r) => sub.end(true, {}, () => r()));
    await gateway.close();
    await broker.remove();
  }
}, 300_000);
