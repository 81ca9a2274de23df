/**
 * Ping (protocol.md §6.4): round-trip measurements, routed (dTree or dCPL) or over Gossip.
 *
 * A REQUEST carries the requester's id, address and send time ts1; the target answers with a
 * RESPOND carrying its own time ts2, routed back to the requester's address with the same
 * metric; the requester stamps ts3 on arrival and keeps the last 10 answers. The gossip variant
 * publishes GOSSIP_REQUEST on the target's ping topic SHA-256(Ping id ‖ target id)[:16] and the
 * answer on the requester's topic; `start` subscribes to this node's own topic.
 *
 * A ping test (`ping`, `gossipPing`) sends `count` requests one second apart, all with one
 * nonce, and builds upstream's report at (timeout + count) s from the answers with that nonce.
 * Reports go to the app hook `report`, to the test's `callback`, and to a bounded list. The
 * console's `ping`/`gossip_ping` (modules/console/commands/ping.ts) start these tests; the app
 * has no console commands of its own.
 *
 * Timestamps are u64 milliseconds of the platform clock; only differences on one clock are
 * meaningful (there/back mix two nodes' clocks, as upstream).
 */
import { MeshApp } from './app.js';
import { Gossip } from './gossip.js';
import { AddressWaits, type WaitingRequest } from './ping-wait.js';
import { PingOp, parsePing, serializePing, type PingMessage } from '../wire/messages/ping.js';
import { nodeTopic } from '../wire/messages/gossip.js';
import { Address } from '../wire/address.js';
import { Metric, ADDRESS_BYTES, NODE_ID_BYTES } from '../wire/constants.js';
import { toHex } from '../wire/bytes.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';
import type { SendReport } from '../packager/packager.js';

export interface PingParams {
  /** Answers kept until a report consumes them (upstream deque of 10). */
  responses_limit: number;
  /** Reports kept for `reports()`. */
  reports_limit: number;
  /** Defaults of a ping test: requests, and seconds to wait after the last one. */
  count: number;
  timeout_s: number;
  /** The console's timeout (upstream's console passes 2). */
  console_timeout_s: number;
  /** Delay between the requests of a test (upstream: 1 s). */
  interval_ms: number;
}

export const PING_DEFAULTS: Readonly<PingParams> = Object.freeze({
  responses_limit: 10,
  reports_limit: 10,
  count: 4,
  timeout_s: 5,
  console_timeout_s: 2,
  interval_ms: 1000,
});

/** min / max / average of one delay over the answers, in ms. */
export interface PingStats {
  readonly min: number;
  readonly max: number;
  readonly avg: number;
}

/** Upstream's report (keys as upstream). `remote` is the hex node id or the address text. */
export type PingReport =
  | {
      readonly mode: string;
      readonly remote: string;
      readonly count: number;
      readonly expected_count: number;
      readonly success_rate: string;
      readonly there: PingStats; // ts2 − ts1
      readonly back: PingStats; // ts3 − ts2
      readonly round_trip: PingStats; // ts3 − ts1
    }
  | {
      readonly error: 'no responses';
      readonly remote: string;
      readonly mode: string;
      readonly expected_count: number;
      readonly success_rate: '0%';
    };

export type PingTarget = Uint8Array | Address;

export interface PingTestOptions {
  /** A 32-byte node id or an address. */
  readonly target: PingTarget;
  readonly count?: number;
  readonly timeoutS?: number;
  readonly metric?: Metric;
  /** Progress lines and the final report (upstream's `callback`). */
  readonly callback?: (event: string | PingReport) => void;
}

export interface GossipPingTestOptions {
  readonly nodeId: Uint8Array;
  readonly count?: number;
  readonly timeoutS?: number;
  readonly callback?: (event: string | PingReport) => void;
}

/** A scheduled ping test. */
export interface PingTest {
  readonly nonce: number;
  readonly mode: string;
  readonly count: number;
  readonly remote: PingTarget;
  /** Event ids of the requests then the report (cancel them with `packager.cancel`). */
  readonly eventIds: readonly string[];
  /** Platform ms at which the report is built. */
  readonly reportAt: number;
}

export class Ping extends MeshApp<PingParams> {
  readonly #hashes: Hashes;
  /** Answers with ts3 stamped, oldest first (bounded by responses_limit). */
  // Made on the first response or report: most nodes are never pinged (an array is 32 B on XS).
  #responses: PingMessage[] | undefined;
  #reports: PingReport[] | undefined;
  /** Requests made while we held no address (ping-wait.ts). A property set with the first: none until then (a slot, 16 B on XS). */
  declare private waits: AddressWaits | undefined;

