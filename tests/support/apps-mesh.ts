/** Test meshes running the bundled apps (Beacon, Gossip, SpanningTree) on every node. */
import { TestMesh, type MeshNode, type TestMeshOptions } from './mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { Beacon, type BeaconParams } from '../../modules/mycelium/apps/beacon.js';
import { Gossip, type GossipParams } from '../../modules/mycelium/apps/gossip.js';
import { SpanningTree, type SpanningTreeParams } from '../../modules/mycelium/apps/spanning-tree.js';
import { Ping, type PingParams } from '../../modules/mycelium/apps/ping.js';
import { Hello, type HelloParams } from '../../modules/mycelium/apps/hello.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

export interface AppNode extends MeshNode {
  readonly beacon: Beacon;
  readonly gossip: Gossip;
  readonly tree: SpanningTree;
  readonly ping: Ping;
  /** Our Hello (link quality, fast repair); undefined on nodes that speak only upstream's apps. */
  readonly hello: Hello | undefined;
}

export interface AppMeshOptions extends TestMeshOptions {
  readonly beacon?: Partial<BeaconParams>;
  readonly gossip?: Partial<GossipParams>;
  readonly tree?: Partial<SpanningTreeParams>;
  readonly ping?: Partial<PingParams>;
  /** Add Hello to every node (true: default parameters). Without it nodes speak only upstream's apps. */
  readonly hello?: Partial<HelloParams> | true;
}

export class AppMesh extends TestMesh {
  readonly apps: AppNode[] = [];
  readonly #o: AppMeshOptions;
  constructor(options: AppMeshOptions = {}) {
    super({ loopback: true, ...options });
    this.#o = options;
  }

  /** `hello`: this batch's Hello, when it differs from the mesh's (false: upstream's apps only). */
  addApps(count: number, withHello: AppMeshOptions['hello'] | false = this.#o.hello): AppNode[] {
    return this.add(count).map((m) => {
      const beacon = new Beacon(portableHashes, this.#o.beacon);
      const gossip = new Gossip(portableHashes, this.#o.gossip);
      const tree = new SpanningTree(portableHashes, this.#o.tree);
      const ping = new Ping(portableHashes, this.#o.ping);
      m.node.addApp(beacon);
      m.node.addApp(gossip);
      m.node.addApp(tree);
      m.node.addApp(ping);
      const h = withHello;
      const hello = h ? new Hello(portableHashes, h === true ? {} : h) : undefined;
      if (hello) m.node.addApp(hello);
      const a = { ...m, beacon, gossip, tree, ping, hello };
      this.apps.push(a);
      return a;
    });
  }

  /** Radio links only: the apps discover each other. */
  wire(a: MeshNode, b: MeshNode, loss?: number): void {
    this.medium.link(a.radio, b.radio, loss);
  }

  /** Each pair wired both ways. */
  wirePairs(pairs: readonly (readonly [MeshNode, MeshNode])[]): void {
    for (const [a, b] of pairs) this.wire(a, b);
  }

  /** `rows` × `cols` new nodes, each wired to its right and lower neighbour. */
  grid(rows: number, cols: number): AppNode[] {
    const n = this.addApps(rows * cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (c < cols - 1) this.wire(n[r * cols + c], n[r * cols + c + 1]);
        if (r < rows - 1) this.wire(n[r * cols + c], n[(r + 1) * cols + c]);
      }
    }
    return n;
  }

  startAll(): void {
    for (const a of this.apps) a.node.start();
  }

  /**
   * Wire `nodes` in a line, start every node and give the tree `ms` to form; the medium's log is
   * cleared after, so a test reads only what follows. True when one tree formed.
   */
  startLine(nodes: readonly AppNode[], ms = 120_000): boolean {
    for (let i = 1; i < nodes.length; i++) this.wire(nodes[i - 1], nodes[i]);
    this.startAll();
    this.run(ms);
    const formed = this.converged();
    this.medium.clearLog();
    return formed;
  }

  /**
   * `rounds` pings from `a` to `b` and from `b` to `a` at their current addresses, 5 s apart:
   * whether every request was taken, and how many answers each node got.
   */
  pingBothWays(a: AppNode, b: AppNode, rounds = 3): { readonly sent: boolean; readonly ab: number; readonly ba: number } {
    let sent = true;
    for (let i = 0; i < rounds; i++) {
      sent = a.ping.request(b.packager.address as Address).ok && sent;
      sent = b.ping.request(a.packager.address as Address).ok && sent;
      this.run(5_000);
    }
    return { sent, ab: a.ping.responses().length, ba: b.ping.responses().length };
  }

  /** Distinct roots followed by live (running) nodes. */
  roots(nodes: readonly AppNode[] = this.apps): string[] {
    return [...new Set(nodes.filter((a) => a.node.running).map((a) => toHex(a.tree.root)))];
  }

  /** True when every running node follows one root and all addresses in its tree are distinct. */
  converged(nodes: readonly AppNode[] = this.apps): boolean {
    const live = nodes.filter((a) => a.node.running);
    if (this.roots(live).length !== 1) return false;
    const addrs = live.map((a) => a.packager.address?.toString());
    const ts = live.map((a) => a.packager.address?.treeState);
    return new Set(addrs).size === live.length && new Set(ts).size === 1;
  }
}
