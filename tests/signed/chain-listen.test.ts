/**
 * A tree's whole chain fetched once per neighbourhood, not once per asker (signed/chain-fetch.ts
 * `listen`, docs/security.md "Session 13"). Newcomers beside a formed tree each used to ask the
 * first neighbour they heard for its whole chain, so overlapping neighbourhoods made several
 * holders send the same links. Now a long request first listens a moment (random), takes a
 * neighbour's answer of that tree broadcast meanwhile, and otherwise asks the shallowest holder
 * (then by key: newcomers rank alike), which answers by broadcast. On the virtual clock.
 */
import { SignedMesh, type SignedNode } from '../support/signed-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { CHAIN_LISTEN_MS, ChainFetch } from '../../modules/mycelium/signed/chain-fetch.js';

const count = (n: SignedNode, name: string): number => n.packager.counters.snapshot()[name] ?? 0;

/** Whole chains of more than one link each node sends from now (op 6; a link is 96 bytes). */
function countWholeChains(nodes: readonly SignedNode[], names: readonly string[]): string[] {
  const sent: string[] = [];
  for (const [i, n] of nodes.entries()) {
    const { packager } = n;
    const send = packager.send.bind(packager);
    const broadcast = packager.broadcast.bind(packager);
    const isWhole = (app: Uint8Array, blob: Uint8Array) => toHex(app) === toHex(n.signed!.id) && blob[0] === 6 && blob.length > 200;
    packager.send = (app, blob, target, options) => (isWhole(app, blob) && sent.push(`unicast by ${names[i]}`), send(app, blob, target, options));
    packager.broadcast = (app, blob, radio, compact) => (isWhole(app, blob) && sent.push(`broadcast by ${names[i]}`), broadcast(app, blob, radio, compact));
  }
  return sent;
}

test('newcomers around a formed tree share broadcasts of its whole chain instead of each asking the first holder it heard', () => {
  const mesh = new SignedMesh({ seed: 11, security: { mode: 'signed' }, tree: { max_start_delay: 1_000 } });
  const nodes = mesh.addSigned(10).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  // r — b — c — d, d's children e, f, g (depth 4); the newcomers y1…y3 (the worst claims) each
  // beside two of e, f, g, and y1 beside y2 and y3.
  const [r, b, c, d, e, f, g, y1, y2, y3] = nodes;
  for (const [p, q] of [[r, b], [b, c], [c, d], [d, e], [d, f], [d, g], [y1, e], [y1, f], [y2, f], [y2, g], [y3, g], [y3, e], [y1, y2], [y1, y3]] as const) mesh.wire(p, q);
  const formed = [r, b, c, d, e, f, g];
  for (const n of formed) n.node.start();
  mesh.run(60_000);
  expect(mesh.converged(formed)).toBe(true);
  const chains = countWholeChains(nodes, ['r', 'b', 'c', 'd', 'e', 'f', 'g', 'y1', 'y2', 'y3']);
  for (const y of [y1, y2, y3]) y.node.start();
  mesh.run(60_000);
  expect(mesh.converged()).toBe(true);
  expect(toHex(y3.tree.root)).toBe(toHex(r.node.nodeId));
  const listened = [y1, y2, y3].reduce((s, y) => s + count(y, 'signed_chain_listening'), 0);
  console.log(`whole chains sent after y1, y2, y3 started: ${chains.length} (${chains.join(', ')}); requests that listened first: ${listened}`);
  // y1 and y2 rank f first and get its one broadcast; y3 (not beside f) asks e. On main (56cf9ee)
  // e, f and g each sent a unicast: every newcomer asked the first neighbour it heard.
  expect(chains.length).toBeLessThanOrEqual(2);
  expect(chains.every((x) => x.startsWith('broadcast'))).toBe(true);
  expect(listened).toBeGreaterThan(0);
  expect(nodes.reduce((s, n) => s + count(n, 'signed_bad_chain') + count(n, 'signed_bad_signature'), 0)).toBe(0);
  // Every newcomer is proved and routes: y2 reaches the root.
  y2.packager.send(TEST_APP_ID, Uint8Array.of(1), { address: r.packager.address! });
  mesh.run(5_000);
  expect(r.app.received.length).toBe(1);
});

test('a long request listens once per request window; a neighbour cannot keep it listening', () => {
  const fetch = new ChainFetch(() => 4, () => 2_000, () => 20_000);
  expect(fetch.listening('T/1', 0)).toBe(false);
  expect(fetch.listen('T/1', () => 0.5, 0)).toBe(CHAIN_LISTEN_MS / 2); // the first opens a window
  expect(fetch.listening('T/1', 100)).toBe(true); // a neighbour's whole chain of T is taken meanwhile
  expect(fetch.listen('T/1', () => 1, 150)).toBe(CHAIN_LISTEN_MS / 2 - 150); // no new draw within it
  expect(fetch.listen('T/1', () => 1, 1_000)).toBe(0); // then asked at once
  expect(fetch.listening('T/2', 100)).toBe(false); // another tree (epoch) is not listened for
  // One window per request window: after it, a new one (a later wave of the same tree).
  expect(fetch.listen('T/1', () => 0.25, 2_000)).toBe(CHAIN_LISTEN_MS / 4);
  expect(fetch.listening('T/1', 4_100)).toBe(false);
});
