/**
 * The coordinate table keeps an entry's time in a 32-bit word while every time it was given is a
 * whole ms within 49 days of its first, and moves them all into numbers when one is not (session
 * 20, issue 21): through that move, removals, growth and a released copy, every entry must read
 * back as it was set, against a plain list of what was set.
 */
import { CoordTable } from '../../modules/mycelium/apps/coord-table.js';
import { NodeSlots } from '../../modules/mycelium/packager/node-slots.js';
import { rng } from '../support/xorshift.js';

interface Entry {
  key: string;
  coord: number;
  released: boolean;
  heard: number;
}

/** The clock of each run: when it leaves whole ms, or goes back, or jumps. */
const CLOCKS: Record<string, (now: number, step: number, pick: (n: number) => number) => number> = {
  'whole ms': (now, _step, pick) => now + pick(2000),
  'a fraction from step 300': (now, step, pick) => now + pick(2000) + (step >= 300 ? 0.25 : 0),
  'set back before the first time at step 300': (now, step, pick) => (step === 300 ? 7 : now + pick(2000)),
  'a jump past 2^32 ms at step 300': (now, step, pick) => now + pick(2000) + (step === 300 ? 2 ** 32 : 0),
  'a fraction from the start': (now, step, pick) => now + pick(2000) + (step === 0 ? 0.5 : 0),
  'past 2^53 ms at step 300': (now, step, pick) => (step === 300 ? 2 ** 53 + 2 : now + pick(2000)),
};

test.each(Object.keys(CLOCKS))('every entry reads back as set, its time too (clock: %s)', (clock) => {
  const random = rng(11);
  const pick = (n: number): number => Math.floor(random() * n);
  const table = new CoordTable(new NodeSlots(8));
  const model: Entry[] = [];
  let now = 1000;
  const check = (t: CoordTable, m: readonly Entry[]): void => {
    expect(t.size).toBe(m.length);
    m.forEach((e, i) => {
      expect(t.keyAt(i)).toBe(e.key);
      expect(t.coordAt(i)).toBe(e.coord);
      expect(t.releasedAt(i)).toBe(e.released);
      expect(t.heardAt(i)).toBe(e.heard);
      expect(t.find(e.key)).toBe(i);
    });
  };
  for (let step = 0; step < 600; step++) {
    now = CLOCKS[clock](now, step, pick);
    const op = pick(10);
    if (op < 4 && model.length < 135) {
      const e = { key: 'k' + step, coord: 1 + pick(135), released: pick(2) === 0, heard: now };
      table.add(e.key, e.coord, e.released, e.heard);
      model.push(e);
    } else if (op < 8 && model.length > 0) {
      const i = pick(model.length);
      const e = { ...model[i], coord: 1 + pick(135), released: pick(2) === 0, heard: now };
      table.setAt(i, e.coord, e.released, e.heard);
      model[i] = e;
    } else if (model.length > 0) {
      const i = pick(model.length);
      table.removeAt(i);
      model.splice(i, 1);
    }
    if (step % 50 === 49) check(table, model);
  }
  check(table, model);
  const copy = table.released();
  check(
    copy,
    model.map((e) => ({ ...e, released: true })),
  );
  table.clear();
  expect(table.size).toBe(0);
});
