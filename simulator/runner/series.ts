/**
 * The run's time series (`report.series`): what happened per bucket of simulated time, in
 * columns (one array per figure, one element per bucket) so a 30-minute run stays a few
 * kilobytes and a chart reads a column as it is. Bucket k covers [k·bucket_ms, (k+1)·bucket_ms);
 * the last one ends at the end of the run.
 *
 * Kept cheap at 1,000 nodes: messages are counted as the ledger sees them; the tree, frames on
 * air and the medium's losses are read at the tree samples the run already takes (the medium's
 * counters differenced, not one event per frame); the Packagers' drop counters are differenced
 * once per bucket. The recorder is plain data in, plain data out, so the live dashboard can feed
 * one too and chart `snapshot()` while the run goes on.
 */
import { decodeAddress } from '../../modules/mycelium/wire/address.js';
import { fromHex } from '../../modules/mycelium/wire/bytes.js';
import { LOSS_REASONS, type ReasonCounts } from '../medium/stats.js';
import { percentiles } from './ledger.js';
import type { TreeView } from './sim-node.js';

export { DEFAULT_BUCKET_MS } from '../scenario/report-spec.js';

/** Addresses whose depth is remembered (a churning 1,000-node mesh sees a few thousand). */
const MAX_DEPTH_MEMO = 65_536;

/** `report.series`: one element per bucket in every array. */
export interface SeriesReport {
  readonly bucket_ms: number;
  /** Bucket start, simulated ms. */
  readonly t_ms: number[];
  /** Messages the run's flows handed to a source node in the bucket (as `sent`). */
  readonly sent: number[];
  /** Of those, the ones that reached their destination (whenever they arrived). */
  readonly delivered: number[];
  /** Latency of the bucket's delivered messages, nearest rank (0 when none arrived). */
  readonly latency_p50_ms: number[];
  readonly latency_p95_ms: number[];
  /** At the bucket's last tree sample: distinct roots followed by live nodes. */
  readonly roots: number[];
  /** At the bucket's last tree sample: live nodes with a tree address. */
  readonly addressed: number[];
  /** At the bucket's last tree sample: the most coordinates in a live node's address. */
  readonly max_depth: number[];
  /** Frames that went on air in the bucket. */
  readonly frames_on_air: number[];
  /**
   * Losses in the bucket by `<where>.<reason>`: `medium.<LossReason>`, `packager.<counter>`,
   * `refused.<code>` (sends the source refused). Only reasons seen in the run are listed.
   */
  readonly drops: Record<string, number[]>;
}

export class SeriesRecorder {
  readonly bucketMs: number;
  readonly #buckets: number;
  readonly #sent: number[];
  readonly #delivered: number[];
  readonly #latencies: number[][];
  readonly #roots: number[];
  readonly #addressed: number[];
  readonly #depth: number[];
  readonly #frames: number[];
  readonly #drops = new Map<string, number[]>();
  #lastFrames = 0;
  readonly #lastLost = new Map<string, number>();
  /** Per node: the Packager's drop counters at the last bucket end. */
  #lastCounters: (Record<string, number> | undefined)[] = [];
  /** Address depth by address bytes (hex): the XS runner's views are new objects every sample. */
  readonly #depthOf = new Map<string, number>();

