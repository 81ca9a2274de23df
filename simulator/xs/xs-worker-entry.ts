/**
 * The XS runner's worker: bundled for XS (bundle.mjs, beside it) and evaluated in an
 * xsnap-worker, it hosts one or more SimNodes and runs the jobs the host sends (xs-protocol.ts).
 *
 * The node does exactly what it does in-process, but everything outside it belongs to the
 * host: the radio is a proxy whose calls go to the host's SimRadio — held and sent later when the
 * worker knows their answer (xs-protocol.ts, HELD), else synchronous `issueCommand`s —, and time
 * is the host's. The nodes' timers live on this worker's clock, numbered in the host
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
import { WorkerClock } from './worker-clock.js';
import { createSimPlatform } from '../engine/sim-platform.js';
import { SimNode, type SimNodeEvents, type TreeView } from '../runner/sim-node.js';
import { MODULE_APPS_GLOBAL } from '../runner/module-apps-global.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { Command, HELD_HEADER_BYTES, Outlook, type HostedNodeConfig, type Job, type Output } from './xs-protocol.js';
import { decodeBatch, type TextCodec } from './xs-batch-codec.js';
import { rylr998Twins, type BootRadio } from '../rylr998/twin.js';
import type { AirRadio } from '../rylr998/emulator.js';
import { RadioTally } from '../rylr998/radio-tally.js';

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
const clock = new WorkerClock();
/**
 * While the worker runs on after a batch's jobs (`runningOn`): the host's next timer (due, id)
 * and the run's step limit; its timers that come before both run here, without a round trip
 * each. A held sleep brings (due, id) nearer exactly; a held frame sets one host timer at a time
 * only the host knows, but not before a bound the worker can tell (ProxyRadio.#heldFrame):
 * `frameFrom` is the lowest bound of the frames held since the horizon was last known (+∞:
 * none), after it if `frameAfter`. The worker runs its timers that come before it.
 */
let runningOn = false;
let aheadDue = -Infinity;
let aheadId = 0;
let aheadLimit = -Infinity;
let frameFrom = Infinity;
let frameAfter = false;

/** Held frame timers fall due at `from` or later (after it, if `after`). */
function boundFrames(from: number, after: boolean): void {
  if (from < frameFrom) {
    frameFrom = from;
    frameAfter = after;
  } else if (from === frameFrom) {
    frameAfter &&= after;
  }
}

/**
 * The current batch's outlook (xs-protocol.ts: a byte per hosted node, what its radio calls
 * meet on the host) and the batch's number: each radio reads its byte at its first call.
 */
let outlook: Uint8Array | undefined;
let outlookView: DataView | undefined;
let batchNumber = 0;

/**
 * Commands held for the host (xs-protocol.ts, HELD and ATTACH), sent in order with the next
 * command that crosses or with the answer at the end of the input: one round trip for many.
 * They are written where they go, one BATCH command (byte 0) growing in one buffer: a frame is
 * copied once, as into a command of its own (typed-array copies are element by element here).
 */
let heldBuffer = new Uint8Array(4096);
let heldView = new DataView(heldBuffer.buffer);
heldBuffer[0] = Command.BATCH;
/** The BATCH's end: nothing is held while it is 1. */
let heldEnd = 1;

/** Room for a held command of `size` bytes after its u32 length; its offset. */
function holdRoom(size: number): number {
  const end = heldEnd + 4 + size;
  if (end > heldBuffer.length) {
    let length = heldBuffer.length * 2;
    while (length < end) length *= 2;
    const grown = new Uint8Array(length);
    grown.set(heldBuffer.subarray(0, heldEnd));
    heldBuffer = grown;
    heldView = new DataView(grown.buffer);
  }
  heldView.setUint32(heldEnd, size, true);
  const at = heldEnd + 4;
  heldEnd = end;
  return at;
}

/** The held BATCH's bytes, of their own; nothing is held after. */
function takeHeld(): ArrayBuffer {
  const bytes = heldBuffer.buffer.slice(0, heldEnd) as ArrayBuffer;
  heldEnd = 1;
  return bytes;
}

