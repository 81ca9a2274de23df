/**
 * Store-and-forward (apps/store-forward.ts, docs/store-forward.md) on the virtual clock: what a
 * user notices is whether a message sent to a node that is away arrives when it comes back, once,
 * and what the sender is told meanwhile (queued, in custody, delivered, expired).
 */
import { AppMesh, type AppNode } from './../support/apps-mesh.js';
import { TEST_APP_ID } from '../support/mesh.js';
import { addStoreForward, type HeldStatus, type StoreForward, type StoreForwardParams } from '../../modules/mycelium/apps/store-forward.js';
import { BundleFlag, BundleOp, CustodyResult, parseBundleMessage, serializeBundle } from '../../modules/mycelium/wire/messages/bundle.js';
import { serializeHere, serializeWhere } from '../../modules/mycelium/wire/messages/bundle-lookup.js';
import { DeliveredBundles } from '../../modules/mycelium/apps/delivered-bundles.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { MemoryStorage } from '../../simulator/platform/node-platform.js';

interface SfNode extends AppNode {
  readonly sf: StoreForward;
  readonly statuses: Map<string, HeldStatus[]>;
}

/** A line of `n` nodes (each hears only its neighbours), converged. */
function line(n: number, params: (i: number) => Partial<StoreForwardParams> = () => ({})): { mesh: AppMesh; nodes: SfNode[] } {
  const mesh = new AppMesh({ seed: 5, hello: true, tree: { pub_each_round: false, sub: true } });
  const apps = mesh.addApps(n);
  for (let i = 0; i + 1 < n; i++) mesh.wire(apps[i], apps[i + 1]);
  const nodes = apps.map((a, i) => {
    const sf = addStoreForward(a.node, params(i));
    const statuses = new Map<string, HeldStatus[]>();
    sf.onStatus((key, status) => statuses.set(key, [...(statuses.get(key) ?? []), status]));
    return { ...a, sf, statuses };
  });
  mesh.startAll();
  for (let t = 0; t < 300_000 && !(mesh.converged() && nodes.every((x) => nodes.every((y) => x === y || x.packager.addressesOf(y.node.nodeId).length > 0 || x.packager.peer(y.node.nodeId)))); t += 1000) mesh.run(1000);
  mesh.run(70_000); // a periodic beacon: every neighbour knows who is a custodian
  return { mesh, nodes };
}

const text = (s: string) => new TextEncoder().encode(s);
const received = (n: AppNode) => n.app.received.map((r) => new TextDecoder().decode(r.blob));

function away(n: AppNode): void {
  n.radio.on = false; // out of range (or asleep): hears nothing, is heard by no one
}
function back(n: AppNode): void {
  n.radio.on = true;
}

describe('a line of three, the far end reachable', () => {
  const { mesh, nodes } = line(3);
  const [a, , c] = nodes;
  const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text('hi'));
  mesh.run(5000);

  test('the message arrives once, and the sender hears queued then delivered', () => {
    expect(r.ok).toBe(true);
    expect(received(c)).toEqual(['hi']);
    expect(a.statuses.get(r.ok ? r.value : '')).toEqual(['queued', 'delivered']);
    expect(a.sf.store.count).toBe(0);
  });

  test('the app is told who sent it, though the last hop was a relay', () => {
    expect(toHex(c.app.received[0].delivery.origin as Uint8Array)).toBe(toHex(a.node.nodeId));
  });
});

describe('the destination away for five minutes', () => {
  const { mesh, nodes } = line(3);
  const [a, b, c] = nodes;
  away(c);
  mesh.run(30_000);
  const keys = ['one', 'two', 'three'].map((s) => {
    const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text(s));
    mesh.run(20_000);
    return r.ok ? r.value : '';
  });
  mesh.run(240_000);
  const whileAway = { received: received(c).length, atOrigin: a.sf.store.count, atCustodian: b.sf.store.count, statuses: keys.map((k) => a.statuses.get(k)) };
  back(c);
  mesh.run(180_000);

  test('nothing arrives while it is away; custody moves to the neighbour nearer the destination', () => {
    expect(whileAway.received).toBe(0);
    expect(whileAway.atOrigin).toBe(0);
    expect(whileAway.atCustodian).toBe(3);
    expect(whileAway.statuses).toEqual([['queued', 'in_custody'], ['queued', 'in_custody'], ['queued', 'in_custody']]);
  });

  test('after it returns every message arrives exactly once, in order, and the sender hears delivered', () => {
    expect(received(c)).toEqual(['one', 'two', 'three']);
    expect(keys.map((k) => a.statuses.get(k)?.at(-1))).toEqual(['delivered', 'delivered', 'delivered']);
    expect(b.sf.store.count).toBe(0);
  });
});

