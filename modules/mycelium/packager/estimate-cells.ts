/**
 * Where Hello's link estimates (link-quality.ts) keep their numbers, in 4 B words (issue 21,
 * session 25): five cells an estimate, 20 B where a `Float64Array` took 40 B. One estimate
 * alone has a store of its own (slot 0); a Packager's neighbours share one (link-estimates.ts),
 * by the node key index's slot.
 *
 * An estimate's first ESTIMATE_CODES cells are codes (the history and the seq/report code, see
 * their accessors), int32 as written: every write is a bitwise result or a whole number below
 * 2^26, so an `Int32Array` reads them back exactly (the history's bit 31 as the negative number
 * `^` and `|` give). The other cells are times, each kept as its distance from `timeBase`, the
 * first time written, and read as `cells[i] + timeBase`: exact while the distance is a whole
 * int32 (a device's clock counts whole ms: 24 days either way); a clock that goes on past that
 * moves the base (`rebase`).
 *
 * Not whole-words.ts: its read is a method call, about 40 XS bytecodes more than reading a typed
 * array where this one is 8 more, and an estimate's times are read by every figure and lost()
 * (hundreds of thousands of reads on telemetry-25, whose XS run took 1,148 M bytecodes with
 * WholeWords columns against 1,140 M in floats; docs/benchmarks.md, session 25). The first
 * time that does not fit (the simulator's fractional clock, -0, a time 24 days before the base)
 * moves every cell, once and for good, into a `Float64Array` with `timeBase` -0: x + -0 is x for every x, so
 * a time's read stays the same add and exact, and a code reads as before. A time never written
 * reads as the base: an estimate writes its times before it reads one (its constructor, or a
 * copy of a whole estimate into a slot).
 */

export const ESTIMATE_CELLS = 5;
/** Cells of an estimate before its times. */
export const ESTIMATE_CODES = 2;

export interface EstimateStore {
  /** ESTIMATE_CELLS per estimate, from ESTIMATE_CELLS × slot. */
  cells: Int32Array | Float64Array;
  /** The first time written (NaN before), -0 once `cells` are floats. */
  timeBase: number;
  /** The rare figures no code holds (link-quality.ts), undefined until one comes. */
  odd: Map<number, number> | undefined;
}

/** A store for one estimate (slot 0). */
export function loneStore(): EstimateStore {
  return { cells: new Int32Array(ESTIMATE_CELLS), timeBase: NaN, odd: undefined };
}

/** Write time `at` into cell `i` (a time's cell), moving the cells to floats when it does not fit. */
export function putTime(store: EstimateStore, i: number, at: number): void {
  const cells = store.cells;
  if (cells instanceof Int32Array) {
    if (store.timeBase !== store.timeBase && Number.isSafeInteger(at)) store.timeBase = at;
    const d = at - store.timeBase;
    // (d | 0) === d: a whole int32 (a fraction, NaN or ±Infinity fails); -0 would read back as 0.
    if ((d | 0) === d && !Object.is(at, -0)) {
      cells[i] = d;
      return;
    }
    if (d > 0 && Number.isSafeInteger(at)) {
      rebase(cells, store.timeBase, at);
      store.timeBase = at;
      cells[i] = 0;
      return;
    }
    store.cells = floatCells(cells, store.timeBase);
    store.timeBase = -0;
  }
  store.cells[i] = at;
}

/**
 * Times from `now` on instead of from `base`, a clock that went on past the words' reach (a device
 * up for weeks): each kept time rewritten as its distance from `now`, and a time more than 2^31 ms
 * (24.8 days) before `now` as exactly that old. Every decision on an estimate's times looks back a
 * few hello periods at most (the history's window, the report's staleness, the grace of a new
 * link): a time older than 24.8 days decides as any older one, and a cell never written (read as
 * the base) is never read.
 */
function rebase(cells: Int32Array, base: number, now: number): void {
  for (let i = 0; i < cells.length; i++) {
    if (i % ESTIMATE_CELLS < ESTIMATE_CODES) continue;
    cells[i] = Math.max(-0x80000000, cells[i] + base - now);
  }
}

/** Words `cells` with times from `base` as floats, each number as it reads. */
function floatCells(cells: Int32Array, base: number): Float64Array {
  const floats = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    // With base NaN no time was written: those cells are 0.
    floats[i] = i % ESTIMATE_CELLS < ESTIMATE_CODES || base !== base ? cells[i] : cells[i] + base;
  }
  return floats;
}
