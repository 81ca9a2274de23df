/**
 * The XS runner's worker: bundled for XS (bundle.mjs, beside it) and evaluated in an
 * xsnap-worker, it hosts one or more SimNodes and runs the jobs the host sends (xs-protocol.ts).
 *
 * The node does exactly what it does in-process, but everything outside it belongs to the
 * host: the radio is a proxy whose calls are synchronous `issueCommand`s to the host's SimRadio,
 * and time is the host's. The nodes' timers live on this worker's clock, numbered in the host
 * clock's id sequence, so that same-time timers fire in the same order as in-process; the host
 * keeps a stand-in for the next one. When nothing else waits on the host, the worker runs its
 * timers on up to the host's next timer instead of crossing once per timer (xs-protocol.ts).
 */
import type { NodeState } from '../../modules/mycelium/node.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import type { Platform } from '../../modules/mycelium/platform/platform.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { keyedMemoHashes } from '../platform/hash-memo.js';
import { fromHex } from '../../modules/mycelium/wire/bytes.js';
import { SeededRandom } from '../engine/random.js';
import { installFastSlice } from './fast-slice.js';
import { VirtualClock } from '../engine/virtual-clock.js';
import { createSimPlatform } from '../engine/sim-platform.js';
import { SimNode, type SimNodeEvents, type TreeView } from '../runner/sim-node.js';
import { MODULE_APPS_GLOBAL } from '../runner/module-apps-global.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { Command, type HostedNodeConfig, type Job, type Output } from './xs-protocol.js';
import { decodeBatch, type TextCodec } from './xs-batch-codec.js';

/** What xsnap-worker adds to the global object (and what this script adds). */
interface XsGlobal {
  issueCommand(request: ArrayBuffer): ArrayBuffer;
  gc(): void;
  handleInput: (input: ArrayBuffer) => string;
  /** Tells the xsnap.mjs prelude to hand inputs over as bytes (a batch: xs-batch-codec.ts). */
  handleInputBytes: boolean;
}
const xs = globalThis as unknown as XsGlobal;
installFastSlice();

// ---- calls to the host ----------------------------------------------------------------------

/** The nodes' timers: the worker's own clock, numbered in the host clock's id sequence. */
const clock = new VirtualClock();
/**
 * While the worker runs on after a batch's jobs: the host's next timer (due, id) and the run's
 * step limit; its timers that come before both run here, without a round trip each.
 */
let aheadDue = -Infinity;
let aheadId = 0;
let aheadLimit = -Infinity;

/** A command: opcode, then the fields written by `fill`. */
function command(op: number, length: number, fill?: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = new Uint8Array(1 + length);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, op);
  fill?.(view, bytes);
  return bytes;
}

/** A command that may set host timers: opcode, the worker's time and next timer id, then `fill`'s fields from byte 17. */
function timedCommand(op: number, length: number, fill: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  return command(op, 16 + length, (view, bytes) => {
    view.setFloat64(1, clock.now(), true);
    view.setFloat64(9, clock.nextTimerId, true);
    fill(view, bytes);
  });
}

/**
 * Commands whose answer nobody waits for (ATTACH), held until the next one that needs its answer
 * or the end of the input (xs-protocol.ts, BATCH): one round trip to the host instead of one each.
 */
let held: Uint8Array[] = [];
let heldBytes = 0;

function hold(cmd: Uint8Array): void {
  held.push(cmd);
  heldBytes += 4 + cmd.length;
}

