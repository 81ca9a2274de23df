/**
 * The shape of one attack (simulator/adversary/attacks/, one file each) and what it may use:
 * its node's TapRadio, what its node heard (Knowledge), the clock and its own seeded random
 * stream. An attack runs in episodes: `start` begins one and returns how to undo what it set
 * up (filters on the radio); timers taken through `every`/`after` end with the episode.
 */
import type { Clock, Hashes, Timers } from '../../modules/mycelium/platform/platform.js';
import type { SeededRandom } from '../engine/random.js';
import type { AppIds, Counters } from './frames.js';
import type { Knowledge } from './knowledge.js';
import type { TapRadio } from './tap-radio.js';

export const ATTACK_NAMES = [
  'beacon_flood',
  'link_hijack',
  'sequence_bomb',
  'ping_flood',
  'gossip_flood',
  'route_poison',
  'replay',
  'rogue_parent',
  'blackhole',
] as const;

export type AttackName = (typeof ATTACK_NAMES)[number];

export interface AttackContext {
  readonly tap: TapRadio;
  readonly clock: Clock & Timers;
  readonly random: SeededRandom;
  readonly hashes: Hashes;
  readonly apps: AppIds;
  readonly knows: Knowledge;
  /** packet_id / seq_id of the frames this attacker builds. */
  readonly ids: Counters;
  /** Count something the attack did (frames injected, frames dropped, ...) under `what`. */
  tally(what: string, n?: number): void;
  /** A Gossip topic the attack published on (the soak measures the nodes' caches per topic). */
  usedTopic(topic: Uint8Array): void;
  /** Call `fn` every `ms` until the episode ends. */
  every(ms: number, fn: () => void): void;
  /** Call `fn` once after `ms`, unless the episode ended. */
  after(ms: number, fn: () => void): void;
  /** Put a frame on the air; counted as `frames`. */
  inject(dest: Uint8Array | undefined, frame: Uint8Array, srcMac?: Uint8Array): void;
}

export interface Attack {
  readonly name: AttackName;
  /** Begin an episode; the returned function (if any) undoes its radio filters. */
  start(ctx: AttackContext): (() => void) | void;
}

/** A locally administered unicast MAC no simulated node has (theirs start 02:6d). */
export function spoofedMac(random: SeededRandom): Uint8Array {
  const mac = random.bytes(new Uint8Array(6));
  mac[0] = 0x06;
  return mac;
}

/** A random element, or undefined from an empty list. */
export function pick<T>(random: SeededRandom, list: readonly T[]): T | undefined {
  return list.length === 0 ? undefined : list[random.int(list.length)];
}
