/**
 * The run's app ledger: what the scenario's mesh apps (simulator/mods/) sent through the mesh
 * API, who should have received it, who did and when. Fed by the mesh API's observer on every
 * node (sim-node.ts), relayed unchanged by the XS runner, so both runners give the same figures.
 *
 * A message is one `send`, `publish` or `broadcast` call, identified by (app, source node, a
 * hash of its bytes); a receipt is matched to the newest such message that
 * expects the receiving node and has not reached it yet. Who is expected:
 *   send      the destination node (its node id; an address-only send: the node that had that
 *             address at the last tree sample);
 *   publish   every other node whose app was subscribed to the topic at publish time. The
 *             publisher's own copy (delivered inside `publish`) is not counted at all;
 *   broadcast nobody: its receipts are counted (`broadcast_received`) without a ratio.
 * A call the mesh refused (`{ ok: false }`: no route, no Gossip, ...) expects the same receivers
 * and reaches none of them: the delivery ratio is over every attempt, accepted or refused, so an
 * app whose sends are refused does not look perfect. `sent` counts accepted calls only.
 * A message reaching an expecting node again is a duplicate; a receipt no message expects (a
 * node that subscribed after the publish and got it by Gossip's sync) is `unexpected`. Latency
 * is from the call to the first receipt, per (message, receiver); hops are the mesh's count,
 * known for routed sends only.
 */
import { percentiles, type LatencySummary } from './ledger.js';

export type SendHow = 'send' | 'publish' | 'broadcast';

interface AppMessage {
  readonly how: SendHow;
  /** The mesh refused the call: its receivers are expected and never reached. */
  readonly refused: boolean;
  readonly src: number;
  readonly sentAt: number;
  /** Receivers counted for the ratio; undefined for a broadcast. */
  readonly expected: ReadonlySet<number> | undefined;
  /** Receiver → first receipt. */
  readonly got: Map<number, { readonly at: number; readonly hops: number | undefined }>;
}

interface AppTally {
  sent: Record<SendHow, number>;
  refused: number;
  duplicates: number;
  unexpected: number;
  failed: number;
  errors: { node: number; at_ms: number; error: string }[];
  messages: AppMessage[];
}

export interface HowSummary {
  /** Calls the mesh accepted. */
  readonly sent: number;
  /** Calls the mesh refused (their receivers are in `expected`). */
  readonly refused: number;
  /** (message, receiver) pairs expected. */
  readonly expected: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly latency_ms: LatencySummary;
  /** Mean and most hops of the receipts whose hop count the mesh knows (null: none). */
  readonly hops_mean: number | null;
  readonly hops_max: number | null;
}

export interface AppSummary {
  /** Nodes the scenario runs it on (0: seen only through another app's traffic). */
  readonly nodes: number;
  /** Calls the mesh accepted, by kind. */
  readonly sent: Record<SendHow, number>;
  /** Calls the mesh refused at once (`{ ok: false }`). */
  readonly refused: number;
  /** Over sends and publishes, accepted or refused: (message, receiver) pairs expected and reached. */
  readonly expected: number;
  readonly delivered: number;
  readonly delivery_ratio: number;
  readonly duplicates: number;
  readonly unexpected: number;
  readonly broadcast_received: number;
  readonly latency_ms: LatencySummary;
  readonly hops_mean: number | null;
  readonly hops_max: number | null;
  /** Sends and publishes apart (only the kinds the app used). */
  readonly by_how: { readonly send?: HowSummary; readonly publish?: HowSummary };
  /** App instances that threw and were stopped (a node restarts its apps at every boot). */
  readonly failed: number;
  /** The first failures: node, when, and what was thrown. */
  readonly errors: readonly { readonly node: number; readonly at_ms: number; readonly error: string }[];
}

/** Failures listed per app in the report (all are counted). */
const MAX_ERRORS = 20;

export class AppLedger {
  readonly #apps = new Map<string, AppTally>();
  /** `${app}\0${key}` → messages with those bytes, oldest first. */
  readonly #byKey = new Map<string, AppMessage[]>();
  /** `${app}\0${topic}` → nodes subscribed now. */
  readonly #subscribers = new Map<string, Set<number>>();
  readonly #nodesOf = new Map<string, number>();

  /** The scenario runs `app` on `nodes` nodes (so it is reported even if it never sends). */
  assigned(app: string, nodes: number): void {
    this.#tally(app);
    this.#nodesOf.set(app, (this.#nodesOf.get(app) ?? 0) + nodes);
  }

