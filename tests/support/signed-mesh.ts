/**
 * Test meshes in signed and mixed modes (issue 20): every node has an Ed25519 key (node id =
 * public key, seeds derived from the node's index, so runs repeat) and, unless its mode is
 * open, a SignedTree layer over its SpanningTree.
 */
import { AppMesh, type AppMeshOptions, type AppNode } from './apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import type { SignedTree, SignedTreeParams } from '../../modules/mycelium/signed/signed-tree.js';
import { addSignedTree } from '../../modules/mycelium/signed/add-signed-tree.js';
import type { SecurityOptions } from '../../modules/mycelium/signed/security.js';
import { ROOT_ID_TARGETS } from '../../modules/mycelium/wire/ids.js';

export interface SignedNode extends AppNode {
  readonly key: NodeKey;
  readonly signed: SignedTree | undefined;
}

export interface SignedMeshOptions extends AppMeshOptions {
  readonly security: SecurityOptions;
  readonly signedTree?: Partial<SignedTreeParams>;
  /** A node id chosen by an attacker for node `index` (its key then signs under another id). */
  readonly idOf?: (index: number) => Uint8Array | undefined;
  /** Node `index`'s key when not the default one (an attacker's ground key). */
  readonly keyFor?: (index: number) => NodeKey | undefined;
  /** Node `index`'s root work (root_work mode): its best nonce and bits; none: no work. */
  readonly workFor?: (index: number, key: NodeKey) => { nonce: Uint8Array; bits: number } | undefined;
}

export function seedOf(index: number): Uint8Array {
  const seed = Uint8Array.from({ length: 32 }, (_, i) => (i * 17 + 7) & 255);
  new DataView(seed.buffer).setUint32(0, index); // distinct for every index
  return seed;
}

export function keyOf(index: number): NodeKey {
  return NodeKey.fromSeed(nodeSignatures, seedOf(index));
}

export class SignedMesh extends AppMesh {
  readonly signedNodes: SignedNode[] = [];
  readonly #o: SignedMeshOptions;
  readonly #key: (index: number) => NodeKey;
  constructor(options: SignedMeshOptions) {
    const key = (i: number) => options.keyFor?.(i) ?? keyOf(i);
    super({ ...options, keyOf: (i) => (options.idOf?.(i) ? { publicKey: options.idOf(i)! } : key(i)), signatures: nodeSignatures });
    this.#key = key;
    this.#o = options;
  }

  /** `count` nodes in `security`'s mode (default: the mesh's). */
  addSigned(count: number, security: SecurityOptions = this.#o.security): SignedNode[] {
    return this.addApps(count).map((a) => {
      const key = this.#key(a.index);
      const work = this.#o.workFor?.(a.index, key);
      const signer = work ? { publicKey: key.publicKey, sign: (m: Uint8Array) => key.sign(m), rootWork: work } : key;
      const signed = security.mode === 'open' ? undefined : addSignedTree(a.node, signer, security, this.#o.signedTree, portableHashes);
      const s = { ...a, key, signed };
      this.signedNodes.push(s);
      return s;
    });
  }
}

/**
 * The key of the first index ≥ `from` whose public key matches the election target in its
 * first byte (≈ 256 tries): what an attacker grinding keys for a low claim score gets cheaply.
 */
export function groundKey(from = 1000): NodeKey {
  for (let i = from; i < from + 100_000; i++) {
    const k = keyOf(i);
    if (k.publicKey[0] === ROOT_ID_TARGETS[0][0]) return k;
  }
  throw new Error('no key found');
}