/** Where radioCommand wrote its command: the held buffer, or an array of its own to cross. */
let cmdBytes = heldBuffer;
let cmdView = heldView;

/**
 * A radio call: opcode, the worker's time and next timer id, node `node`, then `length` bytes
 * for the caller at the offset returned, in `cmdBytes`. Held (`idAfter` defined): in the held
 * BATCH, wrapped in HELD with what the worker assumed (xs-protocol.ts): the id sequence after
 * the call, whether the medium accepts it, and for an accepted frame the bound on its timer's
 * due time (`from`, after it if `after`). Otherwise in an array of its own, to cross.
 */
function radioCommand(op: number, node: number, length: number, idAfter?: number, accepted = false, from = -Infinity, after = false): number {
  let o = 0;
  if (idAfter === undefined) {
    cmdBytes = new Uint8Array(21 + length);
    cmdView = new DataView(cmdBytes.buffer);
  } else {
    o = holdRoom(HELD_HEADER_BYTES + 21 + length);
    cmdBytes = heldBuffer;
    cmdView = heldView;
    cmdBytes[o] = Command.HELD;
    cmdView.setFloat64(o + 1, idAfter, true);
    cmdBytes[o + 9] = accepted ? 1 : 0;
    cmdView.setFloat64(o + 10, from, true);
    cmdBytes[o + 18] = after ? 1 : 0;
    o += HELD_HEADER_BYTES;
  }
  cmdBytes[o] = op;
  cmdView.setFloat64(o + 1, clock.now(), true);
  cmdView.setFloat64(o + 9, clock.nextTimerId, true);
  cmdView.setUint32(o + 17, node, true);
  return o + 21;
}

/** Sends the held commands, then `cmd`; takes the id sequence and the host's next timer from the reply. Whether accepted. */
function cross(cmd: Uint8Array): boolean {
  let request = cmd.buffer as ArrayBuffer;
  if (heldEnd > 1) {
    const at = holdRoom(cmd.length); // may grow heldBuffer: read it after
    heldBuffer.set(cmd, at);
    request = takeHeld();
  }
  const reply = new DataView(xs.issueCommand(request));
  clock.skipTimerIds(reply.getFloat64(1, true));
  if (runningOn) {
    aheadDue = reply.getFloat64(9, true);
    aheadId = reply.getFloat64(17, true);
    frameFrom = Infinity;
  }
  return reply.getUint8(0) === 1;
}

/** While frames are held: whether the worker's next timer may come after one of their timers. */
function framesMayComeFirst(): boolean {
  const due = clock.nextDue;
  return due !== undefined && (due > frameFrom || (due === frameFrom && !frameAfter));
}

/**
 * A frame's timer bound falls this much short of what the medium computes, so that rounding
 * cannot put it after the timer (the host checks every held frame's).
 */
const FRAME_FLOOR_SLACK_MS = 1e-6;

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
 *
 * A call whose answer the worker knows is held (xs-protocol.ts): from the batch's outlook of
 * this node and what the node did since in the batch (frames it queued, sleep, wake), nothing
 * else changing on the host before the batch ends.
 */
