/**
 * `npm run bench:sim`: how the simulator scales. Random geometric meshes (unit disk of 100 m,
 * mean degree about 10, connected) with Beacon, Gossip, SpanningTree and Ping traffic over
 * both routing metrics once the tree has had time to form. Prints wall time, peak RSS, the
 * convergence time and the routing figures; growth of wall time with n.
 */
import { validateScenario } from '../simulator/scenario/validate.js';
import { runScenario, type RunReport } from '../simulator/runner/run.js';

export interface ScaleCase {
  readonly nodes: number;
  readonly minutes: number;
  /** Ping traffic starts at this minute (after convergence), 100 flows per metric. */
  readonly trafficFromMinute: number;
}

export interface ScaleResult {
  readonly nodes: number;
  readonly minutes: number;
  readonly wallS: number;
  readonly peakRssMiB: number;
  readonly report: RunReport;
}

/** Square side giving a mean degree of about `degree` with a 100 m range. */
function side(nodes: number, degree = 10): number {
  return Math.round(Math.sqrt((nodes * Math.PI * 100 * 100) / degree));
}

export function scaleScenario(c: ScaleCase): unknown {
  const s = side(c.nodes);
  const flows = Math.min(100, c.nodes);
  const traffic = (metric: string) => ({
    random: { flows, seed: metric === 'dTree' ? 11 : 12 },
    kind: 'ping',
    size: 16,
    interval_ms: 30_000,
    start_ms: c.trafficFromMinute * 60_000,
    metric,
  });
  return {
    name: `scale-${c.nodes}x${c.minutes}min`,
    seed: 42,
    duration_ms: c.minutes * 60_000,
    interface: 'espnow',
    radio: { model: 'unit-disk', range: 100 },
    topology: { random: { n: c.nodes, width: s, height: s, connected: true, max_tries: 1000 } },
    traffic: c.trafficFromMinute < c.minutes ? [traffic('dTree'), traffic('dCPL')] : [],
    // Gossiping every tree advert floods the whole mesh per address change (O(n²) frames):
    // large meshes route by address and leave it off.
    node_options: { all: { spanning_tree: { pub: false, pub_each_round: false } } },
  };
}

export async function runCase(c: ScaleCase, onProgress?: (simMs: number, totalMs: number) => void): Promise<ScaleResult> {
  const v = validateScenario(scaleScenario(c));
  if (!v.ok) throw new Error(v.errors.join('; '));
  const started = performance.now();
  const r = await runScenario(v.scenario, { onProgress });
  if (!r.ok) throw new Error(r.error);
  return {
    nodes: c.nodes,
    minutes: c.minutes,
    wallS: (performance.now() - started) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    report: r.report,
  };
}
