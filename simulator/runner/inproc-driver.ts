/** The in-process driver: every node is a SimNode in this process, on the run's clock. */
import type { NodeState } from '../../modules/mycelium/node.js';
import type { Hashes, SharedValues } from '../../modules/mycelium/platform/platform.js';
import { MemoryStorage } from '../platform/node-platform.js';
import { sharedValues } from '../platform/shared-values.js';
import type { VirtualClock } from '../engine/virtual-clock.js';
import { createSimPlatform } from '../engine/sim-platform.js';
import type { SeededRandom } from '../engine/random.js';
import type { SimRadio } from '../medium/sim-radio.js';
import type { BootRadio, RadioFactory, TwinSpec } from '../rylr998/twin.js';
import type { RadioTally } from '../rylr998/radio-tally.js';
import type { NodeDriver } from './driver.js';
import type { InterfaceOptions } from '../../modules/mycelium/packager/options.js';
import type { AppMain } from '../../modules/mesh-api/api.js';
import { appMainsOf, type AppModule } from './app-modules.js';
import type { Signatures } from '../../modules/mycelium/platform/platform.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';
import { SimNode, type SimAppSpec, type SimNodeEvents, type SimNodeOptions, type TrafficOrder, type TreeView } from './sim-node.js';

export interface NodeSetup {
  readonly clock: VirtualClock;
  readonly random: SeededRandom;
  readonly radios: readonly SimRadio[];
  readonly nodeIds: readonly Uint8Array[];
  readonly options: readonly SimNodeOptions[];
  /** The scenario's apps per node (default: none). */
  readonly apps?: readonly (readonly SimAppSpec[])[];
  /** Apps loaded by module path (app-modules.ts); default none. */
  readonly appModules?: readonly AppModule[];
  readonly events: SimNodeEvents;
  /** Node log lines (default: dropped). */
  readonly log?: (line: string) => void;
  /** Builds each boot's Radio over the medium's (e.g. a RYLR-998 driver and its twin); default the SimRadio itself. */
  readonly radioFor?: RadioFactory;
  /**
   * The RYLR-998 radios `radioFor` builds, as data, and the tally it counts them in: the XS
   * runner builds the same radios inside its workers and hands their counters to the tally.
   */
  readonly rylr998?: { readonly spec: TwinSpec; readonly tally: RadioTally };
  /** Second radios (scenario `radios`, bridges): each node's radio on that medium (or none), how a boot opens it, its interface options. */
  readonly extraRadios?: readonly ExtraRadioSetup[];
  /** Signed modes (issue 20): each node's key seed, Ed25519, and the scenario's security. */
  readonly keySeeds?: readonly Uint8Array[];
  readonly signatures?: Signatures;
  readonly security?: SecurityOptions;
}

export interface ExtraRadioSetup {
  readonly radios: readonly (SimRadio | undefined)[];
  readonly radioFor?: RadioFactory;
  readonly options: InterfaceOptions;
}

/** The random stream of node `i`'s `boot`-th power-on: the same in every runner. */
export function nodeStreamLabel(i: number, boot: number): string {
  return `node/${i}/boot/${boot}`;
}

/** The shared table's smallest generation: entries, whatever the run's size. */
const SHARED_GENERATION = 1 << 16;

export class InprocDriver implements NodeDriver {
  readonly #setup: NodeSetup;
  readonly #hashes: Hashes;
  readonly #nodes: (SimNode | undefined)[];
  readonly #boots: number[];
  readonly #bootRadios: (BootRadio | undefined)[];
  /** Each node's second radios opened for this boot (bridges). */
  readonly #extraBoots: BootRadio[][];
  /** Each node's flash: what its platform stored survives a power-off, as on a board. */
  readonly #flash: MemoryStorage[];
  #appMains: Readonly<Record<string, AppMain>> | undefined;
  /** Values every node of the run may hold as one object (a hello's addresses, by each receiver). */
  readonly #shared: SharedValues;

  constructor(setup: NodeSetup, hashes: Hashes) {
    this.#setup = setup;
    this.#hashes = hashes;
    this.#nodes = setup.radios.map(() => undefined);
    this.#boots = setup.radios.map(() => 0);
    this.#bootRadios = setup.radios.map(() => undefined);
    this.#extraBoots = setup.radios.map(() => []);
    this.#flash = setup.radios.map(() => new MemoryStorage());
    // Room for every node's addresses in a few trees and the landmark entries naming them.
    this.#shared = sharedValues(Math.max(SHARED_GENERATION, 16 * setup.radios.length));
  }

  /** The live SimNode at `i` (tests and the hub look inside). */
  node(i: number): SimNode | undefined {
    return this.#nodes[i];
  }

  boot(i: number): void {
    this.shutdown(i);
    const s = this.#setup;
    const platform = createSimPlatform({
      clock: s.clock,
      random: s.random.fork(nodeStreamLabel(i, this.#boots[i]++)),
      hashes: this.#hashes,
      name: `n${i}`,
      sink: s.log,
      signatures: s.signatures,
      storage: this.#flash[i],
      shared: this.#shared,
    });
    this.#appMains ??= appMainsOf(s.appModules ?? []);
    const boot = s.radioFor?.(i, s.radios[i], platform);
    this.#bootRadios[i] = boot;
    const extraRadios = [];
    for (const x of s.extraRadios ?? []) {
      const air = x.radios[i];
      if (!air) continue;
      const b = x.radioFor?.(i, air, platform);
      if (b) this.#extraBoots[i].push(b);
      extraRadios.push({ radio: b?.radio ?? air, options: x.options });
    }
    const node = new SimNode({ index: i, nodeId: s.nodeIds[i], platform, hashes: this.#hashes, radio: boot?.radio ?? s.radios[i], extraRadios, options: s.options[i], events: s.events, apps: s.apps?.[i], appMains: this.#appMains, keySeed: s.keySeeds?.[i], security: s.security });
    this.#nodes[i] = node;
    node.start();
  }

  shutdown(i: number): void {
    this.#nodes[i]?.shutdown();
    this.#nodes[i] = undefined;
    this.#bootRadios[i]?.close();
    this.#bootRadios[i] = undefined;
    for (const b of this.#extraBoots[i]) b.close();
    this.#extraBoots[i] = [];
  }

  send(i: number, order: TrafficOrder, done: (error: string | undefined) => void): void {
    const node = this.#nodes[i];
    done(node ? node.send(order) : 'node_down');
  }

  command(i: number, line: string, done: (ran: boolean) => void): void {
    const node = this.#nodes[i];
    node?.command(line);
    done(node !== undefined);
  }

  views(done: (views: (TreeView | undefined)[]) => void): void {
    done(this.#nodes.map((n) => n?.view()));
  }

  stats(done: (stats: (NodeState | undefined)[]) => void): void {
    done(this.#nodes.map((n) => n?.node.state()));
  }

  counters(done: (counters: (Record<string, number> | undefined)[]) => void): void {
    done(this.#nodes.map((n) => n?.node.packager.counters.snapshot()));
  }

  flush(): undefined {
    return undefined;
  }

  async extras(): Promise<undefined> {
    return undefined;
  }

  async close(): Promise<void> {
    for (let i = 0; i < this.#nodes.length; i++) this.shutdown(i);
  }
}