/** Sends the held commands, then `cmd`; takes the id sequence and the host's next timer from the reply. Whether accepted. */
function cross(cmd: Uint8Array): boolean {
  const reply = new DataView(xs.issueCommand((held.length === 0 ? cmd : batchOf(cmd)).buffer as ArrayBuffer));
  clock.skipTimerIds(reply.getFloat64(1, true));
  aheadDue = reply.getFloat64(9, true);
  aheadId = reply.getFloat64(17, true);
  return reply.getUint8(0) === 1;
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

const host = {
  send(node: number, mac: Uint8Array, frame: Uint8Array): boolean {
    return cross(
      timedCommand(Command.SEND, 5 + mac.length + frame.length, (v, b) => {
        v.setUint32(17, node, true);
        v.setUint8(21, mac.length);
        b.set(mac, 22);
        b.set(frame, 22 + mac.length);
      }),
    );
  },
  broadcast(node: number, frame: Uint8Array): boolean {
    return cross(
      timedCommand(Command.BROADCAST, 4 + frame.length, (v, b) => {
        v.setUint32(17, node, true);
        b.set(frame, 21);
      }),
    );
  },
  sleep(node: number, ms: number): void {
    cross(
      timedCommand(Command.SLEEP, 12, (v) => {
        v.setUint32(17, node, true);
        v.setFloat64(21, ms, true);
      }),
    );
  },
  wake(node: number): void {
    cross(timedCommand(Command.WAKE, 4, (v) => v.setUint32(17, node, true)));
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

/** The nodes' timers run here so far (the engine report's crossings). */
let timersRun = 0;

/** Fire the worker's timers up to and including (due, id): the host's stand-in for them fell due. */
function fireThrough(due: number, id: number): void {
  while (clock.stepThrough(due, id)) timersRun++;
}

// ---- worker state ---------------------------------------------------------------------------

/** What the current batch produced, in order. */
let out: Output[] = [];
/** The time of the last 't' output in `out` (NaN: none yet). */
let marked = NaN;

/** An output, after a 't' marker when the worker's clock moved since the last one. */
function emit(o: Output): void {
  const t = clock.now();
  if (t !== marked) {
    out.push(['t', t]);
    marked = t;
  }
  out.push(o);
}
let logging = false;

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
  /** The host's medium reports each unicast's fate (xs-driver.ts forwards it while attached). */
  readonly reportsSent = true;
  onSent: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
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
  message: (node, messageId, hops) => void emit(['m', node, messageId, hops]),
  pingRequest: (node, fromId, nonce, hops) => void emit(['q', node, fromId, nonce, hops]),
  pingResponse: (node, nonce) => void emit(['r', node, nonce]),
  appSent: (node, app, how, key, to, address, topic, ok, code) => void emit(['as', node, app, how, key, to, address, topic, ok, code]),
  appReceived: (node, app, key, hops, topic) => void emit(['ar', node, app, key, hops, topic]),
  appSubscribed: (node, app, topic, on) => void emit(['sub', node, app, topic, on]),
  appFailed: (node, app, error) => void emit(['af', node, app, error]),
  appRegistered: (node, app, id) => void emit(['reg', node, app, id]),
  heldStatus: (node, messageId, status) => void emit(['hs', node, messageId, status]),
  heldStore: (node, count, bytes) => void emit(['hp', node, count, bytes]),
  console: (node, line, origin) => void emit(origin === undefined ? ['co', node, line] : ['co', node, line, origin]),
};

function platformOf(name: string, random: SeededRandom): Platform {
  const sink = logging ? (line: string) => emit(['log', line]) : undefined;
  return createSimPlatform({ clock, random, hashes, name, sink });
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
if (!nativeBase64) throw new Error('this xsnap-worker has no Base64 global: the XS runner keys its hash memo with it');

function base64Text(bytes: Uint8Array): string {
  return nativeBase64.encode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer);
}

/**
 * SHA-256 by the host, natively, as a device's platform hands it to Moddable's `crypt`: the
 * portable one in XS costs about 10,500 bytecodes a 64-byte block, and the hashes the memo
 * cannot answer (each new Package, by its sender) had been a fifth of the worker's bytecodes;
 * a round trip costs a few µs. The bytes are the same (the portable SHA-256 is checked
 * against Node's by the vectors, on XS too). CRC-32 stays here: a frame's is cheaper than the trip.
 */
function hostSha256(data: Uint8Array): Uint8Array {
  const cmd = new Uint8Array(1 + data.length);
  cmd[0] = Command.SHA256;
  cmd.set(data, 1);
  return new Uint8Array(xs.issueCommand(cmd.buffer as ArrayBuffer));
}

/**
 * One memo for the worker's nodes, as in-process for the whole run: neighbours hosted together
 * verify the same broadcast Package within the same instant, and hash it once. Keyed by the
 * bytes' base64, which xsnap makes natively: comparing the bytes in a JS loop had cost a fifth
 * of the worker's CPU (77,840 lookups in 2 simulated minutes of telemetry-25, 96 % hits).
 */
const hashes = keyedMemoHashes({ sha256: hostSha256, crc32: portableHashes.crc32 }, base64Text);

function hexBytes(text: string, what: string): Uint8Array {
  const bytes = fromHex(text);
  if (!bytes) throw new Error(`bad hex in ${what}`);
  return bytes;
}

/**
 * Free slots the worker's heap keeps per hosted node (32 B each on this 64-bit host: 512 KB).
 * XS collects whenever its free slots run out and grows its slot heap only when collections
 * thrash, so a worker whose heap barely holds its nodes marks every live node object again every
 * few hundred thousand allocations: `fxMarkReference` was 4.8 % of the worker's CPU on
 * telemetry-25 (`perf record` on the worker), 1.6 % with this headroom. The price is resident
 * memory: about 0.5 MB per node (docs/benchmarks.md, "Session 8"). XS never gives heap back.
 */
const HEADROOM_SLOTS_PER_NODE = 16_384;

/** Makes XS grow its slot heap by about `slots`: as many live at once, then dropped. */
function growSlotHeap(slots: number): void {
  const live: { readonly n: number }[] = [];
  const objects = slots >> 1; // an object with one property takes two slots
  for (let i = 0; i < objects; i++) live.push({ n: i });
  live.length = 0;
}

function run(job: Job): void {
  switch (job.k) {
    case 'init':
      logging = job.log;
      for (const c of job.nodes) hosted.set(c.index, { config: c, nodeId: hexBytes(c.nodeId, 'node id'), radio: new ProxyRadio(c.index, c.radio), node: undefined });
      growSlotHeap(job.nodes.length * HEADROOM_SLOTS_PER_NODE);
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
      emit(['=', error ?? null]);
      return;
    }
    case 'cmd': {
      const node = hostedNode(job.i).node;
      node?.command(job.line);
      emit(['=', node !== undefined]);
      return;
    }
    case 'tick':
      fireThrough(job.due, job.id);
      return;
    case 'rx':
      hostedNode(job.i).radio.deliver(job.frame, job.mac === null ? undefined : job.mac, job.rssi);
      return;
    case 'sent':
      hostedNode(job.i).radio.onSent?.(job.mac === null ? undefined : job.mac, job.delivered);
      return;
    case 'views': {
      const views: (TreeView | null)[] = [];
      for (const h of hosted.values()) views.push(h.node ? h.node.view() : null);
      emit(['=', views]);
      return;
    }
    case 'stats': {
      const stats: (NodeState | null)[] = [];
      for (const h of hosted.values()) stats.push(h.node ? h.node.node.state() : null);
      emit(['=', stats]);
      return;
    }
    case 'counters': {
      const counters: (Record<string, number> | null)[] = [];
      for (const h of hosted.values()) counters.push(h.node ? h.node.node.packager.counters.snapshot() : null);
      emit(['=', counters]);
      return;
    }
    case 'tally':
      emit(['=', timersRun]);
      return;
    case 'gc':
      xs.gc();
      return;
  }
}

/** The JSON parts of a batch (xs-batch-codec.ts): xsnap's native UTF-8 codec. */
const utf8: TextCodec = (() => {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return { encode: (text: string) => encoder.encode(text), decode: (bytes: Uint8Array) => decoder.decode(bytes) };
})();

xs.handleInputBytes = true;
xs.handleInput = (input: ArrayBuffer): string => {
  const batch = decodeBatch(input, utf8);
  clock.moveTo(batch.now);
  clock.skipTimerIds(batch.id);
  out = [];
  marked = NaN;
  // The horizon is set before the jobs run: their radio calls already bring it nearer.
  // Index reads and an index loop: a destructuring or a for-of walks an iterator on XS.
  const ahead = batch.ahead;
  if (ahead) {
    aheadDue = ahead[0];
    aheadId = ahead[1];
    aheadLimit = ahead[2];
  }
  const jobs = batch.jobs;
  for (let j = 0; j < jobs.length; j++) run(jobs[j]);
  if (batch.ahead) {
    // Nothing else waits on the host: run on to its next timer, the id order deciding ties.
    try {
      // A radio call may bring the host's next timer nearer (cross() updates it): read it every
      // turn. Ids are whole numbers: "before id" is "through id - 1"; a timer past the step limit
      // is not fired (step's limit).
      while (clock.stepThrough(aheadDue, aheadId - 1, aheadLimit)) timersRun++;
    } finally {
      aheadDue = -Infinity;
    }
  }
  // What is still held rides on the answer, first: the host applies it before the outputs.
  if (held.length > 0) out.unshift(['c', base64Text(batchOf())]);
  const next = clock.peekNext();
  out.unshift(['k', clock.nextTimerId, next ? next.due : null, next ? next.id : null]);
  const text = JSON.stringify(out);
  out = [];
  return text;
};