describe('a lifetime shorter than the absence', () => {
  const { mesh, nodes } = line(3);
  const [a, b, c] = nodes;
  away(c);
  mesh.run(30_000);
  const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text('late'), { lifetimeMs: 60_000 });
  mesh.run(180_000);
  back(c);
  mesh.run(180_000);

  test('the message expires in custody, the sender hears expired, and it never arrives', () => {
    expect(a.statuses.get(r.ok ? r.value : '')).toEqual(['queued', 'in_custody', 'expired']);
    expect(b.sf.store.count).toBe(0);
    expect(received(c)).toEqual([]);
    expect(b.packager.counters.get('sf_expired')).toBe(1);
  });
});

describe('bounded storage without custodians', () => {
  const { mesh, nodes } = line(2, () => ({ custodian: false, store_count: 4 }));
  const [a, c] = nodes;
  away(c);
  mesh.run(30_000);
  const keys: string[] = [];
  for (let i = 0; i < 10; i++) {
    const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text(`m${i}`));
    if (r.ok) keys.push(r.value);
    mesh.run(5000);
  }
  const peak = a.sf.store.peakCount;
  back(c);
  mesh.run(180_000);

  test('the store never holds more than its cap; the oldest are evicted and their sender told', () => {
    expect(keys).toHaveLength(10);
    expect(peak).toBe(4);
    expect(keys.slice(0, 6).map((k) => a.statuses.get(k)?.at(-1))).toEqual(Array(6).fill('evicted'));
  });

  test('the newest ones arrive after the return', () => {
    expect(received(c)).toEqual(['m6', 'm7', 'm8', 'm9']);
  });
});

describe('exactly once when a receipt is lost', () => {
  const { mesh, nodes } = line(2);
  const [a, c] = nodes;
  const sent: Uint8Array[] = [];
  c.packager.addHook('send', (appId, blob) => {
    if (toHex(appId) === c.sf.idHex) sent.push(blob.slice());
  });
  const bundle = serializeBundle({ flags: 0, counter: 7, lifetimeMs: 60_000, ageMs: 0, origin: a.node.nodeId, dest: c.node.nodeId, holder: a.node.nodeId, app: TEST_APP_ID, data: text('once') });
  const delivery = { iface: undefined, mac: undefined, peer: c.packager.peer(a.node.nodeId), from: undefined, hops: 1 };
  if (bundle.ok) {
    c.sf.receive(bundle.value, delivery);
    mesh.run(3000);
    c.sf.receive(bundle.value, delivery); // the holder resent it: our first receipt was lost
  }

  test('the app gets it once; the holder gets a receipt each time', () => {
    expect(received(c)).toEqual(['once']);
    expect(sent.map((s) => parseBundleMessage(s)).filter((m) => m.ok && m.value.op === BundleOp.STATUS)).toHaveLength(2);
    expect(c.packager.counters.get('sf_duplicate')).toBe(1);
  });
});

describe('a flood of held messages at a custodian', () => {
  // a and d both send to c, which is away, through custodian b (store of 8, half for one origin)
  const mesh = new AppMesh({ seed: 9, hello: true, tree: { pub_each_round: false, sub: true } });
  const apps = mesh.addApps(4);
  const [a, b, c, d] = apps;
  mesh.wire(a, b);
  mesh.wire(b, c);
  mesh.wire(d, b);
  const sf = apps.map((x, i) => addStoreForward(x.node, i === 1 ? { store_count: 8 } : { custodian: false, store_count: 64 }));
  mesh.startAll();
  mesh.run(200_000);
  away(c);
  mesh.run(30_000);
  for (let i = 0; i < 30; i++) {
    sf[0].send(TEST_APP_ID, c.node.nodeId, text(`flood${i}`));
    mesh.run(1000);
  }
  for (let i = 0; i < 2; i++) {
    sf[3].send(TEST_APP_ID, c.node.nodeId, text(`honest${i}`));
    mesh.run(20_000);
  }
  mesh.run(60_000);
  const atCustodian = sf[1].store.count;
  back(c);
  mesh.run(300_000);

  test('the custodian holds at most its cap and at most its share for the flooder', () => {
    expect(sf[1].store.peakCount).toBeLessThanOrEqual(8);
    expect(atCustodian).toBeLessThanOrEqual(8);
    expect(b.packager.counters.get('sf_custody_refused_share')).toBeGreaterThan(0);
  });

  test('the honest sender still gets through, and every flood message arrives at most once', () => {
    const got = received(c);
    expect(got).toEqual(expect.arrayContaining(['honest0', 'honest1']));
    expect(new Set(got).size).toBe(got.length);
  });
});