  constructor(hashes: Hashes, params: Partial<PingParams> = {}) {
    super(hashes, 'Ping', 'Dev Ping App', 0, PING_DEFAULTS, params);
    this.#hashes = hashes;
  }

  protected override exposeCallbacks(): void {
    // Upstream's callback names (protocol.md §6.4).
    this.expose('request', (target: PingTarget, metric?: Metric) => this.request(target, metric));
    this.expose('respond', (pm: PingMessage) => this.respond(pm));
    this.expose('response_received', (pm: PingMessage) => this.responseReceived(pm));
    this.expose('gossip_request', (nodeId: Uint8Array) => this.gossipRequest(nodeId));
    this.expose('gossip_respond', (pm: PingMessage) => this.gossipRespond(pm));
    this.expose('gossip_response_received', (pm: PingMessage) => this.responseReceived(pm));
    this.expose('serialize', (pm: PingMessage) => serializePing(pm));
    this.expose('deserialize', (blob: Uint8Array) => parsePing(blob));
    this.expose('start', () => this.subscribe());
    this.expose('stop', () => this.unsubscribe());
    this.expose('list_routes', () => this.packager.routes.map((r) => ({ node_id: r.nodeKey, address: r.address.toString() })));
    this.expose('ping', (o: PingTestOptions) => this.ping(o));
    this.expose('gossip_ping', (o: GossipPingTestOptions) => this.gossipPing(o));
    this.expose('report_ping_test', (nonce: number, mode: string, expected: number, remote: PingTarget) => this.reportPingTest(nonce, mode, expected, remote));
    this.expose('get_ping_responses', () => this.responses());
  }

  protected override onStart(): void {
    this.subscribe();
  }

  protected override onStop(): void {
    this.unsubscribe();
    this.waits?.clear();
    const prefix = this.eventId('');
    for (const id of this.packager.scheduledIds()) if (id.startsWith(prefix)) this.packager.cancel(id);
  }

  // ------------------------------------------------------------------ single requests

  /**
   * Send a routed REQUEST to a node id (direct if a peer, else its known route) or an address.
   * While this node holds no address the request waits for one (ping-wait.ts): the message
   * returned then carries no address (tree state 0, zero bytes) and goes, ts1 stamped anew, the
   * moment one is taken, or is given up after the Packager's retry span. Fails when the target is
   * malformed, the Packager refuses, or too many requests wait already (`no_address`).
   */
  request(target: PingTarget, metric: Metric = Metric.dTree, nonce?: number): Result<PingMessage> {
    if (!(target instanceof Address) && !isNodeId(target)) return fail('bad_argument', 'ping target must be a 32-byte node id or an Address');
    const own = this.packager.address;
    const pm: PingMessage = {
      op: PingOp.REQUEST,
      nonce: nonce ?? this.#nonce(),
      metric,
      ts1: this.#now(),
      ts2: 0n,
      ts3: 0n,
      treeState: own ? own.treeState : 0,
      address: own ? own.bytes : new Uint8Array(ADDRESS_BYTES),
      nodeId: this.packager.nodeId,
    };
    if (!own) {
      const waits = (this.waits ??= new AddressWaits(this.packager, this, this.eventId('wait'), (w) => this.sendWaiting(w)));
      return waits.hold(target, metric, pm.nonce) ? ok(pm) : fail('no_address', 'ping needs this node to have an address (the answer is routed to it), and 4 requests wait for one already');
    }
    const blob = serializePing(pm);
    if (!blob.ok) return blob as Result<never>;
    const sent = this.packager.send(this.id, blob.value, target instanceof Address ? { address: target } : { nodeId: target }, { metric });
    return sent.ok ? ok(pm) : (sent as Result<never>);
  }

  /** A request that waited for our address, made now that we hold one (its refusal counted). */
  private sendWaiting(w: WaitingRequest): void {
    if (!this.request(w.target, w.metric, w.nonce).ok) this.packager.counters.inc('ping_wait_failed');
  }

