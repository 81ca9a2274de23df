/** The VirtualClock's heap at simulator scale: ordering ties, cancellation, exact counts. */
import fc from 'fast-check';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { SeededRandom } from '../../simulator/engine/random.js';

test('timers due at the same time fire in the order they were set, across many ties', () => {
  const clock = new VirtualClock();
  const fired: number[] = [];
  // 3,000 timers on 7 distinct due times, set in an interleaved order
  for (let i = 0; i < 3000; i++) clock.setTimeout(() => fired.push(i), (i * 5) % 7);
  clock.advance(10);
  const expected = Array.from({ length: 3000 }, (_, i) => i).sort((a, b) => ((a * 5) % 7) - ((b * 5) % 7) || a - b);
  expect(fired).toEqual(expected);
});

test('a timer set by a callback for "now" fires after the ones already due now', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => {
    fired.push('a');
    clock.setTimeout(() => fired.push('c'), 0);
  }, 5);
  clock.setTimeout(() => fired.push('b'), 5);
  clock.advance(5);
  expect(fired).toEqual(['a', 'b', 'c']);
});

test('cancellation under many timers: exact pendingCount, nextDue, and only live ones fire', () => {
  const clock = new VirtualClock();
  const rnd = new SeededRandom(9);
  const live = new Map<unknown, number>();
  const fired: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    const due = rnd.int(100_000);
    const h = clock.setTimeout(() => fired.push(i), due);
    live.set(h, due);
    if (rnd.chance(0.7)) {
      // cancel a random earlier one (most of the heap ends up cancelled → compaction runs)
      const keys = [...live.keys()];
      const k = keys[rnd.int(keys.length)];
      clock.clearTimeout(k);
      clock.clearTimeout(k); // twice: no-op
      live.delete(k);
    }
  }
  expect(clock.pendingCount).toBe(live.size);
  expect(clock.nextDue).toBe(Math.min(...live.values()));
  clock.advance(100_000);
  expect(fired).toHaveLength(live.size);
  expect(clock.pendingCount).toBe(0);
  expect(clock.nextDue).toBeUndefined();
});

test('clearTimeout of a fired, unknown or foreign handle is a no-op', () => {
  const clock = new VirtualClock();
  const other = new VirtualClock();
  let n = 0;
  const h = clock.setTimeout(() => n++, 1);
  const foreign = other.setTimeout(() => n++, 1);
  clock.advance(1);
  clock.clearTimeout(h);
  clock.clearTimeout(undefined);
  clock.clearTimeout(42);
  clock.clearTimeout({});
  clock.clearTimeout(foreign);
  expect(clock.pendingCount).toBe(0);
  expect(other.pendingCount).toBe(1);
  other.advance(1);
  expect(n).toBe(2);
});

test('negative and NaN delays count as 0', () => {
  const clock = new VirtualClock(10);
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(clock.now()), -5);
  clock.setTimeout(() => fired.push(clock.now()), NaN);
  expect(clock.nextDue).toBe(10);
  clock.advance(0);
  expect(fired).toEqual([10, 10]);
});

test('property: fires exactly the uncancelled timers, in (due, set order), like a sorted list', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ delay: fc.integer({ min: 0, max: 50 }), cancel: fc.boolean(), nested: fc.integer({ min: -1, max: 30 }) }), { maxLength: 200 }),
      fc.integer({ min: 0, max: 80 }),
      (specs, advanceBy) => {
        const clock = new VirtualClock();
        const fired: string[] = [];
        const handles = specs.map((s, i) =>
          clock.setTimeout(() => {
            fired.push(`${i}@${clock.now()}`);
            if (s.nested >= 0) clock.setTimeout(() => fired.push(`${i}n@${clock.now()}`), s.nested);
          }, s.delay),
        );
        specs.forEach((s, i) => s.cancel && clock.clearTimeout(handles[i]));
        clock.advance(advanceBy);
        // reference model: a plain list scanned for the minimum (due, seq)
        const model: { due: number; seq: number; label: string; nested: number }[] = [];
        let seq = 0;
        specs.forEach((s, i) => !s.cancel && model.push({ due: s.delay, seq: seq++, label: `${i}`, nested: s.nested }));
        const expected: string[] = [];
        for (;;) {
          let best = -1;
          for (let k = 0; k < model.length; k++) {
            if (model[k].due > advanceBy) continue;
            if (best < 0 || model[k].due < model[best].due || (model[k].due === model[best].due && model[k].seq < model[best].seq)) best = k;
          }
          if (best < 0) break;
          const [t] = model.splice(best, 1);
          expected.push(`${t.label}@${t.due}`);
          if (t.nested >= 0) model.push({ due: t.due + t.nested, seq: seq++, label: `${t.label}n`, nested: -1 });
        }
        expect(fired).toEqual(expected);
        expect(clock.pendingCount).toBe(model.length);
      },
    ),
    { numRuns: 200 },
  );
});

test('20,000 timers at fractional times, most cancelled (compaction, key arrays grown): sorted order', () => {
  const clock = new VirtualClock();
  const rng = new SeededRandom(7);
  const fired: number[] = [];
  const delays = Array.from({ length: 20_000 }, () => Math.floor(rng.float() * 4000) / 8);
  const handles = delays.map((d, i) => clock.setTimeout(() => fired.push(i), d));
  const cancelled = new Set<number>();
  for (let i = 0; i < delays.length; i++) {
    if (rng.float() >= 0.6) continue;
    cancelled.add(i);
    clock.clearTimeout(handles[i]);
  }
  expect(clock.pendingCount).toBe(delays.length - cancelled.size);
  clock.advance(1000);
  const expected = delays.map((_, i) => i).filter((i) => !cancelled.has(i)).sort((a, b) => delays[a] - delays[b] || a - b);
  expect(fired).toEqual(expected);
  expect(clock.pendingCount).toBe(0);
});
