/**
 * bench:sim's disjoint meshes (bench/sim-scale.ts, `--clusters K`): K meshes of N ÷ K nodes,
 * each connected on its own and out of radio reach of every other, so a run does per node what
 * one small mesh does, in a world as large as one N-node mesh (docs/benchmarks.md, session 21).
 */
import { scaleScenario } from '../../bench/sim-scale.js';
import { validateScenario } from '../../simulator/scenario/validate.js';

const RANGE = 100;

/** Connected parts of a unit-disk graph over the points. */
function parts(points: readonly [number, number][]): number[][] {
  const seen = new Array<boolean>(points.length).fill(false);
  const out: number[][] = [];
  for (let s = 0; s < points.length; s++) {
    if (seen[s]) continue;
    const part = [s];
    seen[s] = true;
    for (let i = 0; i < part.length; i++) {
      const [x, y] = points[part[i]];
      points.forEach(([u, v], j) => {
        if (!seen[j] && Math.hypot(x - u, y - v) <= RANGE) {
          seen[j] = true;
          part.push(j);
        }
      });
    }
    out.push(part);
  }
  return out;
}

function positions(scenario: unknown): [number, number][] {
  return (scenario as { topology: { positions: [number, number][] } }).topology.positions;
}

test('ten clusters of 30 are ten connected meshes of 30, out of reach of each other', () => {
  const sc = scaleScenario({ nodes: 300, minutes: 2, trafficFromMinute: 2, clusters: 10 });
  expect(validateScenario(sc).ok).toBe(true);
  const found = parts(positions(sc));
  expect(found.map((p) => p.length)).toEqual(new Array(10).fill(30));
  // In the order laid out: cluster k holds nodes 30k .. 30k + 29.
  found.forEach((p, k) => expect(Math.min(...p)).toBe(30 * k));
});

test('one cluster is one connected mesh of all the nodes, laid out by the same generator', () => {
  const one = positions(scaleScenario({ nodes: 100, minutes: 2, trafficFromMinute: 2, clusters: 1 }));
  expect(parts(one)).toHaveLength(1);
  // The first of ten is the same layout: a small mesh and its ten copies compare like for like.
  const ten = positions(scaleScenario({ nodes: 1000, minutes: 2, trafficFromMinute: 2, clusters: 10 }));
  expect(ten.slice(0, 100)).toEqual(one);
});

test('nodes that do not split evenly are refused', () => {
  expect(() => scaleScenario({ nodes: 101, minutes: 2, trafficFromMinute: 2, clusters: 10 })).toThrow(RangeError);
});
