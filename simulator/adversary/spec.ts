/**
 * A scenario's `hostile` section (SCENARIOS.md): the share of nodes that attack, the attacks
 * they draw from, and the rhythm of their episodes. Checked here, with one error per bad field.
 */
import { ATTACK_NAMES, type AttackName } from './attack.js';

export interface HostileSpec {
  /** Share of the nodes that are hostile (rounded, at least one when > 0). */
  readonly fraction: number;
  /** The attacks hostile nodes draw from; every one is given to at least one node when there are enough nodes. */
  readonly attacks: readonly AttackName[];
  /** Attacks per hostile node (its own seeded mix). */
  readonly per_node: number;
  /** No attack before this time (the mesh forms first). */
  readonly start_ms: number;
  /** Each episode lasts between half and one and a half times this. */
  readonly episode_ms: number;
  /** Quiet time between episodes, between 0 and twice this. */
  readonly pause_ms: number;
}

export const HOSTILE_DEFAULTS = { per_node: 3, start_ms: 120_000, episode_ms: 180_000, pause_ms: 60_000 } as const;
const FIELDS = ['fraction', 'attacks', 'per_node', 'start_ms', 'episode_ms', 'pause_ms'];

const show = (v: unknown): string => (v === undefined ? 'nothing' : JSON.stringify(v));

/** The section, or undefined with `errors` filled (paths start with `hostile`). */
export function readHostile(v: unknown, errors: string[]): HostileSpec | undefined {
  const start = errors.length;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    errors.push(`hostile: must be an object, got ${show(v)}`);
    return undefined;
  }
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!FIELDS.includes(k)) errors.push(`hostile.${k}: unknown field (expected one of ${FIELDS.join(', ')})`);
  const fraction = o.fraction;
  if (typeof fraction !== 'number' || !(fraction > 0 && fraction <= 0.5)) errors.push(`hostile.fraction: must be a number > 0 and ≤ 0.5, got ${show(fraction)}`);
  const attacks = o.attacks === undefined ? [...ATTACK_NAMES] : o.attacks;
  if (!Array.isArray(attacks) || attacks.length === 0) errors.push(`hostile.attacks: must be a non-empty array, got ${show(attacks)}`);
  else
    attacks.forEach((a, i) => {
      if (!(ATTACK_NAMES as readonly unknown[]).includes(a)) errors.push(`hostile.attacks[${i}]: must be one of ${ATTACK_NAMES.map((n) => `"${n}"`).join(', ')}, got ${show(a)}`);
    });
  const int = (k: keyof typeof HOSTILE_DEFAULTS, min: number): number => {
    const x = o[k] ?? HOSTILE_DEFAULTS[k];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) errors.push(`hostile.${k}: must be an integer ≥ ${min}, got ${show(x)}`);
    return x as number;
  };
  const spec = { fraction: fraction as number, attacks: [...new Set(attacks as AttackName[])], per_node: int('per_node', 1), start_ms: int('start_ms', 0), episode_ms: int('episode_ms', 1), pause_ms: int('pause_ms', 0) };
  return errors.length > start ? undefined : spec;
}
