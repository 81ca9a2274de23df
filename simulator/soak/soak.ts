/**
 * `npm run bench:soak` (scripts/bench-soak.mjs): a long run of a mesh with hostile nodes
 * (simulator/scenarios/soak-100.json: 100 nodes, 5 % hostile, 2 simulated hours) and what a
 * user would watch on the honest nodes: the delivery of honest traffic, every bounded table at
 * 10 minutes and at the end (and its growth between), and periodic timers lost. A shorter,
 * smaller run of the same scenario (`nodes`, `minutes`) keeps it from rotting in jest.
 */
import { readFileSync } from 'node:fs';
import { validateScenario } from '../scenario/validate.js';
import { runScenario, type RunReport } from '../runner/run.js';
import { InprocDriver } from '../runner/inproc-driver.js';
import { memoHashes } from '../platform/hash-memo.js';
import { nodeHashes } from '../platform/node-hashes.js';
import type { AttackName } from '../adversary/attack.js';
import { TimerWatch, type PeriodicTimer } from './timers.js';
import { capsOf, summarise, tablesOf, type TableFigure, type Tables } from './tables.js';

export interface SoakOptions {
  /** The scenario file (soak-100.json). */
  readonly scenarioPath: string;
  /** Smaller mesh (same density) and shorter run than the file's. */
  readonly nodes?: number;
  readonly minutes?: number;
  readonly seed?: number;
  /** Honest nodes' timers are checked this often (simulated ms; default 10 s). */
  readonly timerCheckMs?: number;
  readonly onProgress?: (simulatedMs: number, totalMs: number) => void;
  /** Stop early (a wall-time limit, Ctrl-C): the last figures are taken when it fires. */
  readonly signal?: AbortSignal;
}

export interface Snapshot {
  readonly atMs: number;
  /** Per honest node alive then. */
  readonly nodes: readonly Tables[];
  readonly summary: Record<TableFigure, { mean: number; max: number }>;
  /** The whole process's JS heap after a collection (when gc is exposed), bytes. */
  readonly heapUsed: number;
}

export interface SoakResult {
  readonly scenario: string;
  readonly nodes: number;
  readonly minutes: number;
  readonly hostile: readonly { index: number; mix: readonly AttackName[]; episodes: Partial<Record<AttackName, number>> }[];
  /** What the attacks did, summed over hostile nodes: attack → figure → count. */
  readonly attacks: Record<string, Record<string, number>>;
  readonly report: Pick<RunReport, 'sent' | 'delivered' | 'delivery_ratio' | 'duplicates' | 'skipped' | 'send_failed' | 'roots_at_end' | 'latency_ms'>;
  /** Each table's cap (an honest node's; undefined: none). */
  readonly caps: Record<TableFigure, number | undefined>;
  readonly early: Snapshot;
  readonly end: Snapshot;
  readonly timers: { readonly checks: number; readonly lost: readonly { node: number; timer: PeriodicTimer; atMs: number }[]; readonly nodes: number };
  readonly wallS: number;
  /** Stopped early at `reachedMs` simulated (the `end` figures are from then). */
  readonly partial?: { readonly reachedMs: number };
}

