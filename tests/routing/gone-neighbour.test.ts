/**
 * A neighbour that went down (docs/routing.md "Routes and loops", a neighbour gone silent): its
 * link figures stay good for ~15 missed hellos (45 s), since silence lowers only the inbound
 * figure, and routing kept handing it packets; churn-100 lost a third of its pings so. Once its
 * hellos have been silent past the limit that gives a parent up (LinkEstimate.lost), routing
 * goes round it, and does not fall back on it as a last resort, unless other frames of it still
 * arrive (its hellos drowned by collisions). Virtual time, real peers.
 */
import { findHop } from '../../modules/mycelium/packager/find-hop.js';
import { BorderTable } from '../../modules/mycelium/packager/borders.js';
import { LinkEstimate } from '../../modules/mycelium/packager/link-quality.js';
import { Peer } from '../../modules/mycelium/packager/peer.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';
import { hopView } from '../support/hop-view.js';

const TS = 9;
const PERIOD = 3000;
const addr = (coords: number[]) => unwrap(Address.fromCoords(TS, coords));
const counters = { inc: () => undefined };

/** A neighbour at `at` whose last hello (one of 16 heard, each way clean) came at `lastAt`. */
function neighbour(key: string, at: number[], lastAt: number): Peer {
  const p = new Peer(key, 0, 60_000);
  const l = new LinkEstimate();
  for (let i = 0; i < 16; i++) {
    const t = lastAt - (15 - i) * PERIOD;
    l.onHello(100 + i, PERIOD, t);
    l.onReport(255, t);
  }
  p.link = l;
  p.setAddr(addr(at));
  return p;
}

const own = addr([5]);
const target = addr([1, 2]); // 3 hops from us by the tree; 1 from `near`, 2 from `root`
const T = 100_000;

function hopAt(now: number, peers: Peer[]): string | undefined {
  const r = findHop(hopView([own], peers, new BorderTable()), target, Metric.dTree, new Set(), now, false, counters);
  return 'hop' in r ? r.hop.peer.key : undefined;
}

test('a neighbour silent for two of its periods is still the next hop (a hello or two lost is no death)', () => {
  expect(hopAt(T + 2 * PERIOD, [neighbour('near', [1], T), neighbour('root', [], T + 2 * PERIOD)])).toBe('near');
});

test('a neighbour silent past its silence limit is gone: the packet goes round it', () => {
  const near = neighbour('near', [1], T);
  const now = T + 5 * PERIOD; // 4 periods is the limit of a clean link
  expect(near.link?.lost(now)).toBe(true);
  expect(near.linkCost(now)).toBeLessThan(1.6); // its ETX alone still says "clean"
  expect(hopAt(now, [near, neighbour('root', [], now)])).toBe('root');
});

test('a gone neighbour is not even the last resort: no hop rather than a frame into the void', () => {
  const now = T + 5 * PERIOD;
  expect(hopAt(now, [neighbour('near', [1], T)])).toBeUndefined();
});

test('a gone neighbour heard again is routed through at once', () => {
  const near = neighbour('near', [1], T);
  const now = T + 5 * PERIOD;
  near.link?.onHello(116 + 5, PERIOD, now); // it came back and says hello again
  expect(hopAt(now, [near, neighbour('root', [], now)])).toBe('near');
});

test('a neighbour whose hellos are drowned but whose frames still arrive is not gone (collisions)', () => {
  const near = neighbour('near', [1], T);
  const now = T + 5 * PERIOD;
  near.lastRx = now - PERIOD; // a unicast it relayed to us a period ago: it lives
  expect(hopAt(now, [near, neighbour('root', [], now)])).toBe('near');
});
