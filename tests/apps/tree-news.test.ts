/**
 * News of the best root ahead of its tree (apps/tree-news.ts, docs/routing.md "Formation: news of
 * the best root ahead of its tree"): a node that heard of a better root does not join a worse one
 * for `claim_pace_ms`, so it joins the better tree once; the wait is bounded, and news is passed on
 * once. On the virtual clock.
 */
import { AppMesh } from '../support/apps-mesh.js';
import { HELLO_NEWS_OP } from '../../modules/mycelium/wire/messages/hello.js';
import { compareBytes, toHex } from '../../modules/mycelium/wire/bytes.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { SpanningTreeParams } from '../../modules/mycelium/apps/tree-params.js';
import { leadingFraction } from '../../modules/mycelium/apps/tree-pace.js';
import { NEWS_PACE_LIMIT, NEWS_RELAYS, TreeNews, type NewsTree } from '../../modules/mycelium/apps/tree-news.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';

/**
 * A line b — n1 — n2 — x — m of 60 nodes' claims (ids drawn from `seed`): b holds the best, m the
 * second (both in pacing's free band: their waves go at one speed), the others the worst. Powered
 * on at once, x hears m at once and b's tree only after two hops: which roots x was in, in turn.
 */
function lineOfTwoRoots(seed: number, tree: Partial<SpanningTreeParams>) {
  const mesh = new AppMesh({ seed, hello: true, tree: { max_start_delay: 1_000, ...tree } });
  const all = mesh.addApps(60).sort((p, q) => compareBytes(claimScore(p.node.nodeId), claimScore(q.node.nodeId)));
  const [b, m, n1, n2, x] = [all[0], all[1], all[57], all[58], all[59]];
  const line = [b, n1, n2, x, m];
  for (let i = 1; i < line.length; i++) mesh.connect(line[i - 1], line[i]);
  for (const a of line) a.node.start();
  const joined: string[] = [];
  for (let t = 0; t < 20_000; t += 20) {
    mesh.run(20);
    const r = toHex(x.tree.root);
    if (joined[joined.length - 1] !== r) joined.push(r);
  }
  const name = (hex: string) => (hex === toHex(b.node.nodeId) ? 'b' : hex === toHex(m.node.nodeId) ? 'm' : hex === toHex(x.node.nodeId) ? 'x' : '?');
  const rejoins = line.reduce((k, a) => k + a.packager.counters.get('tree_rejoin'), 0);
  return { roots: joined.map(name), rejoins, bPace: leadingFraction(claimScore(b.node.nodeId)), mPace: leadingFraction(claimScore(m.node.nodeId)), x };
}
test('formation: x joins the best root once, where it joined the nearer second-best root first before news', () => {
  const r = lineOfTwoRoots(11, { claim_pace_ms: 4_000 });
  expect(r.bPace).toBeLessThan(NEWS_PACE_LIMIT); // news of b is taken and passed on
  expect(r.mPace).toBeLessThan(0.03); // m's wave goes as fast as b's (tree-pace.ts FREE_PACE)
  expect(r.roots).toEqual(['x', 'b']); // before: ['x', 'm', 'b']
  expect(r.rejoins).toBe(4); // one per node but b; before: 5
  expect(r.x.packager.counters.get('tree_news_taken')).toBeGreaterThan(0);
});

test('unpaced formation (claim_pace_ms 0, the default) sends and takes no news', () => {
  const r = lineOfTwoRoots(11, { claim_pace_ms: 0 });
  expect(r.x.packager.counters.get('tree_news_taken')).toBe(0);
  expect(r.x.packager.counters.get('tree_news_relayed')).toBe(0);
});

/** A TreeNews on a virtual clock, our root scoring `own`; what it broadcast. */
function newsOn(own: Uint8Array, levels = 0) {
  const clock = new VirtualClock();
  const sent: Uint8Array[] = [];
  const counts: Record<string, number> = {};
  const dead = new Set<string>();
  const packager = {
    platform: { randomBytes: (b: Uint8Array) => b.fill(128) },
    counters: { inc: (k: string) => void (counts[k] = (counts[k] ?? 0) + 1) },
    schedule: (_id: string, ms: number, fn: (x: unknown) => void, x: unknown) => clock.setTimeout(() => fn(x), ms),
    broadcast: (_app: Uint8Array, blob: Uint8Array) => void sent.push(blob.slice()),
  } as unknown as Packager;
  const tree: NewsTree = { packager: () => packager, now: () => clock.now(), rootScore: () => own, scoreOfRoot: (p) => claimScore(p), hello: () => ({ id: new Uint8Array(16) }) };
  const news = new TreeNews(tree, { isDead: (hex) => dead.has(hex) }, 'n', 4_000, levels);
  return { clock, sent, counts, dead, news };
}