class ProxyRadio implements Radio, AirRadio {
  readonly name: string;
  readonly bitrate: number;
  readonly schemaIds: readonly number[];
  readonly mtu: number;
  lastRssi = 0;
  /** SimRadio.lastLinkLoss of the frame being delivered (the RYLR-998 twin's SNR comes from it). */
  lastLinkLoss = 0;
  /** The host's medium reports each unicast's fate (xs-driver.ts forwards it while attached). */
  readonly reportsSent = true;
  onSent: ((mac: Uint8Array | undefined, delivered: boolean) => void) | undefined;
  readonly #index: number;
  /**
   * Its user hears each frame's fate (onSent): a Packager does; a RYLR-998 twin does not, and the
   * host then leaves the fates out (ATTACH 2) instead of sending a job each.
   */
  readonly #fates: boolean;
  /** Position among the worker's nodes: its byte in each batch's outlook. */
  readonly #slot: number;
  /** The longest frame the medium takes. */
  readonly #maxFrame: number;
  #onReceive: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined;
  /** The batch the fields below describe (batchNumber); they are read again in the next. */
  #batch = -1;
  /** The batch had an outlook. */
  #known = false;
  #up = false;
  #radioOn = false;
  #oneTimer = false;
  /** Frames it may still queue: exact at the batch's start, then a lower bound (a frame may start at once). */
  #room = 0;
  /** The end on air of its last frame (Medium's busyUntil), exact until it queues one in the batch. */
  #busyUntil = -Infinity;
  #busyKnown = false;
  /** Medium.frameTimerFloor. */
  readonly #floorMs: number;
  readonly #floorPerByteMs: number;
  /** The host's wake timer this radio's last sleep set (NaN: none known). */
  #wakeDue = NaN;
  #wakeId = NaN;

  constructor(index: number, slot: number, c: HostedNodeConfig['radio'], fates: boolean) {
    this.#index = index;
    this.#fates = fates;
    this.#slot = slot;
    this.name = c.name;
    this.bitrate = c.bitrate;
    this.schemaIds = c.schemaIds;
    this.mtu = c.mtu;
    this.#maxFrame = c.maxFrame;
    this.#floorMs = c.frameFloor?.fixedMs ?? 0;
    this.#floorPerByteMs = c.frameFloor?.perByteMs ?? 0;
  }

  get onReceive(): ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined {
    return this.#onReceive;
  }