  /** Answer a REQUEST: same nonce/metric/ts1/requester fields, ts2 = now, routed back. */
  respond(pm: PingMessage): Result<SendReport> {
    const to = Address.fromBytes(pm.treeState, pm.address);
    if (!to.ok) return to as Result<never>;
    const blob = serializePing({ ...pm, op: PingOp.RESPOND, ts2: this.#now(), ts3: 0n });
    if (!blob.ok) return blob as Result<never>;
    return this.packager.send(this.id, blob.value, { nodeId: pm.nodeId, address: to.value }, { metric: pm.metric === Metric.dCPL ? Metric.dCPL : Metric.dTree });
  }

  /** Keep a copy of an answer with ts3 = now (RESPOND and GOSSIP_RESPOND alike). */
  responseReceived(pm: PingMessage): void {
    (this.#responses ??= []).push({ ...pm, address: pm.address.slice(), nodeId: pm.nodeId.slice(), ts3: this.#now() });
    while (this.#responses.length > this.params.responses_limit) this.#responses.shift();
  }

  /**
   * Publish a GOSSIP_REQUEST on the target's ping topic. Fails without a Gossip app. Unlike
   * upstream, a node without an address may gossip-ping (address fields are then zero).
   */
  gossipRequest(nodeId: Uint8Array, nonce?: number): Result<PingMessage> {
    const gossip = this.gossip();
    if (!gossip) return fail('no_route', 'gossip ping needs the Gossip app on this node');
    if (!isNodeId(nodeId)) return fail('bad_argument', 'gossip ping target must be a 32-byte node id');
    this.subscribe(); // in case Gossip was added after we started
    const own = this.packager.address;
    const pm: PingMessage = {
      op: PingOp.GOSSIP_REQUEST,
      nonce: nonce ?? this.#nonce(),
      metric: 0,
      ts1: this.#now(),
      ts2: 0n,
      ts3: 0n,
      treeState: own?.treeState ?? 0,
      address: own?.bytes ?? new Uint8Array(ADDRESS_BYTES),
      nodeId: this.packager.nodeId,
    };
    const blob = serializePing(pm);
    if (!blob.ok) return blob as Result<never>;
    gossip.publish(this.topic(nodeId), blob.value);
    return ok(pm);
  }

  /** Answer a GOSSIP_REQUEST on the requester's topic. False without a Gossip app. */
  gossipRespond(pm: PingMessage): boolean {
    const gossip = this.gossip();
    if (!gossip) return false;
    const blob = serializePing({ ...pm, op: PingOp.GOSSIP_RESPOND, ts2: this.#now(), ts3: 0n });
    if (!blob.ok) return false;
    return gossip.publish(this.topic(pm.nodeId), blob.value);
  }

  /** A node's ping topic: SHA-256(Ping id ‖ node id)[:16]. */
  topic(nodeId: Uint8Array): Uint8Array {
    return nodeTopic(this.#hashes, this.id, nodeId);
  }

  /** Stored answers, oldest first (copies). */
  responses(): PingMessage[] {
    return this.#responses ? this.#responses.slice() : [];
  }

  /** Reports built so far, oldest first. */
  reports(): PingReport[] {
    return this.#reports ? this.#reports.slice() : [];
  }

  // ------------------------------------------------------------------ ping tests

  /** Schedule `count` routed requests 1 s apart and the report at (timeout + count) s. */
  ping(options: PingTestOptions): Result<PingTest> {
    const { target, callback } = options;
    if (!(target instanceof Address) && !isNodeId(target)) return fail('bad_argument', 'ping target must be a 32-byte node id or an Address');
    const metric = options.metric ?? Metric.dTree;
    const mode = metric === Metric.dTree ? 'routed dTree' : metric === Metric.dCPL ? 'routed dCPL' : 'unknown metric';
    const label = target instanceof Address ? target.toString() : toHex(target);
    const send = (nonce: number) => {
      const waits = !this.packager.address;
      const r = this.request(target, metric, nonce);
      callback?.(`ping request to ${label} ` + (r.ok ? (waits ? 'waiting for this node to take an address' : 'sent') : `failed to send (${r.error.message})`));
    };
    const test = this.schedule(target instanceof Address ? target.bytes : target, PingOp.REQUEST, mode, target, options, send);
    if (test.ok) callback?.('ping test started'); // the first request goes out on the next timer tick
    return test;
  }

  /** Schedule `count` gossip requests 1 s apart and the report at (timeout + count) s. */
  gossipPing(options: GossipPingTestOptions): Result<PingTest> {
    const { nodeId, callback } = options;
    if (!isNodeId(nodeId)) return fail('bad_argument', 'gossip ping target must be a 32-byte node id');
    if (!this.gossip()) return fail('no_route', 'gossip ping needs the Gossip app on this node');
    const send = (nonce: number) => {
      const r = this.gossipRequest(nodeId, nonce);
      callback?.(r.ok ? 'gossip ping request sent' : `gossip ping request failed (${r.error.message})`);
    };
    const test = this.schedule(nodeId, PingOp.GOSSIP_REQUEST, 'gossip', nodeId, options, send);
    if (test.ok) callback?.('gossip ping test started');
    return test;
  }

  /**
   * Build upstream's report from the stored answers carrying `nonce` (they are consumed; the
   * others stay), emit it on the `report` hook and keep it.
   */
  reportPingTest(nonce: number, mode: string, expectedCount: number, remote: PingTarget): PingReport {
    const all = this.#responses ?? [];
    const mine = all.filter((r) => r.nonce === nonce);
    const rest = all.filter((r) => r.nonce !== nonce);
    all.length = 0;
    all.push(...rest);
    const remoteText = remote instanceof Address ? remote.toString() : toHex(remote);
    let report: PingReport;
    if (mine.length === 0) {
      report = { error: 'no responses', remote: remoteText, mode, expected_count: expectedCount, success_rate: '0%' };
    } else {
      report = {
        mode,
        remote: remoteText,
        count: mine.length,
        expected_count: expectedCount,
        success_rate: `${Math.trunc((mine.length / expectedCount) * 100)}%`,
        there: stats(mine.map((r) => Number(r.ts2 - r.ts1))),
        back: stats(mine.map((r) => Number(r.ts3 - r.ts2))),
        round_trip: stats(mine.map((r) => Number(r.ts3 - r.ts1))),
      };
    }
    const reports = (this.#reports ??= []);
    reports.push(report);
    while (reports.length > this.params.reports_limit) reports.shift();
    this.callHook('report', report);
    return report;
  }

  // ------------------------------------------------------------------ receive

  protected onReceive(blob: Uint8Array, _from: Delivery): void {
    const parsed = parsePing(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('ping_bad_message');
      return;
    }
    const pm = parsed.value;
    switch (pm.op) {
      case PingOp.REQUEST: {
        const r = this.respond(pm);
        if (!r.ok) this.packager.counters.inc('ping_respond_failed');
        return;
      }
      case PingOp.GOSSIP_REQUEST:
        if (!this.gossipRespond(pm)) this.packager.counters.inc('ping_respond_failed');
        return;
      case PingOp.RESPOND:
      case PingOp.GOSSIP_RESPOND:
        this.responseReceived(pm);
        return;
    }
  }

  // ------------------------------------------------------------------ internals

  /**
   * Queue the requests and the report. Event ids follow upstream:
   * SHA-256(Ping id ‖ target bytes)[:16] ‖ op ‖ u8(i), the report under suffix u8(count).
   */
  private schedule(
    key: Uint8Array,
    op: number,
    mode: string,
    remote: PingTarget,
    options: { count?: number; timeoutS?: number; callback?: (event: string | PingReport) => void },
    send: (nonce: number) => void,
  ): Result<PingTest> {
    const count = options.count ?? this.params.count;
    const timeoutS = options.timeoutS ?? this.params.timeout_s;
    if (!Number.isInteger(count) || count < 1 || count > 255) return fail('bad_argument', 'ping count must be 1..255');
    if (!Number.isFinite(timeoutS) || timeoutS < 0) return fail('bad_argument', 'ping timeout must be a non-negative number of seconds');
    const base = toHex(nodeTopic(this.#hashes, this.id, key)) + hex2(op);
    const nonce = this.#nonce();
    const ids: string[] = [];
    const reportIn = (timeoutS + count) * 1000;
    const full = () => {
      for (const id of ids) this.packager.cancel(id);
      return fail<PingTest>('bad_argument', 'the event schedule is full');
    };
    for (let i = 0; i < count; i++) {
      const id = this.eventId(base + hex2(i));
      if (!this.packager.schedule(id, i * this.params.interval_ms, () => send(nonce))) return full();
      ids.push(id);
    }
    const reportId = this.eventId(base + hex2(count));
    const report = () => {
      const r = this.reportPingTest(nonce, mode, count, remote);
      options.callback?.(r);
    };
    if (!this.packager.schedule(reportId, reportIn, report)) return full();
    ids.push(reportId);
    return ok({ nonce, mode, count, remote, eventIds: ids, reportAt: this.node.platform.now() + reportIn });
  }

  private gossip(): Gossip | undefined {
    return this.node.app(Gossip);
  }

  private subscribe(): void {
    this.gossip()?.subscribe(this.topic(this.packager.nodeId), this.id);
  }

  private unsubscribe(): void {
    this.gossip()?.unsubscribe(this.topic(this.packager.nodeId), this.id);
  }

  #now(): bigint {
    return BigInt(Math.max(0, Math.round(this.node.platform.now())));
  }

  #nonce(): number {
    return this.node.platform.randomBytes(new Uint8Array(1))[0];
  }
}

function stats(values: number[]): PingStats {
  let min = values[0];
  let max = values[0];
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, max, avg: sum / values.length };
}

function isNodeId(x: unknown): x is Uint8Array {
  return x instanceof Uint8Array && x.length === NODE_ID_BYTES;
}

function hex2(n: number): string {
  return (n & 255).toString(16).padStart(2, '0');
}
