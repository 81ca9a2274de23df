/**
 * DebugApp (protocol.md §6.5): remote inspection and admin over Gossip.
 *
 * Every message is a Gossip PUBLISH on the destination's debug topic SHA-256(DebugApp id ‖ node
 * id)[:16]; `start` subscribes to this node's own topic. REQUEST_* ops are answered with JSON
 * (upstream's shapes) published to the requester's topic, echoing its nonce. Answers arriving
 * here become result objects {op, from_id, …JSON} emitted on the `output` app hook and kept in a
 * bounded `seenResults` list.
 *
 * REQUIRE_* (admin) ops carry u8(len) ‖ more ‖ password and pass upstream's check
 * (`adminAuthAccepted`). Fix (issue 4 item 5): the wire format is unchanged, but an admin op is
 * refused when its ts is outside ±admin_window_s of our clock, or when its (from_id, nonce, ts)
 * was already accepted; refusals are counted (`adminRefusals`, counters `debug_admin_*`) and not
 * answered. This stops replays of captured messages; it does not stop someone who captured the
 * clear-text password from forging new ones (see docs/security.md).
 *
 * RESET does not reset the machine: it schedules the `reset` app hook at +200 ms and the host
 * decides what to do.
 */
import { AdminMark } from './admin-mark.js';
import { MeshApp, type ConsoleCommand } from './app.js';
import { Gossip } from './gossip.js';
import { DebugOp, DEFAULT_ADMIN_PASS_HASH, adminAuthAccepted, parseDebug, serializeDebug, type DebugMessage } from '../wire/messages/debug.js';
import { nodeTopic } from '../wire/messages/gossip.js';
import { Address } from '../wire/address.js';
import { Metric, NODE_ID_BYTES } from '../wire/constants.js';
import { concatBytes, fromHex, toHex, utf8Decode, utf8Encode } from '../wire/bytes.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { Hashes } from '../platform/platform.js';
import type { Delivery } from '../packager/application.js';

export interface DebugParams {
  /** SHA-256(password)[:16]; upstream's default hash (plaintext unknown). */
  admin_pass_hash: Uint8Array;
  /** Admin ops whose ts differs from our clock by more than this many seconds are refused. */
  admin_window_s: number;
  /** Seconds added to platform.now()/1000 to get the wall clock the ts field carries. */
  clock_offset_s: number;
  /** Accepted (from_id, nonce, ts) remembered while inside the window; when full, admin ops are refused. */
  replay_limit: number;
  /** Results kept in `seenResults` (upstream 10). */
  results_limit: number;
  /** Delay of the `reset` hook after a REQUIRE_RESET (upstream 200 ms). */
  reset_delay_ms: number;
}

/** A decoded answer: op name, sender, then the JSON fields (which may override both, as upstream). */
export type DebugResult = { op: string; from_id: string } & Record<string, unknown>;

const OP_NAMES: Readonly<Record<number, string>> = Object.freeze(Object.fromEntries(Object.entries(DebugOp).map(([name, v]) => [v, name])));
const EMPTY = new Uint8Array(0);

/** An admin op's check in signed mode: its `more` bytes when accepted, else why not. */
export type AdminCheck = { readonly ok: true; readonly more: Uint8Array } | { readonly ok: false; readonly why: 'bad_data' | 'untrusted' | 'replay' };

/** What replaces the password check (signed/admin-auth.ts); set by the signed layer, not imported here. */
export interface AdminChecker {
  check(self: Uint8Array, op: number, data: Uint8Array): AdminCheck;
  /** True when admin ops signed by `key` are accepted here. */
  trusts(key: Uint8Array): boolean;
}

export class DebugApp extends MeshApp<DebugParams> {
  private readonly hashes: Hashes;
  // Made on the first result (an array is 32 B on XS, issue 21).
  declare private results: DebugResult[] | undefined;
  /** Accepted admin ops: key from_id:nonce:ts → ts (pruned when outside the window). */
  // Made on the first set: empty until then costs nothing (issue 21).
  declare private accepted: Map<string, number> | undefined;
  /**
   * The newest accepted ts, kept across reboots (admin-mark.ts): read at the first admin message
   * after start (most nodes never get one; only it writes the mark, so it reads what start would).
   */
  declare private mark: AdminMark | undefined;
  private refusals = 0;
  /** Signed mode (signed/admin-auth.ts): operator signatures and stored counters replace the password and the window. */
  adminAuth: AdminChecker | undefined;
  /** Where console commands print answers (set by the last `debug`/`admin` command). */
  private console: ((line: string) => void) | undefined;

