/**
 * A scenario as the simulator uses it: validated, with every default filled in. The JSON form
 * (snake_case, documented in SCENARIOS.md) is checked and normalised by validate.ts.
 */
import type { InterfaceKind } from '../medium/profiles.js';
import type { RadioPowerSpec } from './radio-power.js';
import type { HostileSpec } from '../adversary/spec.js';

export type Point = readonly [x: number, y: number];

/** The radio's range and loss model, plus its current profile, duty-cycle limit and link retries (radio-power.ts). */
export interface RadioSpec extends RadioPowerSpec {
  readonly model: 'unit-disk' | 'linear' | 'logistic';
  /** unit-disk */
  readonly range: number;
  /** linear: loss = base_loss up to r0, ramps to 1 at r1 */
  readonly r0: number;
  readonly r1: number;
  /** logistic: loss ½ at d50, edge width */
  readonly d50: number;
  readonly width: number;
  readonly base_loss: number;
  readonly collisions: boolean;
  /** With collisions: a frame survives an overlap with one at least this many dB weaker (null: both lost). */
  readonly capture_db: number | null;
  /** Each directed link's own extra loss is uniform in [0, asymmetry], from the seed (0 = symmetric). */
  readonly asymmetry: number;
  /** Links with loss ≤ this count as edges of the radio graph (connectivity, shortest paths). */
  readonly usable_loss: number;
}

export type Topology =
  | { readonly line: { readonly n: number; readonly spacing: number } }
  | { readonly grid: { readonly rows: number; readonly cols: number; readonly spacing: number } }
  | {
      readonly random: {
        readonly n: number;
        readonly width: number;
        readonly height: number;
        /** Default: derived from the scenario seed. */
        readonly seed: number | undefined;
        readonly connected: boolean;
        readonly max_tries: number;
      };
    }
  | { readonly positions: readonly Point[] }
  | { readonly edges: { readonly n: number; readonly links: readonly EdgeSpec[]; readonly positions: readonly Point[] | undefined } };

export interface EdgeSpec {
  readonly a: number;
  readonly b: number;
  readonly loss: number | undefined;
  readonly latency_ms: number | undefined;
  readonly one_way: boolean;
}

export interface LinkSpec extends EdgeSpec {
  readonly cut: boolean;
}

export type ChurnEvent =
  | { readonly at_ms: number; readonly action: 'node_down' | 'node_up'; readonly node: number }
  | { readonly at_ms: number; readonly action: 'link_cut' | 'link_restore'; readonly a: number; readonly b: number; readonly one_way: boolean }
  | { readonly at_ms: number; readonly action: 'root_kill' }
  /** Take down the live node heading the largest branch of a tree (run/largest-branch.ts); it stays down. */
  | { readonly at_ms: number; readonly action: 'relay_kill' }
  /** Cut every link between `nodes` and the rest (both ways); `heal` with the same name restores them. */
  | { readonly at_ms: number; readonly action: 'partition'; readonly name: string; readonly nodes: readonly number[] }
  | { readonly at_ms: number; readonly action: 'heal'; readonly name: string };

/**
 * When nodes power on: node i at `at_ms[i]` when set, else at a random time in [0, spread_ms)
 * (one draw per node in index order, so an explicit time leaves the others' times unchanged).
 */
export interface PowerOn {
  readonly spread_ms: number;
  readonly at_ms: readonly (number | null)[];
}

export interface SleepWindow {
  /** Node indices, or every node. */
  readonly nodes: 'all' | readonly number[];
  readonly at_ms: number;
  readonly duration_ms: number;
  /** Repeat every this many ms until the end of the run (undefined: once). */
  readonly every_ms: number | undefined;
}

/** `held`: a blob sent through StoreForward (docs/store-forward.md), sent even while its destination is away. */
export type TrafficKind = 'ping' | 'blob' | 'held';
export type Metric = 'dTree' | 'dCPL';