  /** A send/publish/broadcast call; `dst` is the node a send is for (undefined: unknown). */
  sent(app: string, src: number, how: SendHow, key: string, at: number, ok: boolean, dst: number | undefined, topic: string | undefined): void {
    const t = this.#tally(app);
    if (ok) t.sent[how]++;
    else t.refused++;
    let expected: Set<number> | undefined;
    if (how === 'send') expected = new Set(dst === undefined ? [] : [dst]);
    else if (how === 'publish') {
      expected = new Set(this.#subscribers.get(`${app}\0${topic ?? ''}`) ?? []);
      expected.delete(src);
    }
    const m: AppMessage = { how, refused: !ok, src, sentAt: at, expected, got: new Map() };
    t.messages.push(m);
    if (!ok) return; // never on air: no receipt can be its
    const k = `${app}\0${key}`;
    const list = this.#byKey.get(k);
    if (list) list.push(m);
    else this.#byKey.set(k, [m]);
  }

  received(app: string, node: number, key: string, at: number, hops: number | undefined): void {
    const t = this.#tally(app);
    const list = this.#byKey.get(`${app}\0${key}`) ?? [];
    let seen = false;
    for (let i = list.length - 1; i >= 0; i--) {
      const m = list[i];
      if (m.expected ? !m.expected.has(node) : m.src === node) continue;
      if (m.got.has(node)) {
        seen = true;
        continue;
      }
      m.got.set(node, { at, hops });
      return;
    }
    if (seen) t.duplicates++;
    else t.unexpected++;
  }

  subscribed(app: string, node: number, topic: string, on: boolean): void {
    const k = `${app}\0${topic}`;
    let s = this.#subscribers.get(k);
    if (!s) this.#subscribers.set(k, (s = new Set()));
    if (on) s.add(node);
    else s.delete(node);
  }

  failed(app: string, node: number, at: number, error: string): void {
    const t = this.#tally(app);
    t.failed++;
    if (t.errors.length < MAX_ERRORS) t.errors.push({ node, at_ms: at, error });
  }

  summary(): Record<string, AppSummary> {
    const out: Record<string, AppSummary> = {};
    for (const name of [...this.#apps.keys()].sort()) {
      const t = this.#apps.get(name) as AppTally;
      const counted = t.messages.filter((m) => m.how !== 'broadcast');
      const all = how(counted);
      const by_how: { send?: HowSummary; publish?: HowSummary } = {};
      for (const h of ['send', 'publish'] as const) {
        const mine = counted.filter((m) => m.how === h);
        if (mine.length > 0) by_how[h] = how(mine);
      }
      out[name] = {
        nodes: this.#nodesOf.get(name) ?? 0,
        sent: { ...t.sent },
        refused: t.refused,
        expected: all.expected,
        delivered: all.delivered,
        delivery_ratio: all.delivery_ratio,
        duplicates: t.duplicates,
        unexpected: t.unexpected,
        broadcast_received: t.messages.filter((m) => m.how === 'broadcast' && !m.refused).reduce((s, m) => s + m.got.size, 0),
        latency_ms: all.latency_ms,
        hops_mean: all.hops_mean,
        hops_max: all.hops_max,
        by_how,
        failed: t.failed,
        errors: t.errors.map((e) => ({ ...e })),
      };
    }
    return out;
  }

  #tally(app: string): AppTally {
    let t = this.#apps.get(app);
    if (!t) {
      t = { sent: { send: 0, publish: 0, broadcast: 0 }, refused: 0, duplicates: 0, unexpected: 0, failed: 0, errors: [], messages: [] };
      this.#apps.set(app, t);
    }
    return t;
  }
}

function how(ms: readonly AppMessage[]): HowSummary {
  let expected = 0;
  const latencies: number[] = [];
  const hops: number[] = [];
  for (const m of ms) {
    expected += m.expected?.size ?? 0;
    for (const [, r] of m.got) {
      latencies.push(r.at - m.sentAt);
      if (r.hops !== undefined) hops.push(r.hops);
    }
  }
  const delivered = latencies.length;
  const refused = ms.filter((m) => m.refused).length;
  return {
    sent: ms.length - refused,
    refused,
    expected,
    delivered,
    delivery_ratio: expected === 0 ? 0 : Math.round((delivered / expected) * 1e6) / 1e6,
    latency_ms: percentiles(latencies),
    hops_mean: hops.length === 0 ? null : Math.round((hops.reduce((a, b) => a + b, 0) / hops.length) * 1e4) / 1e4,
    hops_max: hops.length === 0 ? null : hops.reduce((a, b) => Math.max(a, b), 0),
  };
}