  constructor(hashes: Hashes, params: Partial<DebugParams> = {}) {
    super(
      hashes,
      'DebugApp',
      'Debug App',
      0,
      { admin_pass_hash: DEFAULT_ADMIN_PASS_HASH.slice(), admin_window_s: 300, clock_offset_s: 0, replay_limit: 64, results_limit: 10, reset_delay_ms: 200 },
      params,
    );
    this.hashes = hashes;
  }

  protected override exposeCallbacks(): void {
    // Upstream's callback names.
    this.expose('request', (op: number, nodeId: Uint8Array, data?: Uint8Array) => this.request(op, nodeId, data));
    this.expose('require', (op: number, nodeId: Uint8Array, password: Uint8Array, more?: Uint8Array) => this.require(op, nodeId, password, more));
    this.expose('serialize', (dm: DebugMessage) => serializeDebug(dm));
    this.expose('deserialize', (blob: Uint8Array) => parseDebug(blob));
    this.expose('start', () => this.subscribe());
    this.expose('stop', () => this.unsubscribe());
    this.expose('get_seen', () => this.seenResults());
    this.expose('auth_check', (data: Uint8Array) => adminAuthAccepted(this.hashes, data, this.params.admin_pass_hash));
  }

  protected override onStart(): void {
    if (this.mark) this.mark = undefined; // read again after a restart
    this.subscribe();
  }

  protected override onStop(): void {
    this.unsubscribe();
    this.packager.cancel(this.eventId('reset'));
  }

  // ------------------------------------------------------------------ API

  /** Ask `nodeId` for information (REQUEST_* op); the answer arrives on the `output` hook. */
  request(op: number, nodeId: Uint8Array, data: Uint8Array = EMPTY): Result<DebugMessage> {
    if (op > DebugOp.REQUEST_NEXT_HOP || op < 0) return fail('bad_argument', 'debug request op must be one of the REQUEST_* ops');
    return this.publish(op, nodeId, this.nonce(), data);
  }

  requestNodeInfo(nodeId: Uint8Array): Result<DebugMessage> {
    return this.request(DebugOp.REQUEST_NODE_INFO, nodeId);
  }

  requestPeerList(nodeId: Uint8Array): Result<DebugMessage> {
    return this.request(DebugOp.REQUEST_PEER_LIST, nodeId);
  }

  requestRoutes(nodeId: Uint8Array): Result<DebugMessage> {
    return this.request(DebugOp.REQUEST_ROUTES, nodeId);
  }

  /** Ask `nodeId` which next hop it would take toward `to`. */
  requestNextHop(nodeId: Uint8Array, to: Address, metric: Metric = Metric.dTree): Result<DebugMessage> {
    return this.request(DebugOp.REQUEST_NEXT_HOP, nodeId, concatBytes(Uint8Array.of(metric, to.treeState), to.bytes));
  }

  /** Send an admin op (REQUIRE_*): data = u8(len(more)) ‖ more ‖ password. */
  require(op: number, nodeId: Uint8Array, password: Uint8Array, more: Uint8Array = EMPTY): Result<DebugMessage> {
    if (op < DebugOp.REQUIRE_SET_PW) return fail('bad_argument', 'admin op must be one of the REQUIRE_* ops');
    if (more.length > 255) return fail('field_range', 'admin argument must be at most 255 bytes');
    return this.publish(op, nodeId, this.nonce(), concatBytes(Uint8Array.of(more.length), more, password));
  }

  /** Send a signed admin op: `data` from signed/admin-auth.ts `signedAdminData` (no password). */
  requireSigned(op: number, nodeId: Uint8Array, data: Uint8Array): Result<DebugMessage> {
    if (op < DebugOp.REQUIRE_SET_PW) return fail('bad_argument', 'admin op must be one of the REQUIRE_* ops');
    return this.publish(op, nodeId, this.nonce(), data);
  }

  /** Set the local admin password (console `local_admin set_pw`). */
  setPassword(password: Uint8Array): void {
    this.params.admin_pass_hash = this.hashes.sha256(password).slice(0, 16);
  }

