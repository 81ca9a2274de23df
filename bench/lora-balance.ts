/**
 * How evenly routing could spread a LoRa scenario's relaying (`node scripts/lora-capacity.mjs
 * --balance`, docs/lora.md "Session 23"). Each flow gets one fixed path over links losing at most
 * `maxLoss`; a node's load is its transmit time an hour: one message frame per flow whose path it
 * sends on (its own and relayed ones; routed messages ask for no ack under a duty limit) and the
 * ack of each direct flow it receives. No upkeep, retries or collisions: the data alone.
 *
 * Two routings: shortest paths (fewest hops, lowest index first on ties), and shortest paths
 * moved one flow at a time away from the busiest nodes while the busiest load goes down (a local
 * search, not a proven optimum: an upper bound on what a load-aware routing needs at most).
 */
import { layoutTopology, lossSpecOf } from '../simulator/scenario/build.js';
import { makeLossModel } from '../simulator/medium/loss-model.js';
import { SeededRandom } from '../simulator/engine/random.js';
import type { Scenario } from '../simulator/scenario/types.js';
import { sendAirtimeMs, type Rylr998Config } from '../modules/rylr998/config.js';
import { ACK_FRAME_BYTES, MESSAGE_FRAME_BYTES } from './lora-capacity.js';

export interface RoutingLoad {
  /** Transmit ms an hour per node. */
  readonly msPerHour: readonly number[];
  /** The busiest node and its load. */
  readonly busiest: number;
  readonly maxMsPerHour: number;
  /** Hops per flow, averaged. */
  readonly meanHops: number;
}

export interface Balance {
  readonly shortest: RoutingLoad;
  readonly balanced: RoutingLoad;
  /** Flows with no path over such links (left out of both). */
  readonly unroutable: number;
}

interface Flow {
  readonly src: number;
  readonly dst: number;
  readonly perHour: number;
}

/** Loads of shortest and of balanced fixed paths for `scenario`'s flows on its layout at `seed`. */
export function routingBalance(scenario: Scenario, seed: number, maxLoss = 0.1): Balance {
  const layout = layoutTopology({ ...scenario, seed }, new SeededRandom(seed));
  if (!layout.ok) throw new Error('layout failed');
  const pos = layout.layout.positions;
  const model = makeLossModel(lossSpecOf(scenario.radio));
  const n = pos.length;
  const adj: number[][] = [];
  for (let i = 0; i < n; i++) {
    adj.push([]);
    for (let j = 0; j < n; j++) if (i !== j && model.lossAt(Math.hypot(pos[i][0] - pos[j][0], pos[i][1] - pos[j][1])) <= maxLoss) adj[i].push(j);
  }
  const lora = scenario.radio.lora as unknown as Rylr998Config;
  const msgMs = sendAirtimeMs(lora, MESSAGE_FRAME_BYTES);
  const ackMs = sendAirtimeMs(lora, ACK_FRAME_BYTES);
  const flows: Flow[] = [];
  for (const t of scenario.traffic ?? []) {
    const every = (t as { interval_ms?: number }).interval_ms ?? 60_000;
    for (const [src, dst] of (t as { pairs?: number[][] }).pairs ?? []) flows.push({ src, dst, perHour: 3_600_000 / every });
  }
  const loads = (paths: (number[] | undefined)[]): number[] => {
    const ms = new Array<number>(n).fill(0);
    paths.forEach((p, k) => {
      if (!p) return;
      for (let h = 0; h < p.length - 1; h++) ms[p[h]] += flows[k].perHour * msgMs;
      if (p.length === 2) ms[p[1]] += flows[k].perHour * ackMs;
    });
    return ms;
  };
  const shortest = flows.map((f) => cheapestPath(adj, f.src, f.dst, () => 1));
  const paths = shortest.slice();
  let current = loads(paths);
  for (let round = 0; round < 50 * flows.length; round++) {
    const moved = moveOne(adj, flows, paths, current, msgMs, loads);
    if (!moved) break;
    current = loads(paths);
  }
  return { shortest: summary(shortest, loads(shortest)), balanced: summary(paths, current), unroutable: shortest.filter((p) => !p).length };
}

/** Move the first flow (those crossing the busiest nodes first) whose new path lowers the sorted loads. */
function moveOne(adj: number[][], flows: Flow[], paths: (number[] | undefined)[], load: number[], msgMs: number, loads: (p: (number[] | undefined)[]) => number[]): boolean {
  const worst = (p: number[] | undefined): number => (p ? Math.max(...p.slice(0, -1).map((v) => load[v])) : -1);
  const order = flows.map((_, k) => k).sort((a, b) => worst(paths[b]) - worst(paths[a]) || a - b);
  const before = load.slice().sort((a, b) => b - a);
  for (const k of order) {
    const old = paths[k];
    if (!old) continue;
    const without = load.slice();
    for (let h = 0; h < old.length - 1; h++) without[old[h]] -= flows[k].perHour * msgMs;
    // A hop costs 1, and more the nearer its sender comes to the busiest load.
    const top = before[0];
    paths[k] = cheapestPath(adj, flows[k].src, flows[k].dst, (u) => 1 + 4 * Math.max(0, (without[u] + flows[k].perHour * msgMs) / top - 0.6));
    const after = loads(paths).sort((a, b) => b - a);
    if (lexLess(after, before)) return true;
    paths[k] = old;
  }
  return false;
}

function lexLess(a: number[], b: number[]): boolean {
  for (let i = 0; i < a.length; i++) if (Math.abs(a[i] - b[i]) > 1e-6) return a[i] < b[i];
  return false;
}

function summary(paths: (number[] | undefined)[], ms: number[]): RoutingLoad {
  const max = Math.max(...ms);
  const routed = paths.filter((p): p is number[] => p !== undefined);
  return { msPerHour: ms, busiest: ms.indexOf(max), maxMsPerHour: max, meanHops: routed.reduce((a, p) => a + p.length - 1, 0) / Math.max(1, routed.length) };
}

/** Dijkstra over nodes with the cost of leaving each node `cost(u)`; ties to the lowest index. */
function cheapestPath(adj: number[][], src: number, dst: number, cost: (u: number) => number): number[] | undefined {
  const n = adj.length;
  const dist = new Array<number>(n).fill(Infinity);
  const prev = new Array<number>(n).fill(-1);
  const done = new Uint8Array(n);
  dist[src] = 0;
  for (;;) {
    let u = -1;
    for (let i = 0; i < n; i++) if (!done[i] && dist[i] < Infinity && (u < 0 || dist[i] < dist[u])) u = i;
    if (u < 0 || u === dst) break;
    done[u] = 1;
    for (const v of adj[u]) {
      const d = dist[u] + cost(u);
      if (d < dist[v] - 1e-9) {
        dist[v] = d;
        prev[v] = u;
      }
    }
  }
  if (dist[dst] === Infinity) return undefined;
  const path = [dst];
  while (path[path.length - 1] !== src) path.push(prev[path[path.length - 1]]);
  return path.reverse();
}
