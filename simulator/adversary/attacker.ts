/**
 * One hostile node's attacks over time: from `start_ms`, episode after episode, each running
 * one attack of the node's own mix (drawn from its seeded stream) for a random while, with a
 * random pause between. The node itself runs the standard apps like any other; its TapRadio
 * lets the attacks see, drop and rewrite its frames and put their own on the air.
 */
import type { Clock, Hashes, Timers } from '../../modules/mycelium/platform/platform.js';
import type { SeededRandom } from '../engine/random.js';
import type { Medium } from '../medium/medium.js';
import type { SimRadio } from '../medium/sim-radio.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { AttackContext, AttackName } from './attack.js';
import { ATTACKS } from './attacks/index.js';
import { readFrame, type AppIds, type Counters } from './frames.js';
import { Knowledge } from './knowledge.js';
import type { HostileSpec } from './spec.js';
import { TapRadio } from './tap-radio.js';

export interface AttackerSetup {
  readonly index: number;
  readonly clock: Clock & Timers;
  readonly medium: Medium;
  readonly random: SeededRandom;
  readonly hashes: Hashes;
  readonly apps: AppIds;
  readonly spec: HostileSpec;
  readonly mix: readonly AttackName[];
  readonly endMs: number;
  /** Shared by every attacker: the Gossip topics attacks published on. */
  readonly topics: Map<string, Uint8Array>;
}

export class Attacker {
  readonly index: number;
  readonly mix: readonly AttackName[];
  readonly knows: Knowledge;
  /** What the attacks did, by attack then by figure. */
  readonly tally: Record<string, Record<string, number>> = {};
  /** Episodes run per attack. */
  readonly episodes: Partial<Record<AttackName, number>> = {};
  readonly #s: AttackerSetup;
  readonly #ids: Counters = { packetId: 0, seqId: 0 };
  #tap: TapRadio | undefined;
  #timers = new Set<unknown>();
  #undo: (() => void) | undefined;
  #current: AttackName | undefined;

  constructor(s: AttackerSetup) {
    this.#s = s;
    this.index = s.index;
    this.mix = s.mix;
    this.knows = new Knowledge(s.apps);
    this.#ids.packetId = s.random.int(256);
    this.#ids.seqId = s.random.int(256);
    s.clock.setTimeout(() => this.#next(), s.spec.start_ms);
  }

  /** The node booted on `air`: its Packager gets a TapRadio. */
  radio(air: SimRadio): TapRadio {
    const tap = new TapRadio(this.#s.medium, air);
    tap.outgoing.push((frame) => {
      const h = readFrame(frame);
      if (h) this.knows.ownFrame(h);
      return frame;
    });
    this.#tap = tap;
    return tap;
  }

  /** The node powered off: the episode ends with it (the schedule goes on). */
  closed(): void {
    this.#end();
    this.#tap?.close();
    this.#tap = undefined;
  }

  /** A frame another node put on the air within our reach. */
  overheard(frame: Uint8Array, srcMac: Uint8Array, destMac: Uint8Array | undefined): void {
    const h = readFrame(frame);
    if (h) this.knows.overheard(h, frame, srcMac, destMac, this.#s.clock.now());
  }

  #next(): void {
    const s = this.#s;
    const now = s.clock.now();
    if (now >= s.endMs) return;
    const name = this.mix[s.random.int(this.mix.length)];
    const length = Math.round(s.spec.episode_ms * (0.5 + s.random.float()));
    this.#begin(name);
    s.clock.setTimeout(() => {
      this.#end();
      s.clock.setTimeout(() => this.#next(), Math.round(2 * s.spec.pause_ms * s.random.float()));
    }, length);
  }

  #begin(name: AttackName): void {
    const tap = this.#tap;
    if (!tap) return;
    this.#current = name;
    this.episodes[name] = (this.episodes[name] ?? 0) + 1;
    try {
      this.#undo = ATTACKS[name].start(this.#context(tap, name)) ?? undefined;
    } catch {
      const tally = (this.tally[name] ??= {});
      tally['attack errors'] = (tally['attack errors'] ?? 0) + 1;
    }
  }

  #end(): void {
    for (const t of this.#timers) this.#s.clock.clearTimeout(t);
    this.#timers.clear();
    this.#undo?.();
    this.#undo = undefined;
    this.#current = undefined;
  }

  #context(tap: TapRadio, name: AttackName): AttackContext {
    const s = this.#s;
    const timers = this.#timers;
    const tally = (this.tally[name] ??= {});
    const live = () => this.#current === name && this.#tap === tap;
    const after = (ms: number, fn: () => void): void => {
      const t = s.clock.setTimeout(() => {
        timers.delete(t);
        if (live()) guard(fn);
      }, ms);
      timers.add(t);
    };
    // A bug in an attack must not end the run (the clock would carry the exception out).
    const guard = (fn: () => void): void => {
      try {
        fn();
      } catch {
        tally['attack errors'] = (tally['attack errors'] ?? 0) + 1;
      }
    };
    const every = (ms: number, fn: () => void): void => {
      after(ms, () => {
        fn();
        every(ms, fn);
      });
    };
    return {
      tap,
      clock: s.clock,
      random: s.random,
      hashes: s.hashes,
      apps: s.apps,
      knows: this.knows,
      ids: this.#ids,
      tally: (what, n = 1) => void (tally[what] = (tally[what] ?? 0) + n),
      usedTopic: (topic) => void s.topics.set(toHex(topic), topic.slice()),
      every,
      after,
      inject: (dest, frame, srcMac) => {
        tally.frames = (tally.frames ?? 0) + 1;
        if (!tap.inject(dest, frame, srcMac)) tally['frames refused by the radio'] = (tally['frames refused by the radio'] ?? 0) + 1;
      },
    };
  }
}
