/**
 * The serial bridge end to end: two laptop nodes (MeshHost over SerialRadio, as mycelium-node
 * --serial builds them) each open the tty of a fake board: a pseudo-terminal pair (python3 pty)
 * whose other side is the board's real bridge code (modules/host/serial-bridge.ts) lending a
 * radio. The two boards' radios hear each other. The nodes must form one tree through the
 * boards and ping each other; the boards' console text must arrive beside the frames.
 * Real time (the tty is real): generous timeouts, behaviour asserted, not speed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MeshHost } from '../../modules/host/mesh-host.js';
import { SerialBridge } from '../../modules/host/serial-bridge.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { ESPNOW_SCHEMA_IDS } from '../../modules/mycelium/wire/schemas.js';
import { BROADCAST_MAC, ESPNOW_MTU } from '../../modules/mycelium/wire/constants.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { MemoryStorage } from '../../simulator/platform/node-platform.js';
import { nodePlatform } from '../../hosts/linux/node-platform.js';
import { SerialRadio } from '../../hosts/linux/serial-radio.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeProcess } from './node-process.js';

const RELAY = fileURLToPath(new URL('./pty-relay.py', import.meta.url));
const hasPty = spawnSync('python3', ['-c', 'import pty, tty, select'], { encoding: 'utf8' }).status === 0;
if (!hasPty) console.warn('serial bridge test skipped: it needs python3 (with its pty module) to make a pseudo-terminal pair');

/** A board's radio: frames go to its twin after a tick, as over the air. */
class AirRadio implements Radio {
  readonly name = 'espnow';
  readonly bitrate = 1_000_000;
  readonly schemaIds = ESPNOW_SCHEMA_IDS;
  readonly mtu = ESPNOW_MTU;
  onReceive: Radio['onReceive'];
  twin: AirRadio | undefined;
  constructor(readonly mac: Uint8Array) {}
  send(mac: Uint8Array, frame: Uint8Array): boolean {
    const t = this.twin;
    if (!t || !(mac.every((b, i) => b === t.mac[i]) || mac.every((b, i) => b === BROADCAST_MAC[i]))) return true;
    const copy = frame.slice();
    setImmediate(() => t.onReceive?.(copy, this.mac));
    return true;
  }
  broadcast(frame: Uint8Array): boolean {
    return this.send(BROADCAST_MAC, frame);
  }
}

interface FakeBoard {
  readonly tty: string;
  readonly bridge: SerialBridge;
  readonly relay: ChildProcess;
}

/** A pty pair whose far side runs the board's bridge over `radio`; the board prints a boot line first. */
async function fakeBoard(radio: AirRadio, bootLine: string): Promise<FakeBoard> {
  const relay = spawn('python3', [RELAY], { stdio: ['pipe', 'pipe', 'inherit'] });
  const tty = await new Promise<string>((resolve, reject) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const nl = head.indexOf('\n');
      if (nl < 0) return;
      relay.stdout?.off('data', onData);
      resolve(head.slice(0, nl));
    };
    relay.stdout?.on('data', onData);
    relay.once('exit', () => reject(new Error('pty relay exited')));
  });
  const write = (bytes: Uint8Array) => relay.stdin?.write(bytes);
  const bridge = new SerialBridge({ radio, write, onText: () => undefined });
  relay.stdout?.on('data', (chunk: Buffer) => bridge.input(new Uint8Array(chunk)));
  write(new TextEncoder().encode(bootLine + '\r\n'));
  return { tty, bridge, relay };
}

