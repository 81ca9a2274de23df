/**
 * One fetch of a tree's links per node, not one per neighbour (signed/chain-fetch.ts, docs/
 * security.md "Session 10"): a node that comes up beside several neighbours of a formed tree
 * hears all their adverts at once; it asks one of them for the whole chain and proves the
 * others from those links (a one-link tail each), where it used to ask each for its whole
 * chain. And what a neighbour can do with that wait: delay, never an acceptance. On the virtual
 * clock.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { ChainFetch } from '../../modules/mycelium/signed/chain-fetch.js';
import { TEST_APP_ID } from '../support/mesh.js';

const count = (n: SignedNode, name: string): number => n.packager.counters.snapshot()[name] ?? 0;

/** r — b — c — d, d's children e, f, g (depth 4), and y (the worst claim) beside e, f and g only. */
function fan(seed: number) {
  const mesh = new SignedMesh({ seed, security: { mode: 'signed' }, tree: { max_start_delay: 1_000 } });
  const nodes = mesh.addSigned(8).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  const [r, b, c, d, e, f, g, y] = nodes;
  mesh.wire(r, b);
  mesh.wire(b, c);
  mesh.wire(c, d);
  for (const x of [e, f, g]) mesh.wire(d, x);
  for (const x of [e, f, g]) mesh.wire(x, y);
  return { mesh, nodes, r, e, f, g, y };
}

test('a node beside three neighbours of a formed tree verifies its links once, not once per neighbour', () => {
  const { mesh, nodes, r, y } = fan(3);
  for (const n of nodes) if (n !== y) n.node.start();
  mesh.run(60_000);
  expect(mesh.converged(nodes.filter((n) => n !== y))).toBe(true);
  y.node.start();
  mesh.run(60_000);
  expect(mesh.converged()).toBe(true);
  expect(toHex(y.tree.root)).toBe(toHex(r.node.nodeId));
  const chainLinks = count(y, 'signed_verify');
  console.log(`y beside e, f, g (depth 4): verified ${chainLinks}, chains asked ${count(y, 'signed_chain_requested')}, deferred ${count(y, 'signed_chain_deferred')}, listened ${count(y, 'signed_chain_listening')}`);
  // One whole chain (4 links) and two one-link tails, where three whole chains were 12 links; the
  // rest (16) are adverts and key proofs.
  // Held while one fetch is on its way, or while the first request listens (session 13).
  expect(count(y, 'signed_chain_deferred') + count(y, 'signed_chain_listening')).toBeGreaterThan(0);
  expect(chainLinks).toBeLessThanOrEqual(22); // 28 before: each of e, f, g sent its whole chain
  expect(nodes.reduce((s, n) => s + count(n, 'signed_bad_chain') + count(n, 'signed_bad_signature'), 0)).toBe(0);
  y.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});

test('a fetch holds the others back for one request window at most; only a verified better root defers worse ones', () => {
  const fetch = new ChainFetch(() => 4, () => 2_000, () => 20_000);
  const low = new Uint8Array(32).fill(1);
  const high = new Uint8Array(32).fill(9);
  expect(fetch.ask('liar', 'T/1', 0, true, 0)).toBe(true);
  // The liar never answers: the others wait while its request is out, then are asked.
  expect(fetch.deferral('honest', 'T/1', 'T', high, true, 1_000)).toBe('fetching');
  expect(fetch.deferral('honest', 'T/1', 'T', high, true, 2_000)).toBeUndefined();
  expect(fetch.deferral('honest', 'T/1', 'T', high, false, 1_000)).toBeUndefined(); // a one-link tail is never held
  // The liar's request is not renewed within its window, so it cannot hold the tree again at once.
  expect(fetch.ask('liar', 'T/1', 0, true, 1_500)).toBe(false);
  // A root whose chain verified defers worse roots' chains for provedMs from when it was first proved.
  fetch.landed('p', 'B/1', 'B', low, 3_000);
  expect(fetch.deferral('q', 'T/1', 'T', high, true, 4_000)).toBe('worse');
  expect(fetch.deferral('q', 'B/2', 'B', low, true, 4_000)).toBeUndefined(); // its own tree, any epoch: asked
  fetch.landed('p', 'B/1', 'B', low, 10_000); // the same root again does not extend it
  expect(fetch.deferral('q', 'T/1', 'T', high, true, 23_001)).toBeUndefined();
  // Capped: announcements of many neighbours keep the latest `limit`.
  for (let i = 0; i < 10; i++) fetch.holdTail(`n${i}`, Uint8Array.of(7, i));
  expect(fetch.takeTail('n0')).toBeUndefined();
  expect(fetch.takeTail('n9')).toEqual(Uint8Array.of(7, 9));
  expect(fetch.takeTail('n9')).toBeUndefined(); // taken once
});

