/**
 * The node's key pair (issue 20, Identity): made once, kept in storage, never shown; in signed
 * mode the node id is the public key, in open mode it stays upstream's SHA-256(SHA-256(MAC)).
 */
import { NodeKey, NODE_KEY_STORAGE } from '../../modules/mycelium/signed/node-key.js';
import { Node } from '../../modules/mycelium/node.js';
import { nodeIdFromUniqueId } from '../../modules/mycelium/wire/ids.js';
import { createNodePlatform, MemoryStorage } from '../../simulator/platform/node-platform.js';
import { nodeSignatures } from '../../simulator/platform/node-signatures.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';

const quiet = { sink: () => {} };

test('a key is generated once and the same one comes back from storage after a restart', () => {
  const storage = new MemoryStorage();
  const first = NodeKey.load(createNodePlatform({ ...quiet, storage }));
  const second = NodeKey.load(createNodePlatform({ ...quiet, storage }));
  expect(first).toBeDefined();
  expect(toHex(second!.publicKey)).toBe(toHex(first!.publicKey));
  expect(storage.get(NODE_KEY_STORAGE)).toHaveLength(32);
  // A second node with its own storage gets another key.
  const other = NodeKey.load(createNodePlatform({ ...quiet, storage: new MemoryStorage() }));
  expect(toHex(other!.publicKey)).not.toBe(toHex(first!.publicKey));
});

test('the secret never shows in the key printed, logged or serialised', () => {
  const storage = new MemoryStorage();
  const key = NodeKey.load(createNodePlatform({ ...quiet, storage }))!;
  const seed = toHex(storage.get(NODE_KEY_STORAGE)!);
  const shown = [String(key), JSON.stringify(key), JSON.stringify({ key }), `${key}`, Object.keys(key).join()];
  for (const text of shown) expect(text).not.toContain(seed);
  expect(String(key)).toContain(toHex(key.publicKey));
});

test('a platform that cannot sign has no key (open mode only)', () => {
  const { signatures: _none, ...platform } = createNodePlatform(quiet);
  expect(NodeKey.load(platform)).toBeUndefined();
});

test("signed mode: the node id is the public key, and the key's signatures verify under it", () => {
  const platform = createNodePlatform(quiet);
  const key = NodeKey.load(platform)!;
  const node = new Node({ platform, key, uniqueId: Uint8Array.of(1, 2, 3, 4, 5, 6) });
  expect(toHex(node.nodeId)).toBe(toHex(key.publicKey));
  const message = new TextEncoder().encode('claim');
  expect(nodeSignatures.verify(node.nodeId, message, key.sign(message))).toBe(true);
});

test("open mode: the node id stays upstream's SHA-256(SHA-256(MAC))", () => {
  const platform = createNodePlatform(quiet);
  const mac = Uint8Array.of(0x24, 0x0a, 0xc4, 1, 2, 3);
  const node = new Node({ platform, uniqueId: mac });
  expect(toHex(node.nodeId)).toBe(toHex(nodeIdFromUniqueId(platform, mac)));
});