function laptopNode(radio: SerialRadio, out: string[]): MeshHost {
  const storage = new MemoryStorage();
  const host = new MeshHost({
    platform: nodePlatform(storage, () => undefined, 'error'),
    radio,
    write: (line) => out.push(line),
    apps: { spanningTree: { max_start_delay: 1000, tree_maintenance_delay: 3000 } },
  });
  return host;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, f: () => T | undefined, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const v = f();
    if (v !== undefined) return v;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${what}`);
}

(hasPty ? test : test.skip)('two laptop nodes reach each other through two boards on their serial ports', async () => {
  const airA = new AirRadio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  const airB = new AirRadio(Uint8Array.of(2, 0, 0, 0, 0, 2));
  airA.twin = airB;
  airB.twin = airA;
  const boards = [await fakeBoard(airA, 'board A: mycelium firmware'), await fakeBoard(airB, 'board B: mycelium firmware')];
  const boardLines: string[][] = [[], []];
  const radios = await Promise.all(boards.map((b, i) => SerialRadio.open(b.tty, { onLine: (l) => boardLines[i].push(l) })));
  const outs: string[][] = [[], []];
  const hosts = radios.map((r, i) => laptopNode(r, outs[i]));
  try {
    // The board's radio, as the laptop sees it: ESP-NOW's figures, so the same interface id.
    expect(radios[0]).toMatchObject({ name: 'espnow', bitrate: 1_000_000, mtu: ESPNOW_MTU, schemaIds: ESPNOW_SCHEMA_IDS });
    expect(boards.every((b) => b.bridge.active)).toBe(true);
    await until('the boards\' boot lines', () => (boardLines.every((l) => l.length > 0) ? true : undefined), 10_000);
    expect(boardLines).toEqual([['board A: mycelium firmware'], ['board B: mycelium firmware']]);

    for (const h of hosts) h.start();
    const ids = hosts.map((h) => toHex(h.node.nodeId));
    await until('one tree', () => {
      const roots = hosts.map((h) => h.node.state().tree?.root);
      return roots[0] && !/^0+$/.test(roots[0]) && roots[0] === roots[1] && hosts.every((h) => h.node.packager.address) ? true : undefined;
    });
    const mark = outs[0].length;
    hosts[0].input(`ping ${ids[1].slice(0, 8)} 2 2`);
    const report = await until('the ping report', () => {
      const tail = outs[0].slice(mark);
      const at = tail.indexOf('Ping report:');
      return at >= 0 && tail.some((l, k) => k > at && l.startsWith('\tsuccess_rate')) ? tail.slice(at) : undefined;
    });
    expect(report).toContain(`\tremote: ${ids[1]}`);
    expect(report.find((l) => l.startsWith('\tsuccess_rate'))).not.toBe('\tsuccess_rate: 0%');
    // Frames really crossed the serial lines both ways.
    expect(radios.every((r) => r.stats.tx > 0 && r.stats.rx > 0)).toBe(true);
    expect(boards.every((b) => b.bridge.stats.sent > 0 && b.bridge.stats.received > 0 && b.bridge.stats.bad === 0)).toBe(true);
  } finally {
    for (const h of hosts) h.stop();
    for (const r of radios) r.close();
    await sleep(200);
    for (const b of boards) b.relay.kill();
  }
  // Closing gave the boards their radios back.
  expect(boards.map((b) => b.bridge.active)).toEqual([false, false]);
}, 120_000);

(hasPty ? test : test.skip)('mycelium-node --serial: the board\'s lines labelled, and a ping through it to a node behind another board', async () => {
  const airA = new AirRadio(Uint8Array.of(2, 0, 0, 0, 0, 3));
  const airB = new AirRadio(Uint8Array.of(2, 0, 0, 0, 0, 4));
  airA.twin = airB;
  airB.twin = airA;
  const boards = [await fakeBoard(airA, 'board A ready'), await fakeBoard(airB, 'board B ready')];
  const dir = mkdtempSync(join(tmpdir(), 'mycelium-serial-'));
  const file = join(dir, 'lap.json');
  writeFileSync(file, JSON.stringify({ apps: { spanning_tree: { max_start_delay: 1000, tree_maintenance_delay: 3000 } } }));
  const proc = new NodeProcess(['--config', file, '--name', 'lap', '--bind', '127.0.0.1', '--serial', boards[0].tty, '--no-save']);
  const out: string[] = [];
  const otherRadio = await SerialRadio.open(boards[1].tty);
  const other = laptopNode(otherRadio, out);
  try {
    other.start();
    await proc.waitFor('the board line', (lines) => (lines.includes('[board] board A ready') ? true : undefined));
    await proc.waitFor('the banner', (lines) => (lines.some((l) => l.includes(`espnow through ${boards[0].tty}`)) ? true : undefined));
    const id = toHex(other.node.nodeId).slice(0, 8);
    const report = await proc.waitFor(
      'a ping answered through the boards',
      (lines) => {
        const at = lines.lastIndexOf('Ping report:');
        const rate = at >= 0 ? lines.slice(at).find((l) => l.startsWith('\tsuccess_rate')) : undefined;
        if (rate && rate !== '\tsuccess_rate: 0%') return lines.slice(at);
        if (lines.filter((l) => l === 'ping test started').length === lines.filter((l) => l === 'Ping report:').length) proc.send(`ping ${id} 1 1`);
        return undefined;
      },
      60_000,
    );
    expect(report.find((l) => l.startsWith('\tremote'))).toContain(toHex(other.node.nodeId));
    expect(await proc.quit()).toBe(0);
  } finally {
    proc.kill();
    other.stop();
    otherRadio.close();
    await sleep(200);
    for (const b of boards) b.relay.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

(hasPty ? test : test.skip)('a tty with no bridge behind it, a missing device: one line each', async () => {
  const relay = spawn('python3', [RELAY], { stdio: ['pipe', 'pipe', 'inherit'] });
  const tty = await new Promise<string>((resolve) => relay.stdout?.once('data', (c: Buffer) => resolve(c.toString().split('\n')[0])));
  try {
    await expect(SerialRadio.open(tty, { timeoutMs: 1500 })).rejects.toThrow(`--serial ${tty}: no mycelium bridge answered in 1500 ms (is the board running firmware with the serial bridge?)`);
  } finally {
    relay.kill();
  }
  await expect(SerialRadio.open('/dev/no-such-board')).rejects.toThrow('--serial /dev/no-such-board: cannot open (no such device)');
  await expect(SerialRadio.open('/dev/null')).rejects.toThrow('--serial /dev/null: not a serial device (a tty)');
});
