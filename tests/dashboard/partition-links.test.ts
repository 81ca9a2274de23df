/** The dashboard draws a named partition as the medium applies it: its crossing links cut, then restored. */
import { TraceIndex } from '../../simulator/dashboard/trace/state.js';
import { recorded, shipped } from './helpers.js';

test('partition-heal: the 4 links across the split are cut from 2 min to 4 min, and only those', async () => {
  const { trace } = await recorded(shipped('partition-heal', { duration_ms: 250_000, traffic: [] }));
  const index = new TraceIndex(trace);
  const cutAt = (t: number) => index.edgesAt(t).filter((e) => e.cut).map((e) => [e.a, e.b]);
  expect(cutAt(119_000)).toEqual([]);
  // West = columns 0 and 1 of the 4 × 4 grid: the links it loses join column 1 to column 2.
  expect(cutAt(120_000)).toEqual([
    [1, 2],
    [5, 6],
    [9, 10],
    [13, 14],
  ]);
  expect(cutAt(240_000)).toEqual([]);
}, 60_000);
