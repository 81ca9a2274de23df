/**
 * Our own blobs on their way out (protocol.md §4.4–§4.5): a broadcast on every interface (or
 * one), or a unicast to a node, framed on the schema with the largest body every link carries,
 * as a sequence when the Package does not fit one packet. Refusals are counted as
 * `send_refused_<code>`.
 */
import { retryWaitPeriods } from './retry-backoff.js';
import { compactFrame } from '../wire/compact-frame.js';
import { Metric } from '../wire/constants.js';
import { hasFlag, setFlag } from '../wire/flags.js';
import { ascendingSchemaIds, frameBlob, intersectSchemaIds } from '../wire/outbound.js';
import { SCHEMA_IDS } from '../wire/schemas.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { PackagerContext } from './context.js';
import type { Forwarding } from './forwarding.js';
import { isForeignSource } from './borders.js';
import type { Neighbours } from './neighbours.js';
import type { Destination, OutboundPacket, OwnWay, SendTarget } from './outbound-store.js';
import type { Timings } from './options.js';
import type { Radio } from './radio.js';
import type { Reliability } from './reliability.js';
import { WakeQueue } from './wake-queue.js';
import { HeldSends, type HeldSend } from './held-sends.js';
import { BroadcastPacer } from './broadcast-pacing.js';
import { SendSpread } from './send-spread.js';
import type { AttachedInterface } from './attached.js';
import type { Peer } from './peer.js';
import { toHex } from '../wire/bytes.js';

export interface SendOptions {
  /** Routing metric for routed sends; carried in flags.mode so relays use it too (fix). */
  readonly metric?: Metric;
  /** Retries after the first attempt (default: timings.sendRetryCount). */
  readonly retries?: number;
  /**
   * Send a single packet once without asking the destination for an ack: for an app whose
   * receiver answers it anyway (Hello's probe), where the ack would be one more frame each way.
   */
  readonly unacked?: boolean;
}

/** A retry of a message already sent: it keeps the message's packet_id and number. */
export interface RetryOf {
  readonly packetId: number;
  readonly message: number;
  /** The hop the last copy took (outbound-store.ts): this one goes around it. */
  readonly way?: OwnWay;
  /** Copies of the message sent before this one (retry-backoff.ts). */
  readonly copies?: number;
}

export interface SendReport {
  /** -1 (and no frames) while the message waits for a way into its target's tree (held-sends.ts). */
  readonly schemaId: number;
  readonly frames: number;
  readonly sequence: boolean;
  /**
   * The message's local number (unicast only): the `message_acked` / `message_failed` events
   * name it when the destination acknowledged it or when the Packager gave up.
   */
  readonly message?: number;
}

const UNACKED = Object.freeze({ unacked: true });

export class Sending {
  readonly #ctx: PackagerContext;
  readonly #neighbours: Neighbours;
  readonly #forwarding: Forwarding;
  readonly #reliability: Reliability;
  readonly #askEveryFragment: boolean;
  /** Our broadcasts made while the aligned modem sleep has the radio off (docs/sleep.md). */
  readonly wakeQueue: WakeQueue;
  /** Broadcasts on slow interfaces, one per app per spacing (broadcast-pacing.ts). */
  readonly pacer: BroadcastPacer;
  /** Apps (id hex) whose broadcasts go with priority (Radio.broadcast; SpanningTree `advert_priority`); made on first use (issue 21). */
  priorityApps: Set<string> | undefined;
  /** Routed messages held a random time (Timings `sendSpreadMs`); no slot until the first (issue 21). */
  declare private spread: SendSpread | undefined;
  /** Our messages waiting for a way into their target's tree (held-sends.ts); no slot until the first. */
  declare private held: HeldSends | undefined;
  /** Apps (id hex) whose broadcast sequences ask no acks (Packager.unackedBroadcasts); made on first use. */
  declare unackedApps: Set<string> | undefined;

