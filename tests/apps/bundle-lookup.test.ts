/**
 * BundleLookup's pacing (apps/bundle-lookup.ts): a holder alone asks nobody, and that does not
 * lengthen the wait before its first question once a neighbour is back.
 */
import { BundleLookup, type LookupHost } from '../../modules/mycelium/apps/bundle-lookup.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import type { Gossip } from '../../modules/mycelium/apps/gossip.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';

function host(): { h: LookupHost; published: Uint8Array[]; setPeers(n: number): void; advance(ms: number): void } {
  let now = 0;
  let peers: unknown[] = [];
  const published: Uint8Array[] = [];
  const own = Address.fromCoords(1, [1, 2]);
  const packager = {
    get address() {
      return own.ok ? own.value : undefined;
    },
    get peers() {
      return peers;
    },
    nodeId: new Uint8Array(32).fill(1),
    counters: { inc: () => {} },
  } as unknown as Packager;
  const gossip = { publish: (_topic: Uint8Array, blob: Uint8Array) => (published.push(blob), true) } as unknown as Gossip;
  const h: LookupHost = { packager: () => packager, gossip: () => gossip, appId: new Uint8Array(16), now: () => now, nonce: () => 7, intervalMs: () => 120_000, found: () => {} };
  return { h, published, setPeers: (n) => (peers = new Array(n).fill({})), advance: (ms) => (now += ms) };
}

test('alone, a holder asks nobody; with a neighbour back it asks at once, then at the interval', () => {
  const t = host();
  const lookup = new BundleLookup(t.h, 8);
  const dest = new Uint8Array(32).fill(9);
  for (let i = 0; i < 10; i++) {
    lookup.ask(dest, 'd');
    t.advance(60_000);
  }
  expect(t.published.length).toBe(0); // ten minutes alone: no WHERE, and no back-off built up
  t.setPeers(1);
  lookup.ask(dest, 'd');
  expect(t.published.length).toBe(1);
  t.advance(60_000);
  lookup.ask(dest, 'd');
  expect(t.published.length).toBe(1); // within the first interval
  t.advance(60_000);
  lookup.ask(dest, 'd');
  expect(t.published.length).toBe(2);
});