export interface TrafficSpec {
  /** Explicit (source, destination) pairs, or `random` flows between distinct random nodes. */
  readonly pairs: readonly (readonly [number, number])[] | undefined;
  readonly random: { readonly flows: number; readonly seed: number | undefined } | undefined;
  readonly kind: TrafficKind;
  /** Payload bytes (ping: the echo payload). */
  readonly size: number;
  readonly interval_ms: number;
  readonly start_ms: number;
  readonly stop_ms: number;
  readonly metric: Metric;
  /**
   * All flows of the entry send at the same instants (start_ms + k·interval_ms). Default false:
   * each flow starts at its own offset in [0, interval_ms), so flows do not burst together.
   */
  readonly aligned: boolean;
  /** Lifetime of `held` messages, ms. */
  readonly lifetime_ms: number;
  /**
   * The sender is given the destination's node id only, as an app that sends by id: it routes by
   * the addresses it has learned (adverts, Hello's WHERE). Default false: the runner hands it the
   * destination's current address as well (an oracle), which measures routing, not learning.
   */
  readonly by_id: boolean;
}

/** A mesh app (simulator/mods/registry.ts) run on some nodes, with its options. */
export interface AppAssignment {
  /** Name in the registry, e.g. "chat"; for a module app, its name (`name`, else from the path). */
  readonly app: string;
  /**
   * A module app (`{ "module": "./my-app/mod.ts" }`): its path, absolute once loaded from a file
   * (load.ts resolves it against the scenario's folder). Undefined: the registry app `app`.
   */
  readonly module?: string;
  readonly nodes: 'all' | readonly number[];
  /** Options for every node running it (the app's `start(mesh, options)`). */
  readonly options: Readonly<Record<string, unknown>>;
  /** Per node index, merged over `options` (one level). */
  readonly per_node: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A console line typed on a node at a time; `{id:N}` / `{addr:N}` are filled in when it runs. */
export interface ConsoleCommandSpec {
  readonly at_ms: number;
  readonly node: number;
  readonly line: string;
}

/** The scenario's `report` section. */
export interface ReportSpec {
  /** Time-series bucket, simulated ms: a whole number of seconds (the tree is sampled every second). */
  readonly bucket_ms: number;
}

/**
 * A second radio on some nodes (a bridge: ESP-NOW and a RYLR-998), on a medium of its own with
 * its own range, collisions and duty limit; the scenario's `interface` stays every node's first.
 */
export interface ExtraRadioSpec {
  readonly interface: InterfaceKind;
  /** The nodes that have this radio, by index. */
  readonly nodes: readonly number[];
  readonly radio: RadioSpec;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly seed: number;
  readonly duration_ms: number;
  readonly interface: InterfaceKind;
  readonly radio: RadioSpec;
  readonly topology: Topology;
  /** Node count implied by the topology. */
  readonly nodes: number;
  readonly links: readonly LinkSpec[];
  readonly churn: readonly ChurnEvent[];
  readonly power_on: PowerOn;
  readonly sleep: readonly SleepWindow[];
  readonly traffic: readonly TrafficSpec[];
  /** Passed to the Node constructor untouched: `all` for every node, `per_node` by index. */
  readonly apps: readonly AppAssignment[];
  readonly commands: readonly ConsoleCommandSpec[];
  /** What the report holds beyond the defaults (validate.ts fills `bucket_ms` in). */
  readonly report?: ReportSpec;
  /** Hostile nodes and their attacks (simulator/adversary/); absent: every node is honest. */
  readonly hostile?: HostileSpec;
  /** Issue 20: signed identities (modules/mycelium/signed/security.ts); absent = open. Pinned roots resolved to hex keys by the run. */
  readonly security?: { readonly mode: 'open' | 'signed' | 'mixed'; readonly pinned_roots: readonly string[]; readonly root_work: boolean; readonly root_work_floor: number };
  readonly node_options: { readonly all: Readonly<Record<string, unknown>>; readonly per_node: Readonly<Record<string, Readonly<Record<string, unknown>>>> };
  /** Radios beside `interface` on some nodes (bridges); absent: one radio per node. */
  readonly radios?: readonly ExtraRadioSpec[];
}