describe('a stale route to the destination', () => {
  // No custodians: the origin must deliver by itself. It is told a newer address for c that
  // nobody has (a replayed advert of an address c no longer holds).
  const { mesh, nodes } = line(3, () => ({ custodian: false }));
  const [a, , c] = nodes;
  const real = c.packager.address as Address;
  const stale = Address.fromCoords(real.treeState, [...real.coords, 7]);
  if (stale.ok) a.packager.addRoute(c.node.nodeId, stale.value);
  const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text('found'));
  mesh.run(60_000);

  test('the next attempt tries another known address and the message arrives', () => {
    expect(a.packager.addressesOf(c.node.nodeId).at(-1)?.equals(stale.ok ? stale.value : real)).toBe(true);
    expect(received(c)).toEqual(['found']);
    expect(a.statuses.get(r.ok ? r.value : '')?.at(-1)).toBe('delivered');
  });
});

describe('a custody loop', () => {
  // a hands the bundle to b (c is away); b then offers it back to a, as a holder with another
  // view of where c is would.
  const { mesh, nodes } = line(3);
  const [a, b, c] = nodes;
  away(c);
  mesh.run(30_000);
  const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text('loop'));
  mesh.run(30_000);
  const answers: number[] = [];
  a.packager.addHook('send', (appId, blob) => {
    const m = toHex(appId) === a.sf.idHex ? parseBundleMessage(blob) : undefined;
    if (m?.ok && m.value.op === BundleOp.CUSTODY) answers.push(m.value.code);
  });
  const held = b.sf.store.values().next().value;
  const offer = held && serializeBundle({ ...held, flags: BundleFlag.CUSTODY, holder: b.node.nodeId });
  if (offer?.ok) a.sf.receive(offer.value, { iface: undefined, mac: undefined, peer: a.packager.peer(b.node.nodeId), from: undefined, hops: 1 });

  test('the node that handed it away refuses it back and holds nothing', () => {
    expect(r.ok).toBe(true);
    expect(b.sf.store.count).toBe(1);
    expect(answers).toEqual([CustodyResult.HANDED_BEFORE]);
    expect(a.sf.store.count).toBe(0);
  });
});

describe('delivered identities across a power cycle', () => {
  // What a destination delivered, kept in its flash: a copy resent after the reboot (its
  // receipt was lost) must not be delivered again.
  const flash = new MemoryStorage();
  let now = 0;
  const origin = new Uint8Array(32).fill(3);
  const before = new DeliveredBundles(16, () => now, flash, () => undefined);
  before.load();
  before.add(origin, 41, 600_000);
  now = 0; // the clock of a new boot starts again
  const after = new DeliveredBundles(16, () => now, flash, () => undefined);
  after.load();
  const remembered = after.has(origin, 41);
  const other = after.has(origin, 42);
  now = 601_000;
  const later = after.has(origin, 41);

  test('the rebooted node still knows it, only it, and only for its lifetime', () => {
    expect(remembered).toBe(true);
    expect(other).toBe(false);
    expect(later).toBe(false);
  });
});

describe('a partition longer than a route lives', () => {
  // a - b | c - d: the link b–c is cut for 12 minutes. Routes lapse 8 minutes after their last
  // advert and d, which does not move, does not advertise again: the custodian b comes back
  // from the partition with no route to d.
  const { mesh, nodes } = line(4);
  const [a, b, c, d] = nodes;
  mesh.medium.unlink(b.radio, c.radio);
  mesh.run(10_000);
  const keys = ['x', 'y', 'z'].map((s) => {
    const r = a.sf.send(TEST_APP_ID, d.node.nodeId, text(s));
    mesh.run(20_000);
    return r.ok ? r.value : '';
  });
  mesh.run(660_000);
  const routeAtHeal = b.packager.addressesOf(d.node.nodeId).length;
  const whileCut = { received: received(d).length, atCustodian: b.sf.store.count };
  mesh.medium.link(b.radio, c.radio);
  mesh.run(300_000);

  test('the messages wait at the custodian on the origin side', () => {
    expect(whileCut).toEqual({ received: 0, atCustodian: 3 });
    expect(routeAtHeal).toBe(0);
  });

  test('after the heal the custodian finds the destination where it last knew it, and each arrives once', () => {
    expect(received(d)).toEqual(['x', 'y', 'z']);
    expect(keys.map((k) => a.statuses.get(k)?.at(-1))).toEqual(['delivered', 'delivered', 'delivered']);
    expect(b.sf.store.count).toBe(0);
  });
});

