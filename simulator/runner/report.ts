/**
 * The run's report: its JSON shape and how it is built from what the run observed (traffic
 * ledger, convergence watch, the nodes' final states, the medium's figures). Each figure's
 * definition is in docs/simulator.md.
 */
import type { NodeState } from '../../modules/mycelium/node.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { formatMac } from '../medium/mac.js';
import type { MediumStats } from '../medium/stats.js';
import type { World } from '../scenario/build.js';
import type { AppSummary } from './app-ledger.js';
import type { HeldSummary } from './held-ledger.js';
import type { ConvergenceWatch } from './convergence.js';
import { convergenceFields, type ConvergenceFields } from './convergence-report.js';
import type { TrafficLedger, TrafficSummary } from './ledger.js';
import { radioFigures, type NodeRadio, type RadioSummary } from './radio-report.js';
import { RADIO_DROP_COUNTERS } from '../rylr998/radio-tally.js';
import type { SeriesReport } from './series.js';
import type { TreeView } from './sim-node.js';
import { FORMAT_VERSION, TOOL_VERSION } from './version.js';

/** One node in the report: its final NodeState (node.ts) under the report's JSON names, plus the medium's figures. */
export interface NodeReport {
  readonly index: number;
  readonly node_id: string;
  readonly mac: string;
  readonly up: boolean;
  readonly address: string | null;
  readonly root: string | null;
  readonly peers: number;
  readonly routes: number;
  readonly frames_sent: number;
  readonly frames_received: number;
  readonly airtime_ms: number;
  readonly control_bytes: number;
  readonly data_bytes: number;
  /** Radio state times, energy and duty cycle (radio-report.ts). */
  readonly radio: NodeRadio;
  /** The Packager's non-zero counters. */
  readonly counters: Record<string, number>;
  /** The RYLR-998 driver's non-zero counters over the node's boots (nodes with one only). */
  readonly radio_counters?: Record<string, number>;
}

export interface RunReport extends TrafficSummary, ConvergenceFields {
  /** The report's JSON shape (version.ts). */
  readonly format_version: number;
  /** package.json version of the simulator that wrote it. */
  readonly tool_version: string;
  /** Present (true) only when the run was stopped early (Ctrl-C): figures cover 0..simulated_ms. */
  readonly partial?: true;
  readonly scenario: string;
  readonly seed: number;
  readonly nodes: number;
  readonly simulated_ms: number;
  readonly control_bytes_per_node_per_min: number;
  readonly data_bytes_per_node_per_min: number;
  readonly frames: { readonly sent: number; readonly delivered: number; readonly airtime_ms: number; readonly collision_retries?: number };
  /** Radio state times, radio-on ratio, energy and duty cycle over all nodes (radio-report.ts). */
  readonly radio: RadioSummary;
  /** Bytes put on air, by what they carried (an app's name, `signalling` for acks/RTX/RNS/NIA). */
  readonly bytes_by_kind: Record<string, number>;
  /**
   * Frames the medium lost by reason, what the Packagers dropped, by counter, and sends the
   * source refused (flows and apps), by the mesh's error code.
   */
  readonly drops: {
    readonly medium: MediumStats['lost'];
    readonly packager: Record<string, number>;
    readonly refused: Record<string, number>;
    /** The RYLR-998 drivers' drop counters summed (runs with RYLR-998 nodes only). */
    readonly radio?: Record<string, number>;
  };
  /** The run per time bucket (series.ts). */
  readonly series: SeriesReport;
  readonly per_node: readonly NodeReport[];
  /** The scenario's mesh apps, by app name: traffic, delivery, latency, failures (app-ledger.ts). */
  readonly apps: Record<string, AppSummary>;
  /** The scenario's console commands as they ran, with their output. */
  readonly console: readonly ConsoleRecord[];
  /** Runner-specific figures (the XS runner's heap). */
  readonly engine?: Record<string, unknown>;
  /** Store-and-forward figures, when the scenario has `held` traffic (held-ledger.ts). */
  readonly store_forward?: HeldSummary;
}

/** One scenario command: when, where, the line (as written and as run) and what it printed. */
export interface ConsoleRecord {
  readonly at_ms: number;
  readonly node: number;
  readonly line: string;
  /** The line with `{id:N}` / `{addr:N}` filled in, when that changed it. */
  readonly expanded?: string;
  /** Its output: what it printed at once, then what it printed later (a ping's report, a monitor's lines), even after other commands. */
  readonly output: string[];
}

