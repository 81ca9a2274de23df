/**
 * radio.asymmetry: each directed link gets its own extra loss from the seed, so a→b and b→a
 * differ — in the links the medium reports and in the frames that actually arrive.
 */
import { buildWorld } from '../../simulator/scenario/build.js';
import { scenario, world } from './helpers.js';

function lossPairs(asymmetry: number, seed: number): [number, number][] {
  const w = buildWorld(scenario({ name: 'a', seed, duration_ms: 1000, topology: { grid: { rows: 3, cols: 3, spacing: 60 } }, radio: { asymmetry } }));
  if (!w.ok) throw new Error(w.error);
  const m = w.world.medium;
  const pairs: [number, number][] = [];
  for (let a = 0; a < m.size; a++) {
    for (const l of m.links(a)) if (l.to > a) pairs.push([l.loss, m.links(l.to).find((b) => b.to === a)!.loss]);
  }
  return pairs;
}

test('with asymmetry each direction of a link has its own loss in [0, asymmetry], the same for the same seed', () => {
  const pairs = lossPairs(0.4, 7);
  expect(pairs.length).toBeGreaterThan(10);
  for (const [ab, ba] of pairs) {
    expect(ab).not.toBe(ba);
    expect(Math.max(ab, ba)).toBeLessThanOrEqual(0.4);
  }
  expect(lossPairs(0.4, 7)).toEqual(pairs);
  expect(lossPairs(0.4, 8)).not.toEqual(pairs);
});

test('without asymmetry both directions lose alike (unit disk: nothing)', () => {
  for (const [ab, ba] of lossPairs(0, 7)) expect([ab, ba]).toEqual([0, 0]);
});

test('the frames that arrive follow each direction\'s own loss', () => {
  const { clock, medium, received, line } = world({ asymmetry: 1 }, 4);
  const [a, b] = line(0, 50);
  const ab = medium.links(0)[0].loss;
  const ba = medium.links(1)[0].loss;
  expect(Math.abs(ab - ba)).toBeGreaterThan(0.5); // this seed draws two clearly different losses
  for (let i = 0; i < 2000; i++) {
    a.broadcast(Uint8Array.of(1));
    b.broadcast(Uint8Array.of(2));
    clock.advance(20);
  }
  const atB = received.filter((r) => r.to === 1).length / 2000;
  const atA = received.filter((r) => r.to === 0).length / 2000;
  expect(atB).toBeCloseTo(1 - ab, 1);
  expect(atA).toBeCloseTo(1 - ba, 1);
});

test('a link override\'s loss replaces the drawn one', () => {
  const { medium, line } = world({ asymmetry: 0.5 });
  line(0, 50);
  medium.setLink(0, 1, { loss: 0.05 });
  expect(medium.links(0)[0].loss).toBe(0.05);
  expect(medium.links(1)[0].loss).toBeGreaterThan(0);
});