describe('custody taken by a node with no route to the destination', () => {
  // a - b - c - d - e: b hands c a bundle for e, but c's routes to e have lapsed (e stays put,
  // so it does not advertise again). The offer carries b's best address for e.
  const { mesh, nodes } = line(5);
  const [a, b, c, , e] = nodes;
  for (const addr of [...c.packager.addressesOf(e.node.nodeId)]) c.packager.removeRoute(addr);
  const noRoute = c.packager.addressesOf(e.node.nodeId).length === 0;
  const way = b.packager.addressesOf(e.node.nodeId).at(-1);
  const offer = serializeBundle({ flags: BundleFlag.CUSTODY, counter: 7, lifetimeMs: 3_600_000, ageMs: 0, origin: a.node.nodeId, dest: e.node.nodeId, holder: b.node.nodeId, app: TEST_APP_ID, data: text('onward'), ...(way && { way }) });
  if (offer.ok) c.sf.receive(offer.value, { iface: undefined, mac: undefined, peer: c.packager.peer(b.node.nodeId), from: undefined, hops: 1 });
  const taken = c.sf.store.count;
  mesh.run(60_000);

  test('the custodian goes by the address it was handed, and the message arrives once', () => {
    expect(noRoute).toBe(true);
    expect(way).toBeDefined();
    expect(taken).toBe(1);
    expect(received(e)).toEqual(['onward']);
    expect(c.sf.store.count).toBe(0);
  });
});

describe('an origin that never learnt where the destination is', () => {
  // a - b - c - d: the origin (the end deeper in the tree) has no route to the other end (an
  // advert it missed) and nothing remembered: no address to try, none to choose a custodian by.
  const { mesh, nodes } = line(4);
  const depth = (n: SfNode) => n.packager.address?.coords.length ?? 0;
  const [origin, dest] = depth(nodes[0]) >= depth(nodes[3]) ? [nodes[0], nodes[3]] : [nodes[3], nodes[0]];
  for (const addr of [...origin.packager.addressesOf(dest.node.nodeId)]) origin.packager.removeRoute(addr);
  const noRoute = origin.packager.addressesOf(dest.node.nodeId).length === 0;
  const r = origin.sf.send(TEST_APP_ID, dest.node.nodeId, text('found'));
  mesh.run(120_000);

  test('custody climbs toward the root to a node that knows the way, and the message arrives once', () => {
    expect(noRoute).toBe(true);
    expect(depth(origin)).toBeGreaterThan(0);
    expect(received(dest)).toEqual(['found']);
    expect(origin.statuses.get(r.ok ? r.value : '')?.at(-1)).toBe('delivered');
    expect(nodes.map((n) => n.sf.store.count)).toEqual([0, 0, 0, 0]);
  });
});

describe('a destination whose return the origin missed, with no custodian to help', () => {
  // a - b - c - d, b and c battery nodes (no custody): d went away and came back while the
  // origin's routes to it lapsed. The origin still remembers where d was; d is elsewhere now.
  const { mesh, nodes } = line(4, (i) => ({ custodian: i === 0 || i === 3 }));
  const [a, , , d] = nodes;
  const was = a.packager.addressesOf(d.node.nodeId).at(-1);
  for (const addr of [...a.packager.addressesOf(d.node.nodeId)]) a.packager.removeRoute(addr);
  const moved = was ? Address.fromCoords(was.treeState, [...was.coords, 7]) : undefined;
  const r = a.sf.send(TEST_APP_ID, d.node.nodeId, text('where are you'), moved?.ok ? { address: moved.value } : {});
  mesh.run(180_000);
  const counters = (n: SfNode) => n.packager.counters.snapshot();

  test('the origin asks where it is, the destination answers, and the message arrives once', () => {
    expect(a.packager.addressesOf(d.node.nodeId).length).toBe(0);
    expect(received(d)).toEqual(['where are you']);
    expect(a.statuses.get(r.ok ? r.value : '')?.at(-1)).toBe('delivered');
    expect(counters(a).sf_lookup_found).toBeGreaterThan(0);
    expect(counters(d).sf_lookup_answered).toBeGreaterThan(0);
  });
});

