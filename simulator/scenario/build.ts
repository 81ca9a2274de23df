/**
 * From a validated scenario to a world: node positions (line, grid, random geometric with
 * "connected" retries, explicit), a Medium with the scenario's radio model and every node
 * added, explicit edges and link overrides applied. Pure (no Node APIs): the same build runs
 * for the in-process runner, the XS runner's host and the hub.
 */
import { VirtualClock } from '../engine/virtual-clock.js';
import { SeededRandom } from '../engine/random.js';
import { makeLossModel, type LossModelSpec } from '../medium/loss-model.js';
import { Medium } from '../medium/medium.js';
import { profileOf, rylr998Profile } from '../medium/profiles.js';
import type { SimRadio } from '../medium/sim-radio.js';
import { geometricGraph, isConnected } from './graph.js';
import type { EdgeSpec, ExtraRadioSpec, Point, RadioSpec, Scenario } from './types.js';

export function lossSpecOf(radio: RadioSpec): LossModelSpec {
  switch (radio.model) {
    case 'unit-disk':
      return { model: 'unit-disk', range: radio.range, baseLoss: radio.base_loss };
    case 'linear':
      return { model: 'linear', r0: radio.r0, r1: radio.r1, baseLoss: radio.base_loss };
    case 'logistic':
      return { model: 'logistic', d50: radio.d50, width: radio.width, baseLoss: radio.base_loss };
  }
}

export interface Layout {
  readonly positions: readonly Point[];
  /** Only these links exist (topology.edges); undefined = links follow from positions. */
  readonly edges: readonly EdgeSpec[] | undefined;
  /** Random geometric: how many layouts were drawn before one was connected. */
  readonly attempts: number;
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; error: string };

/** Seed of the topology stream: topology.random.seed if given, else forked from the scenario seed. */
function topologyRandom(scenario: Scenario, root: SeededRandom): SeededRandom {
  const t = scenario.topology;
  return 'random' in t && t.random.seed !== undefined ? new SeededRandom(t.random.seed) : root.fork('topology');
}

/**
 * `onAttempt`: called before each random layout is drawn (attempt, max_tries), so a caller can
 * show progress while a large connected layout is searched for.
 */
export function layoutTopology(scenario: Scenario, root: SeededRandom = new SeededRandom(scenario.seed), onAttempt?: (attempt: number, maxTries: number) => void): LayoutResult {
  const t = scenario.topology;
  if ('line' in t) {
    return ok(Array.from({ length: t.line.n }, (_, i): Point => [i * t.line.spacing, 0]));
  }
  if ('grid' in t) {
    const { rows, cols, spacing } = t.grid;
    return ok(Array.from({ length: rows * cols }, (_, i): Point => [(i % cols) * spacing, Math.floor(i / cols) * spacing]));
  }
  if ('positions' in t) return ok(t.positions);
  if ('edges' in t) {
    const { n, links, positions } = t.edges;
    // Without positions, a circle (for drawing only: explicit edges ignore distance).
    const radius = Math.max(10, (n * 20) / (2 * Math.PI));
    const circle = Array.from({ length: n }, (_, i): Point => [radius * Math.cos((2 * Math.PI * i) / n), radius * Math.sin((2 * Math.PI * i) / n)]);
    return { ok: true, layout: { positions: positions ?? circle, edges: links, attempts: 1 } };
  }
  const { n, width, height, connected, max_tries } = t.random;
  const rnd = topologyRandom(scenario, root);
  const model = makeLossModel(lossSpecOf(scenario.radio));
  for (let attempt = 1; attempt <= max_tries; attempt++) {
    onAttempt?.(attempt, max_tries);
    // Each attempt has its own stream, so attempt k's layout does not depend on earlier ones.
    const r = rnd.fork(`attempt/${attempt}`);
    const positions = Array.from({ length: n }, (): Point => [r.float() * width, r.float() * height]);
    if (!connected || isConnected(geometricGraph(positions, model, scenario.radio.usable_loss))) {
      return { ok: true, layout: { positions, edges: undefined, attempts: attempt } };
    }
  }
  return {
    ok: false,
    error: `topology.random: no connected layout of ${n} nodes in ${width}×${height} after ${max_tries} tries (enlarge the range or shrink the area)`,
  };
}

function ok(positions: readonly Point[]): LayoutResult {
  return { ok: true, layout: { positions, edges: undefined, attempts: 1 } };
}