test('neighbours that ask for one chain together get it once, by one broadcast', () => {
  const mesh = new SignedMesh({ seed: 7, security: { mode: 'signed' }, tree: { max_start_delay: 1_000 } });
  const nodes = mesh.addSigned(8).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  // r — b — c — d — x, and y1, y2, y3 beside x only: x and the ys form a tree of their own first.
  const [r, b, c, d, x, y1, y2, y3] = nodes;
  for (const [p, q] of [[r, b], [b, c], [c, d], [d, x], [x, y1], [x, y2], [x, y3]] as const) mesh.wire(p, q);
  for (const n of [x, y1, y2, y3]) n.node.start();
  mesh.run(30_000);
  // x's whole chains on the air from now: when r's tree reaches x, the ys all ask x for its chain.
  const chains: string[] = [];
  const { packager } = x;
  const send = packager.send.bind(packager);
  const broadcast = packager.broadcast.bind(packager);
  const isChain = (app: Uint8Array, blob: Uint8Array) => toHex(app) === toHex(x.signed!.id) && blob[0] === 6 && blob.length > 200;
  const place = () => `${toHex(x.tree.root).slice(0, 8)}/${x.packager.address?.coords.join('.')}`;
  packager.send = (app, blob, target, options) => (isChain(app, blob) && chains.push(`unicast ${place()}`), send(app, blob, target, options));
  packager.broadcast = (app, blob, radio, compact) => (isChain(app, blob) && chains.push(`broadcast ${place()}`), broadcast(app, blob, radio, compact));
  for (const n of [r, b, c, d]) n.node.start();
  mesh.run(60_000);
  expect(mesh.converged()).toBe(true);
  expect(toHex(y1.tree.root)).toBe(toHex(r.node.nodeId));
  console.log(`x's whole chains sent to y1, y2, y3: ${chains.join(', ')}`);
  // One broadcast per place x takes (r's tree, and maybe a tree it joined on the way), where
  // each y was sent a unicast of the same links before.
  expect(chains.length).toBeGreaterThan(0);
  expect(chains.every((c) => c.startsWith('broadcast'))).toBe(true);
  expect(new Set(chains).size).toBe(chains.length);
  expect(nodes.reduce((s, n) => s + count(n, 'signed_bad_chain') + count(n, 'signed_bad_signature'), 0)).toBe(0);
  // Each y is proved and routes: y3 reaches the root.
  y3.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});

test('a node that takes a place announces its link inside its SEND: neighbours prove it with no Package of its own', () => {
  const mesh = new SignedMesh({ seed: 5, security: { mode: 'signed' }, tree: { max_start_delay: 1_000 } });
  const nodes = mesh.addSigned(5).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  // r — b — c — d in a line, x (the worst claim) beside b, c and d: all three hold the chain above x's parent.
  const [r, b, c, d, x] = nodes;
  for (const [p, q] of [[r, b], [b, c], [c, d], [x, b], [x, c], [x, d]] as const) mesh.wire(p, q);
  for (const n of [r, b, c, d]) n.node.start();
  mesh.run(60_000);
  expect(mesh.converged([r, b, c, d])).toBe(true);
  const sent: number[] = [];
  const broadcast = x.packager.broadcast.bind(x.packager);
  x.packager.broadcast = (app, blob, radio, compact) => (toHex(app) === toHex(x.signed!.id) && sent.push(blob[0]), broadcast(app, blob, radio, compact));
  const asked = [b, c, d].map((n) => count(n, 'signed_chain_requested'));
  x.node.start();
  mesh.run(30_000);
  expect(mesh.converged()).toBe(true);
  const after = [b, c, d].map((n) => count(n, 'signed_chain_requested'));
  console.log(`x joins at depth ${x.packager.address?.coords.length}: its SignedTree broadcasts ${sent.join(',')} (4: key proof), chains asked of it by b, c, d: ${after.map((a, i) => a - asked[i]).join(', ')}`);
  expect(sent.filter((op) => op !== 4)).toEqual([]); // before: a CHAIN_TAIL (7) or one-link CHAIN (6) per place
  expect(after).toEqual(asked);
  x.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});