test('a lookup that is cut short or was never asked for is dropped, counted, and changes nothing', () => {
  const { nodes } = line(2);
  const [a, b] = nodes;
  const here = serializeHere({ dest: b.node.nodeId, address: b.packager.address as Address });
  const where = serializeWhere({ nonce: 1, dest: b.node.nodeId, asker: a.node.nodeId, askerAddress: a.packager.address as Address });
  const delivery = { iface: undefined, mac: undefined, peer: a.packager.peer(b.node.nodeId), from: undefined, hops: 1 };
  expect(here.ok && where.ok).toBe(true);
  const before = a.packager.counters.get('sf_bad_message');
  expect(() => {
    if (here.ok) a.sf.receive(here.value, delivery); // unsolicited: ignored
    if (where.ok) a.sf.receive(where.value.subarray(0, 40), delivery); // truncated
    if (here.ok) a.sf.receive(here.value.subarray(0, 49), delivery);
  }).not.toThrow();
  expect(a.packager.counters.get('sf_bad_message') - before).toBe(2);
  expect(a.packager.counters.get('sf_lookup_found')).toBe(0);
});

test('a bundle carries a way only when given one, and parses back to the same address', () => {
  const id = (n: number) => new Uint8Array(32).fill(n);
  const base = { flags: BundleFlag.CUSTODY, counter: 1, lifetimeMs: 1000, ageMs: 0, origin: id(1), dest: id(2), holder: id(3), app: TEST_APP_ID, data: text('d') };
  const way = Address.fromCoords(9, [1, 2, 3]);
  const plain = serializeBundle(base);
  const withWay = serializeBundle({ ...base, way: way.ok ? way.value : undefined });
  const parsed = withWay.ok ? parseBundleMessage(withWay.value) : undefined;
  expect(plain.ok && plain.value.length).toBe(126 + 1);
  expect(withWay.ok && withWay.value.length).toBe(126 + 17 + 1);
  const m = parsed?.ok && parsed.value.op === BundleOp.BUNDLE ? parsed.value : undefined;
  expect(m && way.ok && m.way?.equals(way.value)).toBe(true);
  expect(m && new TextDecoder().decode(m.data)).toBe('d');
  expect(m && m.flags & BundleFlag.CUSTODY).toBe(BundleFlag.CUSTODY);
});

describe('a custodian with no route back to the origin', () => {
  // a - b - c - d, d away: custody goes a → b → c. c's routes to a have lapsed (routes live 8
  // min after their last advert; a stays put and does not advertise again).
  const { mesh, nodes } = line(4);
  const [a, b, c, d] = nodes;
  away(d);
  mesh.run(30_000);
  const r = a.sf.send(TEST_APP_ID, d.node.nodeId, text('news'));
  mesh.run(60_000);
  const atC = c.sf.store.count;
  for (const addr of [...c.packager.addressesOf(a.node.nodeId)]) c.packager.removeRoute(addr);
  const lapsed = c.packager.addressesOf(a.node.nodeId).length === 0;
  back(d);
  mesh.run(180_000);

  test('the sender still hears delivered: the news walks back the way custody came', () => {
    expect(atC).toBe(1);
    expect(lapsed).toBe(true);
    expect(received(d)).toEqual(['news']);
    expect(a.statuses.get(r.ok ? r.value : '')).toEqual(['queued', 'in_custody', 'delivered']);
    expect(b.sf.store.count + c.sf.store.count).toBe(0);
  });
});

describe('the console', () => {
  const { mesh, nodes } = line(3);
  const [a, b, c] = nodes;
  const held = (n: SfNode) => {
    const lines: string[] = [];
    n.sf.commands().find((cmd) => cmd.name === 'held')?.run([], (l) => lines.push(l));
    return lines;
  };
  away(c);
  mesh.run(30_000);
  const r = a.sf.send(TEST_APP_ID, c.node.nodeId, text('console'));
  const counter = r.ok ? r.value.split(':')[1] : '?';
  mesh.run(60_000);
  const whileAway = { a: held(a), b: held(b) };
  back(c);
  mesh.run(120_000);

  test('`held` shows the bundle in custody at the custodian, and its status at the sender', () => {
    expect(whileAway.b.some((l) => l.includes(`:${counter} to `) && l.includes('(custody)'))).toBe(true);
    expect(whileAway.a).toContain(`  sent ${counter} to ${toHex(c.node.nodeId).slice(0, 8)}…: in_custody`);
    expect(held(a)).toContain(`  sent ${counter} to ${toHex(c.node.nodeId).slice(0, 8)}…: delivered`);
    expect(held(b)[0]).toMatch(/^held 0\/32 bundles/);
  });
});