  constructor(bucketMs: number, durationMs: number) {
    if (!(bucketMs > 0)) throw new RangeError(`bucket must be a positive number of ms, got ${bucketMs}`);
    this.bucketMs = bucketMs;
    this.#buckets = Math.max(1, Math.ceil(durationMs / bucketMs));
    const zeros = () => new Array<number>(this.#buckets).fill(0);
    this.#sent = zeros();
    this.#delivered = zeros();
    this.#latencies = Array.from({ length: this.#buckets }, () => []);
    this.#roots = zeros();
    this.#addressed = zeros();
    this.#depth = zeros();
    this.#frames = zeros();
  }

  /** The bucket an instant falls in (the end of the run falls in the last one). */
  bucketOf(t: number): number {
    return Math.min(this.#buckets - 1, Math.max(0, Math.floor(t / this.bucketMs)));
  }

  /** The bucket a period ending at `t` is credited to: (t − bucket, t] → the bucket holding t − ε. */
  #bucketEnding(t: number): number {
    return this.bucketOf(Math.ceil(t / this.bucketMs) * this.bucketMs - this.bucketMs);
  }

  /** A message handed to its source at `at`. */
  sent(at: number): void {
    this.#sent[this.bucketOf(at)]++;
  }

  /** A message sent at `sentAt` first reached its destination at `at`. */
  delivered(sentAt: number, at: number): void {
    const k = this.bucketOf(sentAt);
    this.#delivered[k]++;
    this.#latencies[k].push(at - sentAt);
  }

  /** A send refused at its source at `at` (`code`: the mesh's error code). */
  refused(at: number, code: string): void {
    this.#drop(`refused.${code}`, this.bucketOf(at), 1);
  }

  /**
   * A tree sample at `t`, with the medium's cumulative counters then: the views give the
   * bucket's tree columns (the last sample wins), the counters' growth since the last sample is
   * credited to the bucket the sampled period ends in.
   */
  sample(t: number, views: readonly (TreeView | undefined)[], framesOnAir: number, lost: Readonly<ReasonCounts>): void {
    const k = this.#bucketEnding(t);
    const roots = new Set<string>();
    let addressed = 0;
    let depth = 0;
    for (const v of views) {
      if (!v?.running) continue;
      roots.add(v.root);
      if (v.address === undefined) continue;
      addressed++;
      const d = this.#depth_(v.address);
      if (d > depth) depth = d;
    }
    this.#roots[k] = roots.size;
    this.#addressed[k] = addressed;
    this.#depth[k] = depth;
    this.#frames[k] += framesOnAir - this.#lastFrames;
    this.#lastFrames = framesOnAir;
    for (const reason of LOSS_REASONS) {
      const now = lost[reason];
      const grew = now - (this.#lastLost.get(reason) ?? 0);
      this.#lastLost.set(reason, now);
      if (grew > 0) this.#drop(`medium.${reason}`, k, grew);
    }
  }

  /** Node `i` powered on afresh: its counters start again from zero. */
  booted(i: number): void {
    this.#lastCounters[i] = undefined;
  }

  /**
   * Every node's Packager drop counters at `t` (undefined: powered off). A counter that went
   * down belongs to a node that rebooted since: all of its value is new.
   */
  counters(t: number, perNode: readonly (Readonly<Record<string, number>> | undefined)[]): void {
    const k = this.#bucketEnding(t);
    const last = this.#lastCounters;
    this.#lastCounters = perNode.map((now, i) => {
      if (!now) return undefined;
      const before = last[i];
      for (const [name, c] of Object.entries(now)) {
        const prev = before?.[name] ?? 0;
        const grew = c >= prev ? c - prev : c;
        if (grew > 0) this.#drop(`packager.${name}`, k, grew);
      }
      return now;
    });
  }

  /** The series so far (a copy: the recorder goes on). */
  snapshot(): SeriesReport {
    const p = this.#latencies.map((xs) => percentiles(xs));
    const drops: Record<string, number[]> = {};
    for (const key of [...this.#drops.keys()].sort()) drops[key] = (this.#drops.get(key) as number[]).slice();
    return {
      bucket_ms: this.bucketMs,
      t_ms: Array.from({ length: this.#buckets }, (_, k) => k * this.bucketMs),
      sent: this.#sent.slice(),
      delivered: this.#delivered.slice(),
      latency_p50_ms: p.map((x) => x.p50),
      latency_p95_ms: p.map((x) => x.p95),
      roots: this.#roots.slice(),
      addressed: this.#addressed.slice(),
      max_depth: this.#depth.slice(),
      frames_on_air: this.#frames.slice(),
      drops,
    };
  }

  #drop(key: string, k: number, count: number): void {
    let col = this.#drops.get(key);
    if (!col) this.#drops.set(key, (col = new Array<number>(this.#buckets).fill(0)));
    col[k] += count;
  }

  #depth_(address: string): number {
    let d = this.#depthOf.get(address);
    if (d === undefined) {
      const bytes = fromHex(address);
      const coords = bytes ? decodeAddress(bytes) : undefined;
      d = coords?.ok ? coords.value.length : 0;
      if (this.#depthOf.size >= MAX_DEPTH_MEMO) this.#depthOf.clear();
      this.#depthOf.set(address, d);
    }
    return d;
  }
}
