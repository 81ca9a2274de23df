/**
 * Root news (signed/root-news.ts, docs/security.md "Session 12"): the best root's own signed
 * message goes ahead of its tree, so that nodes do not fetch the chains of trees they are about
 * to leave; and what a neighbour can do with news: forged, worse, repeated or unpinned news
 * costs at most one verification and is never passed on. On the virtual clock.
 */
import { SignedMesh, keyOf, type SignedNode } from '../support/signed-mesh.js';
import { ROOT_ID_TARGETS, claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, concatBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { leadingFraction } from '../../modules/mycelium/apps/tree-pace.js';
import { NEWS_PACE_LIMIT, NEWS_RELAYS, ROOT_NEWS_OP } from '../../modules/mycelium/signed/root-news.js';
import { messageToSign, seal } from '../../modules/mycelium/signed/tree-seal.js';
import type { NodeKey } from '../../modules/mycelium/signed/node-key.js';
import { TreeOp, serializeTree } from '../../modules/mycelium/wire/messages/tree.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { firstAdvertDelay, FIRST_ADVERT_FLOOR_MS } from '../../modules/mycelium/signed/first-advert.js';
import { ChainFetch } from '../../modules/mycelium/signed/chain-fetch.js';
import { TEST_APP_ID } from '../support/mesh.js';

const count = (n: SignedNode, name: string): number => n.packager.counters.snapshot()[name] ?? 0;
const sum = (nodes: SignedNode[], name: string): number => nodes.reduce((s, n) => s + count(n, name), 0);
const byScore = (nodes: SignedNode[]) => nodes.sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));

/**
 * A line of 16 nodes: the best root r at one end, the second best a at the far end, the others in
 * between. Both trees grow towards each other; without news, a's tree grows deep (each node
 * fetching its chain) before r's wave reaches it and every node fetches r's chain again.
 */
function line(seed: number) {
  // Keys 64–79: the best claim's pace is 0.028, in the top 5 % whose news is passed on.
  const mesh = new SignedMesh({ seed, security: { mode: 'signed' }, keyFor: (i) => keyOf(i + 64) });
  const nodes = byScore(mesh.addSigned(16));
  const [r, a, ...rest] = nodes;
  const order = [r, ...rest, a];
  for (let i = 0; i + 1 < order.length; i++) mesh.wire(order[i], order[i + 1]);
  return { mesh, nodes, r, a, order };
}

test('news of the best root keeps a line from fetching the chains of a tree it is about to leave', () => {
  const { mesh, nodes, r, order } = line(11);
  expect(leadingFraction(claimScore(r.node.nodeId))).toBeLessThanOrEqual(NEWS_PACE_LIMIT); // its news is passed on
  mesh.startAll();
  mesh.run(120_000);
  expect(mesh.converged()).toBe(true);
  expect(toHex(nodes[9].tree.root)).toBe(toHex(r.node.nodeId));
  const links = sum(nodes, 'signed_verify');
  console.log(`line of 16: news passed on ${sum(nodes, 'signed_root_news')}, chains asked ${sum(nodes, 'signed_chain_requested')}, deferred ${sum(nodes, 'signed_chain_deferred')}, re-joins ${sum(nodes, 'tree_rejoin')}, signatures verified ${links}`);
  expect(sum(nodes, 'signed_root_news')).toBeGreaterThan(0);
  // On the old code (5d1a27e): 39 chains asked, 47 re-joins, 695 signatures verified (here 13, 16, 381).
  expect(sum(nodes, 'signed_chain_requested')).toBeLessThanOrEqual(20);
  expect(sum(nodes, 'tree_rejoin')).toBeLessThanOrEqual(25);
  expect(links).toBeLessThan(500);
  expect(sum(nodes, 'signed_bad_signature') + sum(nodes, 'signed_bad_chain')).toBe(0);
  // The far end routes to the root through every proved address.
  order[order.length - 1].packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});

/** r's own sealed SEND, as its neighbour heard it, and a 3-node line r — b — c formed. */
function formed(seed: number, pinned?: boolean) {
  const probe = new SignedMesh({ seed, security: { mode: 'signed' } });
  const ids = byScore(probe.addSigned(3)).map((n) => toHex(n.node.nodeId));
  const mesh = new SignedMesh({ seed, security: { mode: 'signed', ...(pinned ? { pinned_roots: [ids[0]] } : {}) } });
  const [r, b, c] = byScore(mesh.addSigned(3));
  mesh.wire(r, b);
  mesh.wire(b, c);
  let rootSend: Uint8Array | undefined;
  const broadcast = r.packager.broadcast.bind(r.packager);
  r.packager.broadcast = (app, blob, radio, compact) => {
    if (toHex(app) === toHex(r.tree.id) && blob[0] === 0 && r.tree.isRoot) rootSend = blob.slice();
    return broadcast(app, blob, radio, compact);
  };
  mesh.startAll();
  mesh.run(60_000);
  expect(mesh.converged()).toBe(true);
  expect(rootSend).toBeDefined();
  return { mesh, r, b, c, news: concatBytes(Uint8Array.of(ROOT_NEWS_OP), rootSend!) };
}

