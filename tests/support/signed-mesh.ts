/**
 * Test meshes in signed and mixed modes (issue 20): every node has an Ed25519 key (node id =
 * public key, seeds derived from the node's index, so runs repeat) and, unless its mode is
 * open, a SignedTree layer over its SpanningTree.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from './apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { SignedTree, type SignedTreeParams } from '../../modules/mycelium/signed/signed-tree.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';

export interface SignedNode extends AppNode {
  readonly key: NodeKey;
  readonly signed: SignedTree | undefined;
}

export interface SignedMeshOptions extends AppMeshOptions {
  readonly security: SecurityOptions;
  readonly signedTree?: Partial<SignedTreeParams>;
}

export function seedOf(index: number): Uint8Array {
  return Uint8Array.from({ length: 32 }, (_, i) => (index * 131 + i * 17 + 7) & 255);
}

export function keyOf(index: number): NodeKey {
  return NodeKey.fromSeed(nodeSignatures, seedOf(index));
}

export class SignedMesh extends AppMesh {
  readonly signedNodes: SignedNode[] = [];
  readonly #o: SignedMeshOptions;
  constructor(options: SignedMeshOptions) {
    super({ ...options, keyOf, signatures: nodeSignatures });
    this.#o = options;
  }

  /** `count` nodes in `security`'s mode (default: the mesh's). */
  addSigned(count: number, security: SecurityOptions = this.#o.security): SignedNode[] {
    return this.addApps(count).map((a) => {
      const key = keyOf(a.index);
      const signed = security.mode === 'open' ? undefined : new SignedTree(portableHashes, key, security, this.#o.signedTree);
      if (signed) a.node.addApp(signed);
      const s = { ...a, key, signed };
      this.signedNodes.push(s);
      return s;
    });
  }
}
