/**
 * The XS runner's worker: bundled for XS (bundle.mjs, beside it) and evaluated in an
 * xsnap-worker, it hosts one or more SimNodes and runs the jobs the host sends (xs-protocol.ts).
 *
 * The node does exactly what it does in-process, but everything outside it belongs to the
 * host: time is the `now` of the batch (it does not move during a job), timers live on the
 * host's clock (so same-time timers fire in the same order as in-process), and the radio is a
 * proxy whose every call is a synchronous `issueCommand` to the host's SimRadio.
 */
import type { NodeState } from '../../modules/mycelium/node.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { Clock, Platform, TimerHandle, Timers } from '../../modules/mycelium/platform/platform.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { memoHashes } from '../platform/hash-memo.js';
import { fromHex } from '../../modules/mycelium/wire/bytes.js';
import { SeededRandom } from '../engine/random.js';
import { createSimPlatform } from '../engine/sim-platform.js';
import { SimNode, type SimNodeEvents, type TreeView } from '../runner/sim-node.js';
import { MODULE_APPS_GLOBAL } from '../runner/module-apps-global.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { Command, type HostedNodeConfig, type Job, type JobBatch, type Output } from './xs-protocol.js';

/** What xsnap-worker adds to the global object (and what this script adds). */
interface XsGlobal {
  issueCommand(request: ArrayBuffer): ArrayBuffer;
  gc(): void;
  handleInput: (input: string) => string;
}
const xs = globalThis as unknown as XsGlobal;

// ---- calls to the host ----------------------------------------------------------------------

/** A command: opcode, then the fields written by `fill`. */
function command(op: number, length: number, fill?: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = new Uint8Array(1 + length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, op);
  fill?.(view, bytes);
  return bytes;
}

/**
 * Commands whose answer nobody waits for (timers, sleep, wake, attach), held until the next one
 * that needs its answer or the end of the input (xs-protocol.ts, BATCH): one round trip to the
 * host instead of one each. Order is kept, so the host sees the same sequence as before.
 */
let held: Uint8Array[] = [];
let heldBytes = 0;

function hold(cmd: Uint8Array): void {
  held.push(cmd);
  heldBytes += 4 + cmd.length;
}

/** Sends the held commands, then `cmd`, in one issueCommand; the host's answer to `cmd`. */
function cross(cmd: Uint8Array): DataView {
  if (held.length === 0) return new DataView(xs.issueCommand(cmd.buffer as ArrayBuffer));
  return new DataView(xs.issueCommand(batchOf(cmd).buffer as ArrayBuffer));
}

/** The held commands and then `cmd` (if any) as one BATCH command; nothing is held after. */
function batchOf(cmd?: Uint8Array): Uint8Array {
  const all = cmd ? [...held, cmd] : held;
  const batch = new Uint8Array(1 + heldBytes + (cmd ? 4 + cmd.length : 0));
  const view = new DataView(batch.buffer);
  batch[0] = Command.BATCH;
  let o = 1;
  for (const c of all) {
    view.setUint32(o, c.length, true);
    batch.set(c, o + 4);
    o += 4 + c.length;
  }
  held = [];
  heldBytes = 0;
  return batch;
}

/** Timer handles: numbered here, in the order the nodes set them (the host keeps the same ones). */
let nextHandle = 1;

const host = {
  setTimeout(delayMs: number): number {
    const handle = nextHandle++;
    hold(
      command(Command.SET_TIMEOUT, 16, (v) => {
        v.setFloat64(1, delayMs, true);
        v.setFloat64(9, handle, true);
      }),
    );
    return handle;
  },
  clearTimeout(handle: number): void {
    hold(command(Command.CLEAR_TIMEOUT, 8, (v) => v.setFloat64(1, handle, true)));
  },
  send(node: number, mac: Uint8Array, frame: Uint8Array): boolean {
    const cmd = command(Command.SEND, 5 + mac.length + frame.length, (v, b) => {
      v.setUint32(1, node, true);
      v.setUint8(5, mac.length);
      b.set(mac, 6);
      b.set(frame, 6 + mac.length);
    });
    return cross(cmd).getUint8(0) === 1;
  },
  broadcast(node: number, frame: Uint8Array): boolean {
    const cmd = command(Command.BROADCAST, 4 + frame.length, (v, b) => {
      v.setUint32(1, node, true);
      b.set(frame, 5);
    });
    return cross(cmd).getUint8(0) === 1;
  },
  sleep(node: number, ms: number): void {
    hold(
      command(Command.SLEEP, 12, (v) => {
        v.setUint32(1, node, true);
        v.setFloat64(5, ms, true);
      }),
    );
  },
  wake(node: number): void {
    hold(command(Command.WAKE, 4, (v) => v.setUint32(1, node, true)));
  },
  attach(node: number, listening: boolean): void {
    hold(
      command(Command.ATTACH, 5, (v) => {
        v.setUint32(1, node, true);
        v.setUint8(5, listening ? 1 : 0);
      }),
    );
  },
};

