/** A node of an AppMesh that boots again: a new Node with its id and radio, its tables empty. */
import type { AppMesh, AppNode } from './apps-mesh.js';
import { virtualPlatform } from './mesh.js';
import { Node } from '../../modules/mycelium/node.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { Beacon, type BeaconParams } from '../../modules/mycelium/apps/beacon.js';
import { Gossip } from '../../modules/mycelium/apps/gossip.js';
import { SpanningTree } from '../../modules/mycelium/apps/spanning-tree.js';
import type { SpanningTreeParams } from '../../modules/mycelium/apps/tree-params.js';
import { Ping } from '../../modules/mycelium/apps/ping.js';
import { Hello } from '../../modules/mycelium/apps/hello.js';

/** `m` stops (its goodbye is never heard: the caller unlinked it first) and boots again with the standard apps and Hello. */
export function reboot(mesh: AppMesh, m: AppNode, seed: number, params: { beacon?: Partial<BeaconParams>; tree?: Partial<SpanningTreeParams> } = {}): { node: Node; tree: SpanningTree } {
  m.node.stop();
  const node = new Node({ platform: virtualPlatform(mesh.clock, seed), nodeId: m.node.nodeId, radios: [m.radio], loopback: true });
  node.addApp(new Beacon(portableHashes, params.beacon));
  node.addApp(new Gossip(portableHashes));
  const tree = new SpanningTree(portableHashes, params.tree);
  node.addApp(tree);
  node.addApp(new Ping(portableHashes));
  node.addApp(new Hello(portableHashes));
  node.start();
  return { node, tree };
}