export interface World {
  readonly scenario: Scenario;
  readonly clock: VirtualClock;
  /** Root random of the run (seeded with scenario.seed); fork it, do not draw from it. */
  readonly random: SeededRandom;
  readonly medium: Medium;
  /** One radio per node, by index. */
  readonly radios: readonly SimRadio[];
  readonly layout: Layout;
  /** The scenario's `radios` (bridges): a medium each, a radio for each member (undefined elsewhere). */
  readonly extras: readonly ExtraMedium[];
}

/** A second radio kind on some nodes: its medium, indexed like the world's nodes. */
export interface ExtraMedium {
  readonly spec: ExtraRadioSpec;
  readonly medium: Medium;
  /** Node i's radio on this medium, undefined when node i does not have one. */
  readonly radios: readonly (SimRadio | undefined)[];
}

export type WorldResult = { ok: true; world: World } | { ok: false; error: string };

export interface WorldOptions {
  /** Share a clock (e.g. several media of different kinds); default a new VirtualClock(0). */
  clock?: VirtualClock;
  /** Override the scenario's seed (the CLI's --seed). */
  seed?: number;
  /** Round delivery times (see MediumOptions.quantumMs). */
  quantumMs?: number;
  /** Progress of the build (layout attempts, nodes placed): large worlds take seconds. */
  onPhase?: (phase: string) => void;
}

export function buildWorld(scenario: Scenario, options: WorldOptions = {}): WorldResult {
  const s = options.seed === undefined ? scenario : { ...scenario, seed: options.seed >>> 0 };
  const random = new SeededRandom(s.seed);
  const phase = options.onPhase;
  const laid = layoutTopology(s, random, phase && ((k, max) => phase(`layout: drawing attempt ${k} of at most ${max}`)));
  if (!laid.ok) return laid;
  const { layout } = laid;
  const clock = options.clock ?? new VirtualClock(0);
  const medium = new Medium({
    clock,
    random: random.fork('medium'),
    // The scenario may change the link-layer retry count; the rest of the profile is the interface's.
    profile: { ...(s.radio.lora ? rylr998Profile(s.radio.lora) : profileOf(s.interface)), linkRetries: s.radio.link_retries },
    loss: lossSpecOf(s.radio),
    collisions: s.radio.collisions,
    ...(s.radio.capture_db !== null && { captureDb: s.radio.capture_db }),
    asymmetry: s.radio.asymmetry,
    topology: layout.edges ? 'explicit' : 'geometric',
    quantumMs: options.quantumMs ?? 0,
  });
  phase?.(`placing ${layout.positions.length} radios (layout attempt ${layout.attempts})`);
  const radios = layout.positions.map(([x, y]) => medium.addNode({ x, y }));
  for (const e of layout.edges ?? []) medium.link(e.a, e.b, { loss: e.loss, latencyMs: e.latency_ms, oneWay: e.one_way });
  for (const l of s.links) {
    const o = { ...(l.loss !== undefined && { loss: l.loss }), ...(l.latency_ms !== undefined && { latencyMs: l.latency_ms }), ...(l.cut && { cut: true }) };
    medium.setLink(l.a, l.b, o);
    if (!l.one_way) medium.setLink(l.b, l.a, o);
  }
  const extras = (s.radios ?? []).map((spec, k) => extraMedium(spec, k, layout, clock, random, options.quantumMs ?? 0));
  return { ok: true, world: { scenario: s, clock, random, medium, radios, layout, extras } };
}

/**
 * A medium for one extra radio kind. Every node has a place on it (indices stay the world's);
 * the nodes without that radio are down on it, so they neither hear nor send. Its random stream
 * is a fork of its own: the main medium draws what it always drew.
 */
function extraMedium(spec: ExtraRadioSpec, k: number, layout: Layout, clock: VirtualClock, random: SeededRandom, quantumMs: number): ExtraMedium {
  const r = spec.radio;
  const medium = new Medium({
    clock,
    random: random.fork(`medium/radios/${k}`),
    profile: { ...(r.lora ? rylr998Profile(r.lora) : profileOf(spec.interface)), linkRetries: r.link_retries },
    loss: lossSpecOf(r),
    collisions: r.collisions,
    ...(r.capture_db !== null && { captureDb: r.capture_db }),
    asymmetry: r.asymmetry,
    topology: 'geometric',
    quantumMs,
  });
  const members = new Set(spec.nodes);
  const radios = layout.positions.map(([x, y], i) => {
    const radio = medium.addNode({ x, y });
    if (!members.has(i)) medium.setUp(i, false);
    return members.has(i) ? radio : undefined;
  });
  return { spec, medium, radios };
}
