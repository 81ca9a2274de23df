/**
 * Test meshes on a virtual clock: nodes with in-memory radios, seeded loss, and helpers to
 * introduce peers and give addresses without running the apps.
 */
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import type { Platform, LogLevel, SharedValues, Signatures } from '../../modules/mycelium/platform/platform.js';
import { portableHashes as nodeHashes } from '../../modules/mycelium/platform/portable.js'; // pure JS: this support also runs inside XS
import { MemoryMedium, type MemoryRadio, type MemoryRadioOptions } from '../../simulator/medium/memory-medium.js';
import { Node, type NodeOptions } from '../../modules/mycelium/node.js';
import type { Application, Delivery } from '../../modules/mycelium/packager/application.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { appId } from '../../modules/mycelium/wire/ids.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';

/** mulberry32: a tiny seeded PRNG, enough for loss decisions in tests. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function virtualPlatform(clock: VirtualClock, seed = 1, logs?: string[]): Platform {
  const random = seeded(seed);
  return {
    now: () => clock.now(),
    setTimeout: (cb, ms) => clock.setTimeout(cb, ms),
    clearTimeout: (h) => clock.clearTimeout(h),
    sha256: nodeHashes.sha256,
    crc32: nodeHashes.crc32,
    randomBytes: (into) => {
      for (let i = 0; i < into.length; i++) into[i] = Math.floor(random() * 256);
      return into;
    },
    log: (level: LogLevel, message: string) => logs?.push(`${level} ${message}`),
  };
}

/** A 32-byte node id whose first byte is `n` (easy to read in failures). */
export function nodeIdOf(n: number): Uint8Array {
  const id = new Uint8Array(32);
  id[0] = n;
  id[31] = 0xa5;
  return id;
}

export function macOf(n: number): Uint8Array {
  return Uint8Array.of(0x02, 0, 0, 0, (n >> 8) & 255, n & 255);
}

export const TEST_APP_ID = unwrap(appId(nodeHashes, 'test', 'test', 0));

/** Records every blob delivered to it (upstream's test_app). */
export class RecordingApp implements Application {
  readonly id: Uint8Array;
  readonly name = 'test';
  readonly received: { blob: Uint8Array; delivery: Delivery }[] = [];
  throwOnReceive = false;
  constructor(id: Uint8Array = TEST_APP_ID) {
    this.id = id;
  }
  receive(blob: Uint8Array, delivery: Delivery): void {
    if (this.throwOnReceive) throw new Error('app failure');
    this.received.push({ blob, delivery });
  }
}

export interface MeshNode {
  readonly index: number;
  readonly node: Node;
  readonly packager: Packager;
  readonly radio: MemoryRadio;
  readonly app: RecordingApp;
}

export interface TestMeshOptions {
  readonly seed?: number;
  readonly loss?: number;
  readonly latencyMs?: number;
  readonly loopback?: boolean;
  /** Unicasts acked and their fate reported to the sender (MemoryMedium `acks`). */
  readonly acks?: boolean;
  readonly node?: Omit<NodeOptions, 'platform' | 'radios' | 'nodeId'>;
  /** Node `index`'s own options, over `node` (e.g. one sleepy leaf among routing nodes). */
  readonly nodeAt?: (index: number) => Omit<NodeOptions, 'platform' | 'radios' | 'nodeId'> | undefined;
  readonly radio?: MemoryRadioOptions;
  /** Signed modes (issue 20): node `index`'s key (its node id is then the public key). */
  readonly keyOf?: (index: number) => { readonly publicKey: Uint8Array } | undefined;
  /** The node id of the node at `index` (default nodeIdOf(index + 1)). */
  readonly nodeIdAt?: (index: number) => Uint8Array | undefined;
  /** Ed25519 for every node's platform (tests/support/signed-mesh.ts gives node:crypto's). */
  readonly signatures?: Signatures;
  /** One table of immutable values for every node, as the simulator gives (simulator/platform/shared-values.ts). */
  readonly shared?: SharedValues;
}

export class TestMesh {
  readonly clock = new VirtualClock(1_000_000);
  readonly medium: MemoryMedium;
  readonly nodes: MeshNode[] = [];
  readonly #options: TestMeshOptions;

  constructor(options: TestMeshOptions = {}) {
    this.#options = options;
    this.medium = new MemoryMedium(this.clock, {
      latencyMs: options.latencyMs ?? 1,
      random: seeded((options.seed ?? 1) * 7919),
      loss: options.loss ?? 0,
      acks: options.acks ?? false,
    });
  }

  add(count = 1): MeshNode[] {
    const out: MeshNode[] = [];
    for (let k = 0; k < count; k++) {
      const index = this.nodes.length;
      const radio = this.medium.radio(macOf(index), this.#options.radio);
      const node = new Node({
        ...this.#options.node,
        ...this.#options.nodeAt?.(index),
        platform: { ...virtualPlatform(this.clock, (this.#options.seed ?? 1) + index), signatures: this.#options.signatures, shared: this.#options.shared },
        nodeId: this.#options.nodeIdAt?.(index) ?? nodeIdOf(index + 1),
        key: this.#options.keyOf?.(index),
        radios: [radio],
        loopback: this.#options.loopback ?? false,
      });
      const app = new RecordingApp();
      node.addApp(app);
      const m = { index, node, packager: node.packager, radio, app };
      this.nodes.push(m);
      out.push(m);
    }
    return out;
  }

  /** Radio link plus peer entries both ways (what two Beacons would do). */
  connect(a: MeshNode, b: MeshNode, loss?: number): void {
    this.medium.link(a.radio, b.radio, loss);
    this.befriend(a, b);
  }

  befriend(a: MeshNode, b: MeshNode): void {
    a.packager.addPeer(b.node.nodeId, [{ mac: b.radio.mac, radio: a.radio }]);
    b.packager.addPeer(a.node.nodeId, [{ mac: a.radio.mac, radio: b.radio }]);
  }

  /** Give `m` an address and tell every node it has as a peer (what SpanningTree would do). */
  place(m: MeshNode, treeState: number, coords: number[]): Address {
    const addr = unwrap(Address.fromCoords(treeState, coords));
    m.packager.setAddress(addr);
    for (const other of this.nodes) {
      if (other !== m && other.packager.peer(m.node.nodeId)) other.packager.addRoute(m.node.nodeId, addr);
    }
    return addr;
  }

  run(ms: number): void {
    this.clock.advance(ms);
  }

  /** Keep every peer awake (as periodic beacons would) while running. */
  runAwake(ms: number, step = 500): void {
    for (let t = 0; t < ms; t += step) {
      for (const m of this.nodes) for (const p of m.packager.peers) p.lastRx = this.clock.now();
      this.clock.advance(Math.min(step, ms - t));
    }
  }
}