  set onReceive(handler: ((frame: Uint8Array, mac: Uint8Array | undefined) => void) | undefined) {
    const was = this.#onReceive !== undefined;
    this.#onReceive = handler;
    if (was === (handler !== undefined)) return;
    const o = holdRoom(6);
    heldBuffer[o] = Command.ATTACH;
    heldView.setUint32(o + 1, this.#index, true);
    heldBuffer[o + 5] = handler === undefined ? 0 : this.#fates ? 1 : 2;
  }

  send(mac: Uint8Array, frame: Uint8Array): boolean {
    const fate = this.#fate(frame.length);
    const length = 1 + mac.length + frame.length;
    const o = fate === undefined ? radioCommand(Command.SEND, this.#index, length) : this.#heldFrame(Command.SEND, length, fate, frame.length);
    const bytes = cmdBytes;
    bytes[o] = mac.length;
    bytes.set(mac, o + 1);
    bytes.set(frame, o + 1 + mac.length);
    return fate ?? this.#cross(bytes);
  }

  broadcast(frame: Uint8Array): boolean {
    const fate = this.#fate(frame.length);
    const o = fate === undefined ? radioCommand(Command.BROADCAST, this.#index, frame.length) : this.#heldFrame(Command.BROADCAST, frame.length, fate, frame.length);
    const bytes = cmdBytes;
    bytes.set(frame, o);
    return fate ?? this.#cross(bytes);
  }

  /** Medium.sleep: radio off, its wake timer cleared, a new one set unless `ms` is ≤ 0 or infinite. */
  sleep(ms: number): void {
    this.#look();
    const id = clock.nextTimerId;
    const due = clock.now() + ms;
    const timer = ms > 0 && Number.isFinite(ms);
    const crosses = this.#wakeBounds();
    const o = crosses ? radioCommand(Command.SLEEP, this.#index, 8) : radioCommand(Command.SLEEP, this.#index, 8, timer ? id + 1 : id);
    cmdView.setFloat64(o, ms, true);
    if (crosses) {
      cross(cmdBytes);
    } else {
      clock.skipTimerIds(timer ? id + 1 : id);
      // The wake timer is the one new host timer: the horizon, if it comes first.
      if (runningOn && timer && (due < aheadDue || (due === aheadDue && id < aheadId))) {
        aheadDue = due;
        aheadId = id;
      }
    }
    this.#radioOn = false;
    this.#wakeDue = timer ? due : NaN;
    this.#wakeId = timer ? id : NaN;
  }

  /** Medium.wake: its wake timer cleared, radio on. */
  wake(): void {
    this.#look();
    if (this.#wakeBounds()) {
      radioCommand(Command.WAKE, this.#index, 0);
      cross(cmdBytes);
    } else {
      radioCommand(Command.WAKE, this.#index, 0, clock.nextTimerId);
    }
    this.#radioOn = true;
    this.#wakeDue = NaN;
    this.#wakeId = NaN;
  }

  deliver(frame: Uint8Array, mac: Uint8Array | undefined, rssi: number, linkLoss: number): void {
    this.lastRssi = rssi;
    this.lastLinkLoss = linkLoss;
    this.#onReceive?.(frame, mac);
  }

  /**
   * Whether the worker runs on up to this radio's wake timer: clearing it may put the host's next
   * timer later, which only the host can tell (a held call would stop the worker there).
   */
  #wakeBounds(): boolean {
    return runningOn && this.#wakeDue === aheadDue && this.#wakeId === aheadId;
  }

  /** Reads this node's outlook byte at its first call in a batch. */
  #look(): void {
    if (this.#batch === batchNumber) return;
    this.#batch = batchNumber;
    this.#known = outlook !== undefined;
    if (outlook === undefined) return;
    const b = outlook[this.#slot];
    outlookView ??= new DataView(outlook.buffer, outlook.byteOffset, outlook.byteLength);
    this.#busyUntil = outlookView.getFloat64(outlook.length / 9 + 8 * this.#slot, true);
    this.#busyKnown = true;
    this.#up = (b & Outlook.UP) !== 0;
    this.#radioOn = (b & Outlook.RADIO_ON) !== 0;
    this.#oneTimer = (b & Outlook.ONE_TIMER) !== 0;
    this.#room = b >> Outlook.ROOM_SHIFT;
  }

  /** Whether the medium accepts a frame of `length` bytes now (Medium.transmit); undefined: only the host can tell. */
  #fate(length: number): boolean | undefined {
    this.#look();
    if (!this.#known) return undefined;
    if (!this.#up || !this.#radioOn || length > this.#maxFrame) return false;
    return this.#room > 0 && this.#oneTimer ? true : undefined;
  }

  /**
   * A frame whose fate the worker knows, for holding: refused, it sets nothing; accepted, one
   * host timer, not before the bound taken here (Medium.transmitOutlook, frameTimerFloor): its
   * start on air at the queue's tail while that is later than now, else its delivery or
   * settling after its airtime, or a deferral after a busy channel. Once the node has queued a
   * frame in the batch, its queue's tail is only known to be later than now.
   */
  #heldFrame(op: number, length: number, accepted: boolean, frameLength: number): number {
    const id = clock.nextTimerId;
    if (!accepted) return radioCommand(op, this.#index, length, id, false);
    const now = clock.now();
    let from = now;
    let after = true;
    if (this.#busyKnown) {
      const floor = this.#floorMs + this.#floorPerByteMs * frameLength - FRAME_FLOOR_SLACK_MS;
      if (this.#busyUntil > now) {
        from = this.#busyUntil;
        after = false;
      } else if (floor > 0) {
        from = now + floor;
        after = false;
      }
    }
    this.#busyKnown = false;
    const o = radioCommand(op, this.#index, length, id + 1, true, from, after);
    clock.skipTimerIds(id + 1);
    this.#room--;
    if (runningOn) boundFrames(from, after);
    return o;
  }

  /** Sends a frame whose fate only the host knows; an accepted one takes a place in the queue. */
  #cross(cmd: Uint8Array): boolean {
    const accepted = cross(cmd);
    if (accepted) {
      this.#room--;
      this.#busyKnown = false;
    }
    return accepted;
  }
}

interface Hosted {
  readonly config: HostedNodeConfig;
  readonly nodeId: Uint8Array;
  readonly radio: ProxyRadio;
  node: SimNode | undefined;
  /** The radio this boot opened over `radio` (a RYLR-998 driver on its twin), as InprocDriver's. */
  boot: BootRadio | undefined;
}

/** This worker's nodes, in hosting order (views and stats answer in this order). */
const hosted = new Map<number, Hosted>();

/**
 * RYLR-998 nodes (init's `rylr998`): each boot's radio, made as in-process (simulator/rylr998/
 * twin.ts) over the node's proxy, and the drivers' counters over the boots, for the report.
 */
let twins: ((index: number, air: AirRadio, platform: Platform) => BootRadio) | undefined;
const radioTally = new RadioTally();

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

/** InprocDriver.shutdown: the node, then the radio its boot opened. */
function shutdown(h: Hosted): void {
  h.node?.shutdown();
  h.node = undefined;
  h.boot?.close();
  h.boot = undefined;
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
      if (job.rylr998) twins = rylr998Twins(job.rylr998.radio, job.rylr998.lora, radioTally);
      for (const c of job.nodes) {
        const radio = new ProxyRadio(c.index, hosted.size, c.radio, twins === undefined);
        hosted.set(c.index, { config: c, nodeId: hexBytes(c.nodeId, 'node id'), radio, node: undefined, boot: undefined });
      }
      growSlotHeap(job.nodes.length * HEADROOM_SLOTS_PER_NODE);
      return;
    case 'boot': {
      // InprocDriver.boot: shut the old node down, then a fresh one on the same radio.
      const h = hostedNode(job.i);
      shutdown(h);
      const platform = platformOf(`n${job.i}`, new SeededRandom(job.seed));
      const c = h.config;
      const appMains = (globalThis as Record<string, unknown>)[MODULE_APPS_GLOBAL] as Record<string, AppMain> | undefined;
      h.boot = twins?.(c.index, h.radio, platform);
      h.node = new SimNode({ index: c.index, nodeId: h.nodeId, platform, hashes, radio: h.boot?.radio ?? h.radio, options: c.options, events, apps: c.apps, appMains });
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
      hostedNode(job.i).radio.deliver(job.frame, job.mac === null ? undefined : job.mac, job.rssi, job.linkLoss);
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
    case 'radio': {
      const counters: (Record<string, number> | null)[] = [];
      for (const h of hosted.values()) counters.push(radioTally.counters(h.config.index) ?? null);
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
  batchNumber++;
  outlook = batch.outlook;
  // The horizon is set before the jobs run: their radio calls already bring it nearer.
  // Index reads and an index loop: a destructuring or a for-of walks an iterator on XS.
  const ahead = batch.ahead;
  if (ahead) {
    runningOn = true;
    aheadDue = ahead[0];
    aheadId = ahead[1];
    aheadLimit = ahead[2];
  }
  try {
    const jobs = batch.jobs;
    for (let j = 0; j < jobs.length; j++) run(jobs[j]);
    // Nothing else waits on the host: run on to its next timer, the id order deciding ties. A
    // crossed call brings the horizon nearer (cross() reads it), a held sleep too: read it every
    // turn. A held frame's timer may come before it, not before its bound: the worker stops at
    // the first of its timers that may come after one (asking the host where the horizon went
    // would cost a round trip each time; stopping costs a batch for the timer, only when it
    // comes before the host's next). Ids are whole numbers: "before id" is "through id - 1"; a
    // timer past the step limit is not fired (step's limit).
    while (runningOn) {
      if (frameFrom !== Infinity && framesMayComeFirst()) break;
      if (!clock.stepThrough(aheadDue, aheadId - 1, aheadLimit)) break;
      timersRun++;
    }
  } finally {
    runningOn = false;
    aheadDue = -Infinity;
    frameFrom = Infinity;
    outlook = undefined;
    outlookView = undefined;
  }
  // Outputs: first what is still held (the host applies it before the rest, at the times and ids
  // it carries), then the id sequence after the batch and the worker's next timer.
  const next = clock.peekNext();
  out.unshift(['k', clock.nextTimerId, next ? next.due : null, next ? next.id : null]);
  if (heldEnd > 1) out.unshift(['c', nativeBase64.encode(takeHeld())]);
  const text = JSON.stringify(out);
  out = [];
  return text;
};