test('forged, repeated or worse news costs at most one verification each and is never passed on', () => {
  const { mesh, b, c, news } = formed(21);
  const before = { verify: count(c, 'signed_verify'), bad: count(c, 'signed_bad_signature'), relayed: count(c, 'signed_root_news') };
  // b replays r's genuine news: r is the best root c knows already: no verification, nothing passed on.
  for (let i = 0; i < 50; i++) {
    b.packager.broadcast(b.signed!.id, news);
    mesh.run(100);
  }
  expect(count(c, 'signed_verify') - before.verify).toBeLessThanOrEqual(10); // its periodic adverts only
  expect(count(c, 'signed_root_news')).toBe(before.relayed);
  // Forged: a better root's id with a made-up signature, 100 times with 100 ids.
  const verifyBefore = count(c, 'signed_verify');
  for (let i = 0; i < 100; i++) {
    const forged = news.slice();
    forged.set(ROOT_ID_TARGETS[0], 1 + 10); // the best score there is (or nearly)
    forged[1 + 10 + 31] ^= i;
    forged.fill(0x5a, 1 + 62, 1 + 126);
    b.packager.broadcast(b.signed!.id, forged);
    mesh.run(100);
  }
  const verified = count(c, 'signed_verify') - verifyBefore;
  console.log(`forged news: 100 from b; c verified ${verified}, bad ${count(c, 'signed_bad_signature') - before.bad}, budget exceeded ${count(c, 'signed_budget_exceeded')}`);
  expect(verified).toBeLessThanOrEqual(64 + 10); // within b's budget for the round (and b's adverts)
  expect(count(c, 'signed_bad_signature') - before.bad).toBeGreaterThan(0);
  expect(count(c, 'signed_root_news')).toBe(before.relayed); // nothing passed on
  // Truncated or malformed news: dropped and counted, nothing thrown.
  b.packager.broadcast(b.signed!.id, news.subarray(0, 40));
  b.packager.broadcast(b.signed!.id, Uint8Array.of(ROOT_NEWS_OP));
  mesh.run(1_000);
  expect(count(c, 'signed_bad_message')).toBeGreaterThanOrEqual(2);
  expect(mesh.roots()).toHaveLength(1);
});

/** A root's sealed SEND (its own claim at the root address), signed by `k`. */
function rootSend(k: NodeKey, ts: number): Uint8Array {
  const inner = unwrap(serializeTree({ op: TreeOp.SEND, ts: BigInt(ts), age: 0, claim: k.publicKey, address: new Uint8Array(16), nodeId: k.publicKey }));
  return seal(inner, 7, k.sign(messageToSign(inner, 7)));
}

test('genuine news of ever better roots makes a node pass on at most NEWS_RELAYS in 10 minutes; its own tree goes on', () => {
  const { mesh, r, b, c } = formed(23);
  // Ten genuine roots, each better than r and than the one before (keys an attacker recorded or made).
  const better = Array.from({ length: 3000 }, (_, i) => keyOf(5000 + i))
    .filter((k) => compareBytes(claimScore(k.publicKey), claimScore(r.node.nodeId)) < 0)
    .sort((p, q) => compareBytes(claimScore(q.publicKey), claimScore(p.publicKey)))
    .slice(-10);
  expect(better).toHaveLength(10);
  const relayed = count(c, 'signed_root_news');
  for (const k of better) {
    b.packager.broadcast(b.signed!.id, concatBytes(Uint8Array.of(ROOT_NEWS_OP), rootSend(k, 1_000)));
    mesh.run(2_000);
  }
  console.log(`ten ever better roots' news: c passed on ${count(c, 'signed_root_news') - relayed}`);
  expect(count(c, 'signed_root_news') - relayed).toBeLessThanOrEqual(NEWS_RELAYS);
  expect(count(c, 'signed_root_news') - relayed).toBeGreaterThan(0);
  // c's own tree never waits: it still routes to r.
  c.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});

test('with pinned roots, news of any other root is refused unverified', () => {
  const { mesh, r, b, c, news } = formed(22, true);
  expect(toHex(c.tree.root)).toBe(toHex(r.node.nodeId));
  // b passes on news of itself as root (signed by b: genuine, but b is not pinned).
  const own = news.slice();
  const verify = count(c, 'signed_verify');
  own.set(b.node.nodeId, 1 + 10);
  b.packager.broadcast(b.signed!.id, own);
  mesh.run(1_000);
  expect(count(c, 'signed_not_pinned')).toBeGreaterThan(0);
  expect(count(c, 'signed_verify') - verify).toBeLessThanOrEqual(2);
});

test('a node first speaks in the order of its claim, within the tree\'s start window', () => {
  // Best claims first, after the floor; the worst still within max_start_delay (10 s).
  expect(firstAdvertDelay(0, 0, 10_000)).toBe(FIRST_ADVERT_FLOOR_MS);
  expect(firstAdvertDelay(0.5, 0, 10_000)).toBeLessThan(firstAdvertDelay(0.6, 0, 10_000));
  expect(firstAdvertDelay(1, 9_999, 10_000)).toBeLessThan(10_000);
  expect(firstAdvertDelay(Number.NaN, 0, 10_000)).toBeGreaterThan(firstAdvertDelay(0.99, 0, 10_000));
  expect(firstAdvertDelay(0.5, 700, 1_000)).toBe(700); // no room for the floor: upstream's draw
});

test('news of a better root defers other trees\' chains, never our own tree\'s', () => {
  const fetch = new ChainFetch(() => 4, () => 2_000, () => 20_000);
  const best = new Uint8Array(32).fill(1);
  const worse = new Uint8Array(32).fill(9);
  fetch.heardOf('B', best, 1_000);
  expect(fetch.deferral('q', 'T/1', 'T', worse, true, 2_000)).toBe('worse');
  expect(fetch.deferral('q', 'T/1', 'T', worse, true, 2_000, 'T')).toBeUndefined(); // T is our tree
  expect(fetch.deferral('q', 'T/1', 'T', worse, true, 21_001)).toBeUndefined(); // for one round only
});