  /** Results received so far, oldest first. */
  seenResults(): DebugResult[] {
    return this.results ? this.results.slice() : [];
  }

  /** Admin ops refused as stale, replayed, or over the replay table. */
  get adminRefusals(): number {
    return this.refusals;
  }

  /** The wall clock in seconds, as carried in the ts field (u32). */
  nowSeconds(): number {
    return Math.floor(this.node.platform.now() / 1000 + this.params.clock_offset_s) >>> 0;
  }

  /** A node's debug topic: SHA-256(DebugApp id ‖ node id)[:16]. */
  topic(nodeId: Uint8Array): Uint8Array {
    return nodeTopic(this.hashes, this.id, nodeId);
  }

  // ------------------------------------------------------------------ receive

  protected onReceive(blob: Uint8Array, _from: Delivery): void {
    const parsed = parseDebug(blob);
    if (!parsed.ok) {
      this.packager.counters.inc('debug_bad_message');
      return;
    }
    const dm = parsed.value;
    if (dm.op <= DebugOp.REQUEST_NEXT_HOP) this.answer(dm);
    else if (dm.op >= DebugOp.REQUIRE_SET_PW) this.admin(dm);
    else this.result(dm);
  }

  /** REQUEST_* → the JSON answer on the requester's topic. */
  private answer(dm: DebugMessage): void {
    const p = this.packager;
    let op: number;
    let info: unknown;
    switch (dm.op) {
      case DebugOp.REQUEST_NODE_INFO:
        op = DebugOp.RESPOND_NODE_INFO;
        info = { node_id: p.nodeKey, node_addrs: p.addresses.map((a) => a.toString()), apps: this.node.apps.map((a) => toHex(a.id)) };
        break;
      case DebugOp.REQUEST_PEER_LIST:
        op = DebugOp.RESPOND_PEER_LIST;
        info = { node_id: p.nodeKey, peers: Object.fromEntries(p.peers.map((peer) => [peer.key, peer.addrs.map((a) => a.toString())])) };
        break;
      case DebugOp.REQUEST_ROUTES:
        op = DebugOp.RESPOND_ROUTES;
        info = { node_id: p.nodeKey, routes: Object.fromEntries(p.routes.map((r) => [r.address.toString(), r.nodeKey])) };
        break;
      default: {
        // REQUEST_NEXT_HOP: metric u8, tree_state u8, address 16
        const to = dm.data.length === 18 ? Address.fromBytes(dm.data[1], dm.data.subarray(2)) : undefined;
        if (!to || !to.ok) {
          p.counters.inc('debug_bad_message');
          return;
        }
        const hop = p.nextHop(to.value, dm.data[0] === Metric.dCPL ? Metric.dCPL : Metric.dTree);
        op = DebugOp.RESPOND_NEXT_HOP;
        info = { next_hop: hop ? [hop.peer.key, hop.address.toString()] : null };
      }
    }
    this.publish(op, dm.fromId, dm.nonce, utf8Encode(JSON.stringify(info)));
  }

  /** RESPOND_* / OK / AUTH_ERROR → a result on the `output` hook and in `seenResults`. */
  private result(dm: DebugMessage): void {
    let info: Record<string, unknown> = {};
    if (dm.data.length) {
      try {
        const v: unknown = JSON.parse(utf8Decode(dm.data));
        info = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : { data: v };
      } catch {
        info = { error: 'Invalid JSON received', data: toHex(dm.data) };
      }
    }
    const result: DebugResult = { op: OP_NAMES[dm.op] ?? 'UNKNOWN', from_id: toHex(dm.fromId), ...info };
    const results = (this.results ??= []);
    results.push(result);
    while (results.length > this.params.results_limit) results.shift();
    this.output(result);
  }