  constructor(ctx: PackagerContext, neighbours: Neighbours, forwarding: Forwarding, reliability: Reliability, askEveryFragment: boolean) {
    this.#ctx = ctx;
    this.#neighbours = neighbours;
    this.#forwarding = forwarding;
    this.#reliability = reliability;
    this.#askEveryFragment = askEveryFragment;
    this.wakeQueue = new WakeQueue(ctx);
    this.pacer = new BroadcastPacer(ctx, this, neighbours);
  }
  /** Forget what waits: broadcasts held for the radios to wake, and the paced ones (Packager.reset). */
  clear(): void {
    this.wakeQueue.clear();
    this.pacer.clear();
    this.held?.clear();
  }

  /** Broadcasts of the app `key` (id hex) go with priority, or no longer; at most 8 apps (false past that). */
  prioritize(key: string, on: boolean): boolean {
    if (!on) return this.priorityApps?.delete(key) ?? false;
    const apps = (this.priorityApps ??= new Set());
    if (!apps.has(key) && apps.size >= 8) return false;
    apps.add(key);
    return true;
  }

  /** Broadcast sequences of the app `key` (id hex) ask no fragment acks, or do again. */
  leaveUnacked(key: string, on: boolean): void {
    if (!on) this.unackedApps?.delete(key);
    else (this.unackedApps ??= new Set()).add(key);
  }


  broadcast(appId: Uint8Array, blob: Uint8Array, radio?: Radio, compact = false): Result<SendReport> {
    const ctx = this.#ctx;
    if (ctx.hooks.has('broadcast')) ctx.hooks.call('broadcast', appId, blob, radio);
    ctx.skipSleep();
    const all = this.#neighbours.interfaces;
    const ifaces = radio ? all.filter((i) => i.radio === radio) : all;
    if (ifaces.length === 0) return fail('no_interface', radio ? 'that radio is not attached' : 'no interface is attached');
    // Interfaces that share no schema (a bridge's ESP-NOW 0–10 and RYLR-998 20–30): the blob is
    // framed for each one alone (upstream would find no schema and send nothing).
    // The shared ids are worked out once a broadcast: an intersection costs XS a native
    // `includes` call per id and list, for every frame a node with a loopback broadcasts.
    const ids = sharedSchemaIds(ifaces);
    if (ifaces.length > 1 && ids.length === 0) {
      let report: Result<SendReport> | undefined;
      for (const iface of ifaces) {
        const r = this.broadcastOn(appId, blob, [iface], iface.radio.schemaIds, compact);
        if (r.ok || !report) report = r;
      }
      return report as Result<SendReport>;
    }
    return this.broadcastOn(appId, blob, ifaces, ids, compact);
  }

  /** Frame `blob` for every interface of `ifaces` (they share the schemas `ids`) and put it on each. */
  private broadcastOn(appId: Uint8Array, blob: Uint8Array, ifaces: readonly AttachedInterface[], ids: readonly number[], compact: boolean): Result<SendReport> {
    const ctx = this.#ctx;
    const freshSeq = ctx.freshSeqId();
    const unacked = this.unackedApps !== undefined && this.unackedApps.has(toHex(appId));
    const framed = frameBlob(ctx.platform, 'broadcast', ids, appId, blob, { packetId: ctx.packetId, seqId: ctx.seqId }, undefined, unacked ? UNACKED : undefined);
    if (!framed.ok) return this.#refused(framed);
    const { schema, sequence } = framed.value;
    const frames = compact ? this.compacted(framed.value.frames) : framed.value.frames;
    if (frames.length > 1 && !freshSeq) return this.#refused(busySeq());
    if (sequence) this.#reliability.rememberSequence(ctx.nextSeqId(), frames, { kind: 'broadcast' }, new Uint8Array(frames.length), 0, 0);
    let appKey: string | undefined;
    if (this.priorityApps !== undefined && this.priorityApps.size > 0) appKey = toHex(appId);
    const priority = appKey !== undefined && this.priorityApps!.has(appKey);
    // Index loops: a for-of makes an iterator object on XS, and every broadcast runs these.
    for (let k = 0; k < ifaces.length; k++) {
      const iface = ifaces[k];
      // Per interface: apps kept off it, and a slow one's own pace (a bridge's LoRa).
      if (iface.quietApps.length > 0 || iface.timings.broadcastSpacingMs > 0) {
        appKey ??= toHex(appId);
        if (iface.quietApps.includes(appKey) || !this.pacer.offer(iface, appKey, frames)) continue;
      }
      for (let j = 0; j < frames.length; j++) this.broadcastFrame(iface.radio, frames[j], priority);
    }
    return ok({ schemaId: schema.id, frames: frames.length, sequence });
  }