/** Packager counters that mean a frame or message was lost. */
export function isDropCounter(name: string): boolean {
  return name.startsWith('drop_') || name === 'sequence_abandoned' || name === 'radio_refused' || name === 'inbound_evicted' || name === 'send_unacked' || name === 'send_held_failed' || name === 'ping_wait_failed';
}

export interface ReportInputs {
  readonly world: World;
  readonly ledger: TrafficLedger;
  readonly watch: ConvergenceWatch;
  readonly finalViews: readonly (TreeView | undefined)[];
  readonly finalStates: readonly (NodeState | undefined)[];
  readonly nodeIds: readonly Uint8Array[];
  readonly controlBytes: Float64Array;
  readonly dataBytes: Float64Array;
  readonly bytesByKind: Record<string, number>;
  readonly engine: Record<string, unknown> | undefined;
  readonly apps: Record<string, AppSummary>;
  readonly console: readonly ConsoleRecord[];
  readonly refused: Record<string, number>;
  readonly series: SeriesReport;
  /** The run stopped early at this simulated time (default: it ran the scenario's whole duration). */
  readonly stoppedAtMs?: number;
  readonly storeForward?: HeldSummary;
  /** Each node's RYLR-998 driver counters (undefined: no such radio; radio-tally.ts). */
  readonly radioCounters?: readonly (Record<string, number> | undefined)[];
}

export function buildReport(r: ReportInputs): RunReport {
  const { world, watch } = r;
  const s = world.scenario;
  const n = world.radios.length;
  const simulated = r.stoppedAtMs === undefined ? s.duration_ms : round3(r.stoppedAtMs);
  const minutes = Math.max(simulated, 1) / 60000;
  const packagerDrops: Record<string, number> = {};
  let radioDrops: Record<string, number> | undefined;
  const radioFig = radioFigures(world.medium, n, s.duration_ms, s.radio);
  const perNode: NodeReport[] = world.radios.map((radio, i) => {
    const st = r.finalStates[i];
    const m = world.medium.nodeStats(i);
    const counters: Record<string, number> = {};
    for (const [k, c] of Object.entries(st?.counters ?? {})) {
      if (c === 0) continue;
      counters[k] = c;
      if (isDropCounter(k)) packagerDrops[k] = (packagerDrops[k] ?? 0) + c;
    }
    const radioCounters = r.radioCounters?.[i];
    if (radioCounters) {
      radioDrops ??= {};
      for (const k of RADIO_DROP_COUNTERS) if (radioCounters[k]) radioDrops[k] = (radioDrops[k] ?? 0) + radioCounters[k];
    }
    return {
      index: i,
      node_id: toHex(r.nodeIds[i]),
      mac: formatMac(radio.mac),
      up: world.medium.isUp(i),
      address: st?.address ?? null,
      root: st?.tree?.root ?? null,
      peers: st?.peers.length ?? 0,
      routes: st?.routes.length ?? 0,
      frames_sent: m.sent,
      frames_received: m.received,
      airtime_ms: round3(m.airtimeMs),
      control_bytes: r.controlBytes[i],
      data_bytes: r.dataBytes[i],
      radio: radioFig.perNode[i],
      counters: sortKeys(counters),
      ...(radioCounters && { radio_counters: radioCounters }),
    };
  });
  const sum = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0);
  const ms = world.medium.stats;
  return {
    format_version: FORMAT_VERSION,
    tool_version: TOOL_VERSION,
    ...(r.stoppedAtMs !== undefined && { partial: true as const }),
    scenario: s.name,
    seed: s.seed,
    nodes: n,
    simulated_ms: simulated,
    ...r.ledger.summary(),
    control_bytes_per_node_per_min: round3(sum(r.controlBytes) / n / minutes),
    data_bytes_per_node_per_min: round3(sum(r.dataBytes) / n / minutes),
    ...convergenceFields(watch, r.ledger, s.duration_ms),
    frames: {
      sent: ms.sent,
      delivered: ms.delivered,
      airtime_ms: round3(ms.airtimeMs),
      ...(world.medium.collisions && { collision_retries: ms.collisionRetries }),
    },
    radio: radioFig.summary,
    bytes_by_kind: sortKeys(r.bytesByKind),
    drops: { medium: { ...ms.lost }, packager: sortKeys(packagerDrops), refused: sortKeys(r.refused), ...(radioDrops && { radio: sortKeys(radioDrops) }) },
    per_node: perNode,
    apps: r.apps,
    console: r.console,
    series: r.series,
    ...(r.engine && { engine: r.engine }),
    ...(r.storeForward && { store_forward: r.storeForward }),
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