// ---- worker state ---------------------------------------------------------------------------

/** Simulated time of the batch being run. */
let now = 0;
/** What the current batch produced, in order. */
let out: Output[] = [];
let logging = false;
/**
 * One memo for the worker's nodes, as in-process for the whole run: neighbours hosted together
 * verify the same broadcast Package within the same instant, and hash it once.
 */
const hashes = memoHashes(portableHashes);
/** Callbacks of the timers pending on the host clock, by handle (stale nodes' ones included). */
const timers = new Map<number, () => void>();

/**
 * Node `index`'s radio as the worker sees it: the host SimRadio's constants, calls forwarded to
 * it. One per node index, kept across boots, as the SimRadio is in-process. The host delivers
 * frames only while a packager listens (ATTACH), exactly when the medium would call onReceive.
 */
class ProxyRadio implements Radio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  lastRssi = 0;
  readonly #index: number;
  #onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;

  constructor(index: number, c: HostedNodeConfig['radio']) {
    this.#index = index;
    this.name = c.name;
    this.bitrate = c.bitrate;
    this.schemaIds = c.schemaIds;
    this.mtu = c.mtu;
  }

  get onReceive(): ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined {
    return this.#onReceive;
  }

  set onReceive(handler: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined) {
    const was = this.#onReceive !== undefined;
    this.#onReceive = handler;
    if (was !== (handler !== undefined)) host.attach(this.#index, handler !== undefined);
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    return host.send(this.#index, mac, frame);
  }

  broadcast(frame: Uint8Array): boolean {
    return host.broadcast(this.#index, frame);
  }

  sleep(ms: number): void {
    host.sleep(this.#index, ms);
  }

  wake(): void {
    host.wake(this.#index);
  }

  deliver(frame: Uint8Array, mac: Uint8Array | undefined, rssi: number): void {
    this.lastRssi = rssi;
    this.#onReceive?.(frame, mac);
  }
}

interface Hosted {
  readonly config: HostedNodeConfig;
  readonly nodeId: Uint8Array;
  readonly radio: ProxyRadio;
  node: SimNode | undefined;
}

/** This worker's nodes, in hosting order (views and stats answer in this order). */
const hosted = new Map<number, Hosted>();

const events: SimNodeEvents = {
  message: (node, messageId, hops) => void out.push(['m', node, messageId, hops]),
  pingRequest: (node, fromId, nonce, hops) => void out.push(['q', node, fromId, nonce, hops]),
  pingResponse: (node, nonce) => void out.push(['r', node, nonce]),
  appSent: (node, app, how, key, to, address, topic, ok, code) => void out.push(['as', node, app, how, key, to, address, topic, ok, code]),
  appReceived: (node, app, key, hops, topic) => void out.push(['ar', node, app, key, hops, topic]),
  appSubscribed: (node, app, topic, on) => void out.push(['sub', node, app, topic, on]),
  appFailed: (node, app, error) => void out.push(['af', node, app, error]),
  appRegistered: (node, app, id) => void out.push(['reg', node, app, id]),
  heldStatus: (node, messageId, status) => void out.push(['hs', node, messageId, status]),
  heldStore: (node, count, bytes) => void out.push(['hp', node, count, bytes]),
  console: (node, line, origin) => void out.push(origin === undefined ? ['co', node, line] : ['co', node, line, origin]),
};

/** The host's clock as seen from this worker: time comes with each batch, timers live on the host. */
const hostClock: Clock & Timers = {
  now: () => now,
  setTimeout: (callback: () => void, delayMs: number): TimerHandle => {
    const handle = host.setTimeout(delayMs);
    timers.set(handle, callback);
    return handle;
  },
  clearTimeout: (handle: TimerHandle): void => {
    // Like VirtualClock.clearTimeout: anything but a pending timer is a no-op.
    if (typeof handle !== 'number' || !timers.delete(handle)) return;
    host.clearTimeout(handle);
  },
};

function platformOf(name: string, random: SeededRandom): Platform {
  const sink = logging ? (line: string) => void out.push(['log', line]) : undefined;
  return createSimPlatform({ clock: hostClock, random, hashes, name, sink });
}

function hostedNode(i: number): Hosted {
  const h = hosted.get(i);
  if (!h) throw new Error(`node ${i} is not hosted by this worker`);
  return h;
}

function shutdown(h: Hosted): void {
  h.node?.shutdown();
  h.node = undefined;
}

/** xsnap's native base64 codec (Moddable's modules/data/base64; @agoric/xsnap has it built in). */
interface Base64Codec {
  decode(text: string): ArrayBuffer;
  encode(bytes: ArrayBuffer): string;
}
const nativeBase64 = (globalThis as { Base64?: Base64Codec }).Base64 as Base64Codec;
if (!nativeBase64) throw new Error('this xsnap-worker has no Base64 global: the XS runner needs it to pass frames');

/** Bytes of a base64 text (frames cross in base64, see xs-protocol.ts). */
function base64Bytes(text: string): Uint8Array {
  return new Uint8Array(nativeBase64.decode(text));
}

function base64Text(bytes: Uint8Array): string {
  return nativeBase64.encode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
}

function hexBytes(text: string, what: string): Uint8Array {
  const bytes = fromHex(text);
  if (!bytes) throw new Error(`bad hex in ${what}`);
  return bytes;
}

function run(job: Job): void {
  switch (job.k) {
    case 'init':
      logging = job.log;
      for (const c of job.nodes) hosted.set(c.index, { config: c, nodeId: hexBytes(c.nodeId, 'node id'), radio: new ProxyRadio(c.index, c.radio), node: undefined });
      return;
    case 'boot': {
      // InprocDriver.boot: shut the old node down, then a fresh one on the same radio.
      const h = hostedNode(job.i);
      shutdown(h);
      const platform = platformOf(`n${job.i}`, new SeededRandom(job.seed));
      const c = h.config;
      const appMains = (globalThis as Record<string, unknown>)[MODULE_APPS_GLOBAL] as Record<string, AppMain> | undefined;
      h.node = new SimNode({ index: c.index, nodeId: h.nodeId, platform, hashes, radio: h.radio, options: c.options, events, apps: c.apps, appMains });
      h.node.start();
      return;
    }
    case 'down':
      shutdown(hostedNode(job.i));
      return;
    case 'send': {
      const node = hostedNode(job.i).node;
      const error = node ? node.send(job.order) : 'node_down';
      out.push(['=', error ?? null]);
      return;
    }
    case 'cmd': {
      const node = hostedNode(job.i).node;
      node?.command(job.line);
      out.push(['=', node !== undefined]);
      return;
    }
    case 'fire': {
      const callback = timers.get(job.h);
      if (!callback) throw new Error(`timer ${job.h} fired but is not pending here`);
      timers.delete(job.h);
      callback();
      return;
    }
    case 'rx':
      hostedNode(job.i).radio.deliver(base64Bytes(job.frame), job.mac === null ? undefined : base64Bytes(job.mac), job.rssi);
      return;
    case 'views': {
      const views: (TreeView | null)[] = [];
      for (const h of hosted.values()) views.push(h.node ? h.node.view() : null);
      out.push(['=', views]);
      return;
    }
    case 'stats': {
      const stats: (NodeState | null)[] = [];
      for (const h of hosted.values()) stats.push(h.node ? h.node.node.state() : null);
      out.push(['=', stats]);
      return;
    }
    case 'counters': {
      const counters: (Record<string, number> | null)[] = [];
      for (const h of hosted.values()) counters.push(h.node ? h.node.node.packager.counters.snapshot() : null);
      out.push(['=', counters]);
      return;
    }
    case 'gc':
      xs.gc();
      return;
  }
}

xs.handleInput = (input: string): string => {
  const batch = JSON.parse(input) as JobBatch;
  now = batch.now;
  out = [];
  for (const job of batch.jobs) run(job);
  // What is still held rides on the answer, first: the host applies it before the outputs.
  if (held.length > 0) out.unshift(['c', base64Text(batchOf())]);
  const text = JSON.stringify(out);
  out = [];
  return text;
};
