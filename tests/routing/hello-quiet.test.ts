/**
 * Hello's "I heard you" list in a quiet mesh (apps/hello.ts, docs/routing.md "Hello"): the list
 * is most of a hello's bytes, so while it would only repeat itself it rides on every
 * `quiet_heard_every` hellos; news (a neighbour appearing, fading or gone) still goes out at the
 * next `heard_every` slot. What a user notices: fewer control bytes on air, while every link stays
 * trusted and a dead neighbour's fading figure still reaches the others in seconds.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { hellosOnAir } from '../support/hellos-on-air.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';

function quietMesh(quietEvery?: number): { mesh: AppMesh; nodes: AppNode[]; helloId: Uint8Array } {
  // Every node at the normal pace (quiet leaves off): this is about the list, not the period (hello-pace.test.ts).
  const mesh = new AppMesh({ seed: 5, tree: { pub_each_round: false }, hello: { quiet_interval_ms: 0, ...(quietEvery === undefined ? {} : { quiet_heard_every: quietEvery }) } });
  const nodes = mesh.grid(3, 3);
  mesh.startAll();
  mesh.run(120_000); // links measured, tree formed
  mesh.medium.clearLog();
  mesh.run(240_000);
  return { mesh, nodes, helloId: (nodes[0].hello as NonNullable<AppNode['hello']>).id };
}

describe('a quiet 3×3 grid over 4 minutes', () => {
  const { mesh, nodes, helloId } = quietMesh();
  const hellos = hellosOnAir(mesh, helloId);

  test('the list rides on about one hello in eight, not one in four', () => {
    let all = 0;
    let lists = 0;
    for (const hs of hellos.values()) {
      all += hs.length;
      lists += hs.filter((h) => h.heard.length > 0).length;
    }
    expect(all).toBeGreaterThan(9 * 60);
    expect(lists / all).toBeLessThanOrEqual(1 / 7);
    expect(lists / all).toBeGreaterThanOrEqual(1 / 9);
  });

  test('every neighbour still hears what we hear of it: every link stays trusted both ways', () => {
    const now = mesh.clock.now();
    for (const n of nodes) {
      const links = n.packager.peers.map((p) => p.link?.figures(now));
      expect(links.length).toBeGreaterThanOrEqual(2);
      for (const f of links) {
        expect(f?.outbound).toBeGreaterThan(0.9);
        expect(f?.good).toBe(true);
      }
    }
  });
});

test('quiet_heard_every equal to heard_every keeps a list on every fourth hello', () => {
  const { mesh, helloId } = quietMesh(4);
  let all = 0;
  let lists = 0;
  for (const hs of hellosOnAir(mesh, helloId).values()) {
    all += hs.length;
    lists += hs.filter((h) => h.heard.length > 0).length;
  }
  expect(lists / all).toBeGreaterThan(1 / 5);
});

test('a neighbour that dies is news: its fading figure goes out within two list slots', () => {
  const { mesh, nodes, helloId } = quietMesh();
  const centre = nodes[4];
  const short = centre.node.nodeId.subarray(0, 4);
  centre.radio.on = false;
  mesh.medium.clearLog();
  mesh.run(30_000); // ten hello periods: a few missed hellos, then a list at the next slot
  const neighbours = [nodes[1], nodes[3], nodes[5], nodes[7]];
  const byMac = hellosOnAir(mesh, helloId);
  for (const n of neighbours) {
    const key = Array.from(n.radio.mac, (b) => b.toString(16)).join(':');
    const reports = (byMac.get(key) ?? []).flatMap((h) => h.heard.filter((e) => bytesEqual(e.shortId, short)).map((e) => e.quality));
    // The centre is reported fading (below a clean link's figure) before 30 s are out.
    expect(Math.min(...reports)).toBeLessThan(224);
  }
});
