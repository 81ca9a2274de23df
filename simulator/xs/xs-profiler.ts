/**
 * A per-method profile of the XS runner's worker (issue 21), for finding what the nodes' code
 * costs on XS: `MYCELIUM_XS_PROFILE=1 npx mycelium-sim run telemetry-25 --runner xs` bundles
 * xs-profile-entry.ts instead of the plain worker, which wraps the public methods and accessors
 * of the node's classes before any node exists, and prints the table when the run asks for its
 * crossings tally (the end of a run).
 *
 * Each call reads xsnap's meter (bytecodes executed) and performance.now() on entry and exit;
 * "self" is a method's figure less its wrapped callees'. Private (#) methods and module
 * functions cannot be wrapped: they count in their caller's self. The wrapper's own reads
 * (a few dozen bytecodes a call) count in the caller's self too, so compare calls as well.
 */

interface MeterGlobal {
  resetMeter(limit: number, count: number): number;
  currentMeterLimit(): number;
  print(...args: unknown[]): void;
  performance: { now(): number };
}
const g = globalThis as unknown as MeterGlobal;

/** The meter's count now (xsnap has no read-only accessor: reset to the same value). */
export function meterSteps(): number {
  const limit = g.currentMeterLimit();
  const n = g.resetMeter(limit, 0);
  g.resetMeter(limit, n);
  return n;
}

/**
 * Meter the worker's whole work: `handleInput` wrapped, its bytecodes summed, and `onTally` told
 * the inputs and steps when the run asks for its crossings tally (its last input).
 */
export function meterWorker(onTally: (inputs: number, steps: number, print: (line: string) => void) => void): void {
  const xs = globalThis as unknown as { handleInput: (input: ArrayBuffer) => string; print(line: string): void };
  const handle = xs.handleInput;
  const text = new TextDecoder();
  let inputs = 0;
  let steps = 0;
  xs.handleInput = (input: ArrayBuffer): string => {
    const s0 = meterSteps();
    const reply = handle(input);
    inputs++;
    steps += meterSteps() - s0;
    // The batch is bytes (xs-batch-codec.ts) whose jobs other than rx, sent and tick are JSON.
    if (text.decode(new Uint8Array(input)).includes('"k":"tally"')) onTally(inputs, steps, (line) => xs.print(line));
    return reply;
  };
}

interface Row {
  calls: number;
  selfSteps: number;
  totalSteps: number;
  selfMs: number;
  /** Wrapped calls made directly from this method: each adds the wrapper's caller-side bytecodes to its self. */
  childCalls: number;
}

export class XsProfiler {
  readonly #rows = new Map<string, Row>();
  /** Per open call: the children's steps and ms so far. */
  readonly #childSteps: number[] = [];
  readonly #childMs: number[] = [];
  readonly #childCalls: number[] = [];
  #depth = 0;

  /** Wrap the own methods and accessors of every class (function with a prototype) in `modules`' exports. */
  instrument(modules: readonly Record<string, unknown>[]): number {
    let wrapped = 0;
    const done = new Set<object>();
    for (const m of modules) {
      for (const [name, value] of Object.entries(m)) {
        if (typeof value !== 'function' || !value.prototype || done.has(value)) continue;
        done.add(value);
        wrapped += this.#wrapObject(value.prototype as object, name);
      }
    }
    return wrapped;
  }

  #wrapObject(proto: object, className: string): number {
    let wrapped = 0;
    for (const key of Object.getOwnPropertyNames(proto)) {
      if (key === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, key);
      if (!d || !d.configurable) continue;
      const label = `${className}.${key}`;
      if (typeof d.value === 'function') {
        d.value = this.#wrap(d.value as (...a: unknown[]) => unknown, label);
        wrapped++;
      } else {
        if (d.get) d.get = this.#wrap(d.get, `${label} get`) as () => unknown;
        if (d.set) d.set = this.#wrap(d.set, `${label} set`) as (v: unknown) => void;
        if (d.get || d.set) wrapped++;
      }
      Object.defineProperty(proto, key, d);
    }
    return wrapped;
  }

  #wrap(fn: (...a: unknown[]) => unknown, label: string): (...a: unknown[]) => unknown {
    let row = this.#rows.get(label);
    if (!row) {
      row = { calls: 0, selfSteps: 0, totalSteps: 0, selfMs: 0, childCalls: 0 };
      this.#rows.set(label, row);
    }
    const r = row;
    const enter = (): number => this.#enter();
    const leave = (d: number, s0: number, t0: number): void => this.#leave(r, d, s0, t0);
    return function (this: unknown, ...args: unknown[]): unknown {
      const d = enter();
      const s0 = meterSteps();
      const t0 = g.performance.now();
      try {
        return fn.apply(this, args);
      } finally {
        leave(d, s0, t0);
      }
    };
  }

  #enter(): number {
    const d = this.#depth++;
    this.#childSteps[d] = 0;
    this.#childMs[d] = 0;
    this.#childCalls[d] = 0;
    return d;
  }

  #leave(r: Row, d: number, s0: number, t0: number): void {
    const n = meterSteps() - s0;
    const ms = g.performance.now() - t0;
    this.#depth = d;
    r.calls++;
    r.totalSteps += n;
    r.selfSteps += n - this.#childSteps[d];
    r.selfMs += ms - this.#childMs[d];
    r.childCalls += this.#childCalls[d];
    if (d > 0) {
      this.#childSteps[d - 1] += n;
      this.#childMs[d - 1] += ms;
      this.#childCalls[d - 1]++;
    }
  }

  /** The rows with the most self steps, as text lines. */
  report(top = 40): string[] {
    const rows = [...this.#rows.entries()].filter(([, r]) => r.calls > 0);
    rows.sort((a, b) => b[1].selfSteps - a[1].selfSteps);
    const all = rows.reduce((s, [, r]) => s + r.selfSteps, 0);
    const calls = rows.reduce((s, [, r]) => s + r.calls, 0);
    const lines = [`xs profile: ${Math.round(all / 1e6)} M steps in wrapped methods (self), ${calls} wrapped calls, top ${top}`];
    lines.push('self M steps | self % | total M steps | calls | self steps/call | self ms | calls made | method');
    for (const [label, r] of rows.slice(0, top)) {
      lines.push(
        [(r.selfSteps / 1e6).toFixed(1), ((100 * r.selfSteps) / all).toFixed(1), (r.totalSteps / 1e6).toFixed(1), r.calls, Math.round(r.selfSteps / r.calls), Math.round(r.selfMs), r.childCalls, label].join(' | '),
      );
    }
    return lines;
  }

  print(top?: number): void {
    for (const line of this.report(top)) g.print(line);
  }
}