  /** REQUIRE_*: window, password, replay, then the action and an OK to the requester. */
  private admin(dm: DebugMessage): void {
    const name = OP_NAMES[dm.op];
    if (this.adminAuth) {
      const c = this.adminAuth.check(this.packager.nodeId, dm.op, dm.data);
      if (c.ok) return this.act(dm, name, c.more);
      if (c.why === 'replay') return this.refuse('replay', `DebugApp: ${name} refused: counter not above the last accepted`);
      this.packager.counters.inc('debug_auth_error');
      return this.reply(DebugOp.AUTH_ERROR, dm, { op: name, error: 'AUTH_ERROR' });
    }
    const drift = Math.abs(dm.ts - this.nowSeconds());
    if (!(drift <= this.params.admin_window_s)) return this.refuse('stale', `DebugApp: ${name} refused: timestamp ${drift} s away from our clock`);
    if (!adminAuthAccepted(this.hashes, dm.data, this.params.admin_pass_hash)) {
      this.packager.counters.inc('debug_auth_error');
      this.output('DebugApp: REQUIRE_* received with invalid auth data; ignoring');
      this.reply(DebugOp.AUTH_ERROR, dm, { op: name, error: 'AUTH_ERROR' });
      return;
    }
    const key = toHex(dm.fromId) + ':' + dm.nonce + ':' + dm.ts;
    if (this.accepted?.has(key) || this.adminMark().replayed(dm.ts)) return this.refuse('replay', `DebugApp: ${name} refused: replayed message`);
    this.pruneAccepted();
    if ((this.accepted?.size ?? 0) >= this.params.replay_limit) return this.refuse('full', `DebugApp: ${name} refused: too many admin messages in the window`);
    (this.accepted ??= new Map()).set(key, dm.ts);
    this.adminMark().accepted(dm.ts);
    this.act(dm, name, dm.data.subarray(1, 1 + dm.data[0]));
  }

  /** An accepted admin op. */
  private act(dm: DebugMessage, name: string, more: Uint8Array): void {
    switch (dm.op) {
      case DebugOp.REQUIRE_RESET:
        this.output('DebugApp: REQUIRE_RESET received; scheduling reset');
        this.packager.schedule(this.eventId('reset'), this.params.reset_delay_ms, () => this.callHook('reset'));
        this.reply(DebugOp.OK, dm, { op: name });
        return;
      case DebugOp.REQUIRE_REFLECT:
        // Publish the inner message (op = more[0], data = more[1:]) to the requester, from us.
        // Upstream appends the password to the reflected data; we leave it out (fix).
        this.output('DebugApp: REQUIRE_REFLECT received');
        if (more.length < 1 || !this.publish(more[0], dm.fromId, dm.nonce, more.subarray(1)).ok) this.packager.counters.inc('debug_bad_admin');
        return;
      case DebugOp.REQUIRE_BAN:
      case DebugOp.REQUIRE_UNBAN: {
        this.output(`DebugApp: ${name} received`);
        if (more.length !== NODE_ID_BYTES) {
          this.packager.counters.inc('debug_bad_admin');
          return;
        }
        const target = more.slice();
        if (dm.op === DebugOp.REQUIRE_BAN) this.packager.ban(target);
        else this.packager.unban(target);
        this.reply(DebugOp.OK, dm, { op: name, node_id: toHex(target) });
        return;
      }
      default: // REQUIRE_SET_PW
        this.output('DebugApp: REQUIRE_SET_PW received');
        if (more.length < 1) {
          this.packager.counters.inc('debug_bad_admin');
          return;
        }
        this.setPassword(more);
        this.reply(DebugOp.OK, dm, { op: name });
    }
  }

  private refuse(reason: 'stale' | 'replay' | 'full', line: string): void {
    this.refusals++;
    this.packager.counters.inc(`debug_admin_${reason}`);
    this.output(line);
  }

  /** Forget accepted ops whose ts has left the window: a replay of them is refused as stale. */
  private pruneAccepted(): void {
    const now = this.nowSeconds();
    for (const [k, ts] of this.accepted ?? []) if (!(Math.abs(ts - now) <= this.params.admin_window_s)) this.accepted?.delete(k);
  }

  // ------------------------------------------------------------------ console

