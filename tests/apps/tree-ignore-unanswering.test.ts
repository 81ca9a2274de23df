/**
 * A neighbour whose claim is the best but which leaves our REQUESTs unanswered (a parent with no
 * coordinate left for us though its address has room, a lossy or hostile one) is not asked again
 * for a while after UNANSWERED_LIMIT tries: the next best claim is joined meanwhile
 * (apps/tree-replay.ts), when Hello measures the link to it clean. Before, the node kept asking
 * it and stayed a tree of its own.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { bytesEqual, compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { TreeOp } from '../../modules/mycelium/wire/messages/tree.js';
import { IGNORE_MS, TreeReplay, UNANSWERED_LIMIT } from '../../modules/mycelium/apps/tree-replay.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';

function byScore(nodes: AppNode[]): AppNode[] {
  return [...nodes].sort((x, y) => compareBytes(claimScore(x.node.nodeId), claimScore(y.node.nodeId)));
}

/** `n` drops every REQUEST for an address: it never assigns one. */
function neverAssigns(n: AppNode): { requests: number } {
  const seen = { requests: 0 };
  const tree = n.tree as unknown as { onReceive(blob: Uint8Array, from: Delivery): void };
  const receive = tree.onReceive.bind(tree);
  tree.onReceive = (blob, from) => {
    if (blob[0] === TreeOp.REQUEST_ADDRESS_ASSIGNMENT) {
      seen.requests++;
      return;
    }
    receive(blob, from);
  };
  return seen;
}

// Only over links Hello measures clean: without Hello (upstream's apps, LoRa) an unanswered
// REQUEST is as likely lost on the air, and passing over the best claim split lora-20 into
// several trees.
test('a node next to a best claim that never answers joins the next best tree', () => {
  const mesh = new AppMesh({ seed: 7, tree: { pub_each_round: false }, hello: true });
  const [best, second, third] = byScore(mesh.addApps(3));
  // second — third — best: `third` hears the best claim and the second's.
  mesh.wire(second, third);
  mesh.wire(third, best);
  const silent = neverAssigns(best);
  mesh.startAll();
  mesh.run(120_000);
  expect(bytesEqual(third.tree.root, second.node.nodeId)).toBe(true);
  expect(third.packager.address).toBeDefined();
  // It tries the silent one again now and then, not on every advert.
  const before = silent.requests;
  mesh.run(IGNORE_MS * 3);
  expect(silent.requests - before).toBeLessThanOrEqual(3 * UNANSWERED_LIMIT + 3);
  expect(bytesEqual(third.tree.root, second.node.nodeId)).toBe(true);
});

test('ignoring starts after UNANSWERED_LIMIT unanswered REQUESTs and ends IGNORE_MS after the last', () => {
  const r = new TreeReplay({ limit: () => 8, windowMs: () => 1000, answerMs: () => 2000, nodeSlots: () => new NodeSlots(8) });
  const claim = new Uint8Array([1, 2, 3]);
  for (let i = 0; i < UNANSWERED_LIMIT - 1; i++) r.asked('p', claim, i * 3000);
  expect(r.ignoring('p', 7000)).toBe(false);
  const last = UNANSWERED_LIMIT * 3000;
  r.asked('p', claim, last);
  expect(r.ignoring('p', last + 1)).toBe(true); // no fourth; the third may still be answered
  expect(r.answers('p', claim, last + 1000)).toBe(true);
  expect(r.ignoring('p', last + 1001)).toBe(false);
  r.asked('p', claim, last + 2000);
  r.asked('p', claim, last + 4000);
  r.asked('p', claim, last + 6000);
  expect(r.ignoring('p', last + 6001)).toBe(true);
  expect(r.ignoring('p', last + 6000 + IGNORE_MS)).toBe(false);
  // An answer clears it; so does another claim asked for.
  r.asked('q', claim, 0);
  r.asked('q', claim, 3000);
  r.asked('q', claim, 6000);
  expect(r.answers('q', claim, 6500)).toBe(true);
  expect(r.ignoring('q', 9000)).toBe(false);
});
