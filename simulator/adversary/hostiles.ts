/**
 * The hostile nodes of a run (a scenario's `hostile` section): which nodes they are, the attacks
 * each draws from, their TapRadios (given through the driver's `radioFor`), and what they hear
 * of their neighbours' frames. In-process runner only: the attacks need the medium itself.
 */
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import type { World } from '../scenario/build.js';
import type { RadioFactory } from '../rylr998/twin.js';
import type { AttackName } from './attack.js';
import { Attacker } from './attacker.js';
import { appIdsOf } from './frames.js';
import type { HostileSpec } from './spec.js';

export class Hostiles {
  readonly spec: HostileSpec;
  /** Hostile node indices, ascending. */
  readonly indices: readonly number[];
  readonly attackers: ReadonlyMap<number, Attacker>;
  /** Gossip topics the attacks published on, hex → bytes. */
  readonly topics = new Map<string, Uint8Array>();
  readonly #world: World;
  /** Sender index → the attackers that hear it. */
  readonly #hearers = new Map<number, Attacker[]>();

  constructor(world: World, spec: HostileSpec, hashes: Hashes) {
    this.spec = spec;
    this.#world = world;
    const { clock, medium } = world;
    const n = medium.size;
    const random = world.random.fork('hostile');
    const count = Math.min(n, Math.max(1, Math.round(spec.fraction * n)));
    const order = shuffled(random, [...Array(n).keys()]);
    this.indices = order.slice(0, count).sort((a, b) => a - b);
    const mixes = dealAttacks(random, spec.attacks, this.indices.length, spec.per_node);
    const apps = appIdsOf(hashes);
    const attackers = new Map<number, Attacker>();
    this.indices.forEach((index, k) => {
      attackers.set(index, new Attacker({ index, clock, medium, random: random.fork(`attacker/${index}`), hashes, apps, spec, mix: mixes[k], endMs: world.scenario.duration_ms, topics: this.topics }));
    });
    this.attackers = attackers;
    medium.onTransmit((from, frame, destMac) => {
      if (attackers.has(from)) return;
      const hearers = this.#hearersOf(from);
      if (hearers.length === 0) return;
      const mac = medium.radio(from).mac;
      for (const a of hearers) a.overheard(frame, mac, destMac);
    });
  }

  isHostile(index: number): boolean {
    return this.attackers.has(index);
  }

  /** The driver's radio factory: hostile nodes get their TapRadio, the others the medium's. */
  radioFor(): RadioFactory {
    return (index, air) => {
      const a = this.attackers.get(index);
      if (!a) return { radio: air, close: () => {} };
      return { radio: a.radio(air), close: () => a.closed() };
    };
  }

  #hearersOf(from: number): Attacker[] {
    let h = this.#hearers.get(from);
    if (!h) {
      // Positions do not move in a run; a cut link is not heard.
      const links = this.#world.medium.links(from);
      h = links.filter((l) => l.loss < 1 && !l.cut && this.attackers.has(l.to)).map((l) => this.attackers.get(l.to) as Attacker);
      this.#hearers.set(from, h);
    }
    return h;
  }
}

function shuffled<T>(random: { int(n: number): number }, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/**
 * Each node's mix: the attacks shuffled and dealt round robin (so each is someone's while
 * there are nodes enough), then topped up at random to `perNode` distinct attacks.
 */
export function dealAttacks(random: { int(n: number): number }, attacks: readonly AttackName[], nodes: number, perNode: number): AttackName[][] {
  const mixes: AttackName[][] = Array.from({ length: nodes }, () => []);
  if (nodes === 0) return mixes;
  shuffled(random, [...attacks]).forEach((a, i) => {
    const mix = mixes[i % nodes];
    if (mix.length < Math.max(perNode, Math.ceil(attacks.length / nodes))) mix.push(a);
  });
  const want = Math.min(perNode, attacks.length);
  for (const mix of mixes) {
    while (mix.length < want) {
      const a = attacks[random.int(attacks.length)];
      if (!mix.includes(a)) mix.push(a);
    }
  }
  return mixes;
}