/** A root id whose claim scores `lead` in its first byte and 0 after (claimScore XORs a fixed target). */
function rootScoring(lead: number): Uint8Array {
  const id = claimScore(new Uint8Array(32)); // the target itself: scores all zeros
  id[0] ^= lead;
  return id;
}

const from = { peer: {} } as Delivery;

test('news of a better root holds back a worse one for claim_pace_ms, never the named root, and is passed on once', () => {
  const best = rootScoring(0x01); // pace ≈ 0.004
  const worse = rootScoring(0x08); // pace ≈ 0.03, still better than ours
  const n = newsOn(claimScore(rootScoring(0x80)));
  n.news.receive(Uint8Array.of(HELLO_NEWS_OP, ...best.subarray(0, 8), 0), from); // from the root's own neighbour
  expect(n.news.waitBefore(worse, claimScore(worse), n.clock.now())).toBe(4_000);
  expect(n.news.waitBefore(best, claimScore(best), n.clock.now())).toBe(0);
  n.clock.advance(1_000);
  expect(n.sent.map((b) => Array.from(b))).toEqual([[HELLO_NEWS_OP, ...best.subarray(0, 8), 1]]); // once, the prefix as heard, a hop on
  n.clock.advance(3_000);
  expect(n.news.waitBefore(worse, claimScore(worse), n.clock.now())).toBe(0); // bounded: the worse root is joined now
});

test('news is not taken when worse than our root, far down the ranks, or dead; copies heard suppress the relay', () => {
  const n = newsOn(claimScore(rootScoring(0x02)));
  n.news.heard(rootScoring(0x04), 1); // worse than our root
  n.news.heard(rootScoring(0x40), 1); // pace 0.25 > NEWS_PACE_LIMIT (and worse)
  const good = rootScoring(0x01);
  n.dead.add(toHex(good.subarray(0, 8)));
  n.news.heard(good, 1); // dead
  expect(n.counts.tree_news_taken).toBeUndefined();
  n.dead.clear();
  n.news.heard(good, 1);
  n.news.heard(good, 2, true);
  n.news.heard(good, 2, true); // two neighbours passed it on meanwhile
  n.clock.advance(1_000);
  expect(n.counts).toMatchObject({ tree_news_taken: 1, tree_news_suppressed: 1 });
  expect(n.sent).toHaveLength(0);
});

test('relays are capped per keep period, whatever news comes', () => {
  const n = newsOn(new Uint8Array(32).fill(0xff));
  for (let lead = 0x0c; lead > 0x0c - 2 * NEWS_RELAYS; lead--) {
    n.news.heard(rootScoring(lead), 1); // each better than the last
    n.clock.advance(500);
  }
  expect(n.sent).toHaveLength(NEWS_RELAYS);
});

test('news goes no farther than twice the levels an address holds: beyond, the root\'s tree cannot reach', () => {
  const best = rootScoring(0x01);
  const worse = rootScoring(0x08);
  const far = newsOn(claimScore(rootScoring(0x80)), 6); // address_levels 6: news goes 12 hops
  far.news.receive(Uint8Array.of(HELLO_NEWS_OP, ...best.subarray(0, 8), 12), from); // 13 hops on
  expect(far.news.waitBefore(worse, claimScore(worse), far.clock.now())).toBe(0);
  expect(far.counts.tree_news_taken).toBeUndefined();
  const edge = newsOn(claimScore(rootScoring(0x80)), 6);
  edge.news.receive(Uint8Array.of(HELLO_NEWS_OP, ...best.subarray(0, 8), 11), from); // 12: the last hop news goes
  expect(edge.news.waitBefore(worse, claimScore(worse), edge.clock.now())).toBe(4_000);
  edge.clock.advance(1_000);
  expect(edge.sent).toHaveLength(0); // not passed on past its scope
});