/** soak-100.json, scaled down when asked: the same density over a smaller square, a shorter run. */
export function soakScenario(path: string, nodes?: number, minutes?: number): unknown {
  const s = JSON.parse(readFileSync(path, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (nodes !== undefined) {
    const r = s.topology.random;
    const side = Math.round(r.width * Math.sqrt(nodes / r.n));
    s.topology.random = { ...r, n: nodes, width: side, height: side };
    s.traffic = s.traffic.map((t: { random: { flows: number } }) => ({ ...t, random: { ...t.random, flows: Math.max(1, Math.round((t.random.flows * nodes) / r.n)) } }));
  }
  if (minutes !== undefined) {
    const ms = minutes * 60_000;
    const scale = Math.min(1, ms / s.duration_ms);
    s.duration_ms = ms;
    // A short run keeps the same phases: forming, attacks, traffic.
    s.traffic = s.traffic.map((t: { start_ms: number; interval_ms: number }) => ({ ...t, start_ms: Math.min(t.start_ms, Math.round(ms / 4)), interval_ms: Math.max(5_000, Math.min(t.interval_ms, Math.round(ms / 10))) }));
    const h = s.hostile;
    s.hostile = { ...h, start_ms: Math.min(h.start_ms, Math.round(ms / 5)), episode_ms: Math.max(10_000, Math.round(h.episode_ms * Math.max(scale, 0.25))), pause_ms: Math.round(h.pause_ms * scale) };
  }
  return s;
}

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const v = validateScenario(soakScenario(o.scenarioPath, o.nodes, o.minutes));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const scenario = v.scenario;
  const end = scenario.duration_ms;
  // The first figures at 10 minutes, or half-way through a shorter run.
  const earlyAt = Math.min(600_000, Math.floor(end / 2));
  let driver: InprocDriver | undefined;
  const watch = new TimerWatch();
  const snaps: Snapshot[] = [];
  let hostileSet: ReadonlySet<number> = new Set<number>();
  const honest = (each: (i: number, n: NonNullable<ReturnType<InprocDriver['node']>>) => void): void => {
    for (let i = 0; i < scenario.nodes; i++) {
      const n = driver?.node(i);
      if (n && !hostileSet.has(i)) each(i, n);
    }
  };
  let caps = {} as Record<TableFigure, number | undefined>;
  const snapshot = (atMs: number): void => {
    const nodes: Tables[] = [];
    honest((_i, n) => {
      nodes.push(tablesOf(n));
      caps = capsOf(n);
    });
    (globalThis as { gc?: () => void }).gc?.();
    snaps.push({ atMs, nodes, summary: summarise(nodes), heapUsed: process.memoryUsage().heapUsed });
  };
  let reached: number | undefined;
  const started = performance.now();
  const r = await runScenario(scenario, {
    seed: o.seed,
    onProgress: o.onProgress,
    driver: (setup) => (driver = new InprocDriver(setup, memoHashes(nodeHashes))),
    signal: o.signal,
    onWorld: (world, hostiles) => {
      // Stopped early: the last figures now, while the nodes are still up.
      o.signal?.addEventListener('abort', () => {
        reached = world.clock.now();
        if (snaps.length < 2) snapshot(reached);
      });
      hostileSet = new Set(hostiles?.indices);
      const every = o.timerCheckMs ?? 10_000;
      const check = (): void => {
        const now = world.clock.now();
        honest((i, n) => watch.check(i, n, now));
        if (now + every < end) world.clock.setTimeout(check, every);
      };
      world.clock.setTimeout(check, 30_000);
      world.clock.setTimeout(() => snapshot(earlyAt), earlyAt);
      world.clock.setTimeout(() => snapshot(end - 1), end - 1);
    },
  });
  if (!r.ok) throw new Error(r.error);
  const wallS = (performance.now() - started) / 1000;
  const h = r.hostiles;
  if (!h) throw new Error('the soak scenario has no hostile section');
  const attacks: Record<string, Record<string, number>> = {};
  for (const a of h.attackers.values()) {
    for (const [name, figures] of Object.entries(a.tally)) {
      const into = (attacks[name] ??= {});
      for (const [k, n] of Object.entries(figures)) into[k] = (into[k] ?? 0) + n;
    }
  }
  const rep = r.report;
  return {
    scenario: scenario.name,
    nodes: scenario.nodes,
    minutes: end / 60_000,
    hostile: [...h.attackers.values()].map((a) => ({ index: a.index, mix: a.mix, episodes: a.episodes })),
    attacks,
    report: { sent: rep.sent, delivered: rep.delivered, delivery_ratio: rep.delivery_ratio, duplicates: rep.duplicates, skipped: rep.skipped, send_failed: rep.send_failed, roots_at_end: rep.roots_at_end, latency_ms: rep.latency_ms },
    caps,
    early: snaps[0] ?? snaps[snaps.length - 1],
    end: snaps[snaps.length - 1],
    timers: { checks: watch.checks, lost: [...watch.lost.values()], nodes: watch.nodes },
    wallS,
    ...(reached !== undefined && { partial: { reachedMs: reached } }),
  };
}