  override commands(): ConsoleCommand[] {
    const nodeIdArg = (text: string | undefined) => {
      const id = text === undefined ? undefined : fromHex(text);
      return id && id.length === NODE_ID_BYTES ? id : undefined;
    };
    return [
      {
        name: 'debug',
        help: 'debug [node_id] [info|peers|routes|next_hop addr metric] - get debug info from a node',
        run: (args, output) => {
          const nid = nodeIdArg(args[0]);
          const mode = (args[1] ?? '').toLowerCase();
          if (!nid) return output('debug - give a 64-hex-digit node id');
          this.console = output;
          let r: Result<DebugMessage>;
          if (mode === 'info') r = this.requestNodeInfo(nid);
          else if (mode === 'peers') r = this.requestPeerList(nid);
          else if (mode === 'routes') r = this.requestRoutes(nid);
          else if (mode === 'next_hop') {
            const to = args[2] === undefined ? undefined : Address.parse(args[2]);
            if (!to || !to.ok || args[3] === undefined) return output('debug next_hop - missing a required arg (addr metric)');
            r = this.requestNextHop(nid, to.value, args[3].toLowerCase().includes('cpl') ? Metric.dCPL : Metric.dTree);
          } else return output(`debug - unknown mode ${mode}`);
          output(r.ok ? `DebugApp.request sent (nonce ${r.value.nonce})` : `debug - ${r.error.message}`);
        },
      },
      {
        name: 'admin',
        help: 'admin [node_id] [passwd] [set_pw passwd|reset|ban peer_id|unban peer_id] - execute an admin command on a node',
        run: (args, output) => {
          const nid = nodeIdArg(args[0]);
          const pw = args[1];
          const sub = (args[2] ?? '').toLowerCase();
          if (!nid || pw === undefined) return output('admin - missing a required arg');
          this.console = output;
          const password = utf8Encode(pw);
          let r: Result<DebugMessage>;
          if (sub === 'reset') r = this.require(DebugOp.REQUIRE_RESET, nid, password);
          else if (sub === 'ban' || sub === 'unban') {
            const peer = nodeIdArg(args[3]);
            if (!peer) return output('admin - invalid peer_id');
            r = this.require(sub === 'ban' ? DebugOp.REQUIRE_BAN : DebugOp.REQUIRE_UNBAN, nid, password, peer);
          } else if (sub === 'set_pw') {
            if (args[3] === undefined) return output('admin - missing a required arg');
            r = this.require(DebugOp.REQUIRE_SET_PW, nid, password, utf8Encode(args[3]));
          } else return output(`admin - unknown subcommand ${sub}`);
          output(r.ok ? `DebugApp.require sent (nonce ${r.value.nonce})` : `admin - ${r.error.message}`);
        },
      },
      {
        name: 'local_admin',
        help: 'local_admin set_pw <passwd> - set the local admin password',
        run: (args, output) => {
          if ((args[0] ?? '').toLowerCase() !== 'set_pw' || args[1] === undefined) return output('local_admin - usage: local_admin set_pw <passwd>');
          this.setPassword(utf8Encode(args[1]));
          output('local_admin - admin password set');
        },
      },
    ];
  }

  // ------------------------------------------------------------------ internals

  /** Publish a debug message from us on `to`'s debug topic. */
  private publish(op: number, to: Uint8Array, nonce: number, data: Uint8Array): Result<DebugMessage> {
    const gossip = this.gossip();
    if (!gossip) return fail('no_route', 'DebugApp needs the Gossip app on this node');
    if (!(to instanceof Uint8Array) || to.length !== NODE_ID_BYTES) return fail('bad_argument', 'debug target must be a 32-byte node id');
    const dm: DebugMessage = { op, ts: this.nowSeconds(), nonce, fromId: this.packager.nodeId, data };
    const blob = serializeDebug(dm);
    if (!blob.ok) return blob as Result<never>;
    this.subscribe(); // answers come back on our topic, even if Gossip was added after we started
    gossip.publish(this.topic(to), blob.value);
    return ok(dm);
  }

  private reply(op: number, dm: DebugMessage, info: Record<string, unknown>): void {
    this.publish(op, dm.fromId, dm.nonce, utf8Encode(JSON.stringify(info)));
  }

  private output(item: string | DebugResult): void {
    this.callHook('output', item);
    if (this.console) {
      try {
        this.console(typeof item === 'string' ? item : JSON.stringify(item));
      } catch {
        this.packager.counters.inc('app_hook_error');
      }
    }
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

  private adminMark(): AdminMark {
    return (this.mark ??= new AdminMark(this.node.platform.storage));
  }

  private nonce(): number {
    const b = this.node.platform.randomBytes(new Uint8Array(2));
    return (b[0] << 8) | b[1];
  }
}