  /** `again`: a message held for a way (held-sends.ts) tried again, with its number and tries left. */
  send(appId: Uint8Array, blob: Uint8Array, target: SendTarget, options: SendOptions = {}, retryOf?: RetryOf, again?: HeldSend): Result<SendReport> {
    const ctx = this.#ctx;
    if (!again && ctx.hooks.has('send')) ctx.hooks.call('send', appId, blob, target.nodeId, target.address);
    // An end-to-end identity that survives retries: the same packet_id (our receivers key
    // duplicates by origin, packet_id and body), and ids no receiver may still remember.
    const freshPacket = ctx.freshPacketId();
    const freshSeq = ctx.freshSeqId();
    const metric = options.metric ?? Metric.dTree;
    const retries = options.retries ?? ctx.timings.sendRetryCount;
    const way: OwnWay = retryOf?.way ?? {};
    const plan = this.#forwarding.plan(target, metric, way);
    if (!plan.ok && plan.error.code === 'no_route' && target.nodeId) ctx.hooks.call('route_missing', target.nodeId);
    if (!plan.ok && plan.error.code === 'no_address' && !retryOf && options.unacked !== true && this.#neighbours.newInTree()) {
      // Not into the target's tree yet, moments after we booted or took our tree (cut off until
      // it merges back): the message waits as its retries would have (held-sends.ts).
      const held = (this.held ??= new HeldSends(ctx, (h) => this.send(h.appId, h.blob, h.target, { metric: h.metric, retries: h.retries }, undefined, h)));
      const number = held.hold(appId, blob, target, metric, retries, again ? again.tries : retries, again?.message);
      if (number !== undefined) return ok({ schemaId: -1, frames: 0, sequence: false, message: number });
    }
    if (!plan.ok) return this.#refused(plan);
    const { dest, purpose, ids, route, via } = plan.value;
    // An app kept off an interface (a bridge's Gossip on LoRa) does not talk to a neighbour there.
    const direct = dest.kind === 'peer' ? dest.peer.bestLink() : undefined;
    if (direct && direct.iface.quietApps.length > 0 && direct.iface.quietApps.includes(toHex(appId))) {
      return this.#refused(fail('no_interface', 'this app is kept off the interface that reaches that neighbour (quietApps)'));
    }
    const framed = frameBlob(
      ctx.platform,
      purpose,
      ids,
      appId,
      blob,
      { packetId: retryOf?.packetId ?? ctx.packetId, seqId: ctx.seqId },
      route,
      { dcpl: purpose === 'routed' && metric === Metric.dCPL, askEveryFragment: this.#askEveryFragment },
    );
    if (!framed.ok) return this.#refused(framed);
    const { schema, frames, sequence } = framed.value;
    if (sequence) {
      const awaiting = new Uint8Array(frames.length);
      let bytes = 0;
      for (let i = 0; i < frames.length; i++) {
        awaiting[i] = hasFlag(frames[i][3], 'ask') ? 1 : 0;
        bytes += frames[i].length;
      }
      if (!freshSeq) return this.#refused(busySeq());
      const windowed = awaiting.every((a) => a === 1);
      // Back-pressure: refuse now rather than evict a blob still on its way.
      if (windowed && this.#reliability.busy(bytes)) return this.#refused(fail('busy', 'every outbound sequence slot is still sending: try again later'));
      const message = retryOf?.message ?? again?.message ?? ctx.nextMessageNumber();
      const seq = this.#reliability.rememberSequence(ctx.nextSeqId(), frames, dest, awaiting, retries, message);
      if (windowed) {
        // Paced by the acks: the transmit and peer queues never hold more than the window.
        this.#reliability.startFlow(seq, via);
      } else {
        // Upstream's sampled acks (askEveryFragment: false) cannot pace a window: all at once.
        let timings = ctx.timings;
        for (const f of frames) timings = this.#forwarding.toDestination(f, dest, via)?.iface.timings ?? timings;
        this.#reliability.scheduleSequenceRetry(seq.seqId, timings.sendRetryDelayMs);
      }
      return ok({ schemaId: schema.id, frames: frames.length, sequence, message });
    }
    // Into a tree reached through a border: no address of ours there for an ack to come back
    // to (borders.ts), so the packet goes once without asking for one (docs/routing.md). Nor a
    // routed one when its first hop's interface says so (LoRa under a duty limit below 2 %: the
    // ack would cross every hop back); a direct send keeps its ack, its one hop's retry.
    // A routed message's first hop's interface (read once: its timings decide acks and spread).
    const routed = dest.kind === 'routed';
    const firstIface = routed ? via?.bestLink()?.iface : undefined;
    const firstHop = firstIface?.timings ?? ctx.timings;
    const unacked = routed && this.unackedFor(firstHop, firstIface);
    if ((route && isForeignSource(route.from)) || unacked || options.unacked === true) {
      if (unacked) ctx.counters.inc('tx_unicast_unacked');
      frames[0][3] = setFlag(frames[0][3], 'ask', false);
      const spreadMs = unacked ? firstHop.sendSpreadMs : 0;
      if (spreadMs > 0) this.spreadSend(frames[0], dest, via, spreadMs);
      else this.#forwarding.toDestination(frames[0], dest, via);
      if (!retryOf) ctx.packetId = (ctx.packetId + 1) & 0xff;
      return ok({ schemaId: schema.id, frames: 1, sequence, message: retryOf?.message ?? again?.message ?? ctx.nextMessageNumber() });
    }
    // fix: a full cache of unacked packets refuses the send instead of evicting (and so silently
    // losing) one still waiting for its ack.
    if (!retryOf && !freshPacket) return this.#refused(fail('busy', 'every packet id is still held by recent messages: try again later'));
    if (!retryOf && this.#reliability.packetsFull()) return this.#refused(fail('busy', 'every outbound packet slot waits for an ack: try again later'));
    const packetId = retryOf?.packetId ?? ctx.packetId;
    const message = retryOf?.message ?? again?.message ?? ctx.nextMessageNumber();
    const copies = retryOf?.copies ?? 0;
    const entry: OutboundPacket = { frame: frames[0], dest, appId: appId.slice(), blob: blob.slice(), target, metric, retries, acked: false, packetId, message, way, copies: copies + 1 };
    this.#reliability.rememberPacket(packetId, entry);
    // A routed message's first attempt is spread like an unacked one's (send-spread.ts), its
    // retry counted from when it leaves; retries go at once, after their own jittered delay.
    const spreadMs = routed && !retryOf ? firstHop.sendSpreadMs : 0;
    let heldMs = 0;
    let timings = firstHop;
    if (spreadMs > 0) heldMs = this.spreadSend(frames[0], dest, via, spreadMs);
    // Retries wait as long as the first hop's interface needs (LoRa: seconds; ESP-NOW: 2 s).
    else timings = this.#forwarding.toDestination(frames[0], dest, via)?.iface.timings ?? ctx.timings;
    ctx.holdPacketId(packetId, timings, heldMs);
    // After transmitting, as upstream: an RNS sent meanwhile for a sleeping peer takes the same id.
    if (!retryOf) ctx.packetId = (ctx.packetId + 1) & 0xff;
    // Each wait doubles while copies may follow (retry-backoff.ts); after the last, one period for its ack.
    this.#reliability.scheduleRetry(packetId, timings, heldMs, retries > 0 ? retryWaitPeriods(copies, timings.sendRetryMaxBackoff) : 1);
    return ok({ schemaId: schema.id, frames: frames.length, sequence, message });
  }

  /** `frames` as they go on air compact, each where that is shorter (counted as tx_compact). */
  private compacted(frames: readonly Uint8Array[]): Uint8Array[] {
    return frames.map((f) => {
      const c = compactFrame(this.#ctx.platform, f);
      if (!c) return f;
      this.#ctx.counters.inc('tx_compact');
      return c;
    });
  }

  /** One frame of our broadcast on `radio` now (also when the pacer releases a held one). */
  broadcastFrame(radio: Radio, f: Uint8Array, priority = false): void {
    const ctx = this.#ctx;
    // Asleep in the aligned cycle: the neighbours on our schedule sleep too; send in our window.
    if (ctx.ownSleep?.holdsBroadcast() === true) {
      this.wakeQueue.push(radio, f);
      ctx.ownSleep.broadcastHeld();
    } else if (priority ? radio.broadcast(f, true) : radio.broadcast(f)) {
      ctx.counters.inc('tx_frames');
      ctx.ownSleep?.frameHanded();
      ctx.ownSleep?.echoForUpstream(() => this.wakeQueue.send(radio, f));
    } else ctx.counters.inc('radio_refused');
  }

  /** `frame` to its first hop at a random time within `spreadMs` (send-spread.ts); how long it is held. */
  private spreadSend(frame: Uint8Array, dest: Destination, via: Peer | undefined, spreadMs: number): number {
    return (this.spread ??= new SendSpread(this.#ctx, this.#forwarding, this.#neighbours)).send(frame, dest, via, spreadMs);
  }

  /**
   * Whether a routed single packet goes without asking for an end-to-end ack: when its first
   * hop's interface (`iface`, with timings `t`) says so (`endToEndAcks` 0), or while that radio
   * has spent more of its duty hour than `endToEndAckDutyMs` (an ack and its retries cost about
   * as much air again as the message; docs/lora.md "Session 27").
   */
  private unackedFor(t: Timings, iface: AttachedInterface | undefined): boolean {
    if (t.endToEndAcks === 0) return true;
    if (!(t.endToEndAckDutyMs > 0)) return false;
    const radio = iface?.radio ?? this.#neighbours.interfaces.find((i) => i.radio.dutyUsedMs !== undefined)?.radio;
    if ((radio?.dutyUsedMs?.() ?? 0) <= t.endToEndAckDutyMs) return false;
    this.#ctx.counters.inc('tx_unacked_duty');
    return true;
  }

  #refused<T>(r: Result<unknown>): Result<T> {
    if (!r.ok) this.#ctx.counters.inc(`send_refused_${r.error.code}`);
    return r as Result<T>;
  }
}

/**
 * The schema ids every interface of `ifaces` offers. One interface gives its own list as it is:
 * the map and the intersection's copy cost on XS for every broadcast frame. So does a radio
 * beside the loopback (a node's first interface, offering every schema) when its list is
 * ascending and all known schemas (ascendingSchemaIds): what the intersection would give.
 */
function sharedSchemaIds(ifaces: readonly AttachedInterface[]): readonly number[] {
  if (ifaces.length === 1) return ifaces[0].radio.schemaIds;
  const other = ifaces.length === 2 && ifaces[0].radio.schemaIds === SCHEMA_IDS ? ifaces[1].radio.schemaIds : undefined;
  return other !== undefined && ascendingSchemaIds(other) ? other : intersectSchemaIds(ifaces.map((i) => i.radio.schemaIds));
}

function busySeq(): Result<never> {
  return fail('busy', 'every sequence id is still held by recent sequences: try again later');
}
