/**
 * Puts the XS runner's host process and its workers on one core while they have it to themselves
 * (Linux, through util-linux's `taskset`; elsewhere, or without it, nothing changes).
 *
 * Why: the host and a worker never compute at once. A batch is a blocking write and read
 * (sync-channel.mjs), the driver runs one worker's job at a time, so one core is all a run can
 * use. On an idle machine the scheduler often puts the pair on different cores, and every one of
 * the run's ~26,000 hand-overs on telemetry-25 then wakes the other core, cold: the run took
 * about a tenth more CPU that way (docs/benchmarks.md, "Session 24"; sessions 9, 20 and 22 saw
 * the same).
 *
 * The risk of pinning is a neighbour: two runs side by side, or any busy process, on the chosen
 * core would halve the run's speed while another core idles. So the run watches its own share of
 * the core (its processes' CPU over wall time, `CoreWatch`) and gives the pin up for good the
 * first time the share falls below `MIN_SHARE` over a window.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Below this share of one core over a window, someone else runs there: unpin. */
export const MIN_SHARE = 0.7;
/** The window the share is measured over (wall ms). */
export const WINDOW_MS = 2000;

/** The CPU this process last ran on (proc(5), /proc/self/stat field 39), or undefined. */
function currentCpu(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const cpu = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[36]);
    return Number.isInteger(cpu) && cpu >= 0 ? cpu : undefined;
  } catch {
    return undefined;
  }
}

/** The cores a process may run on, as taskset's list ("0-1"), or undefined. */
function allowedList(pid: number): string | undefined {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system, all threads) of a process from proc(5), 0 once it is gone. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10; // utime, stime in USER_HZ (100 on Linux)
  } catch {
    return 0;
  }
}

function taskset(list: string, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', list, String(pid)], { stdio: 'ignore' });
}

export interface Pin {
  /** The core the run is on. */
  readonly cpu: number;
  /** Gives every pinned process its former cores back (best effort: a gone process is skipped). */
  release(): void;
}

/**
 * Every thread of this process and of `pids` on the core this process runs on, or undefined when
 * it could not be done (not Linux, no `taskset`, one core only). A run is as correct on any
 * core, only dearer.
 */
export function pinToOneCore(pids: readonly number[]): Pin | undefined {
  if (process.platform !== 'linux') return undefined;
  const cpu = currentCpu();
  const before = allowedList(process.pid);
  if (cpu === undefined || before === undefined || before === String(cpu)) return undefined;
  const pinned: number[] = [];
  try {
    for (const pid of [process.pid, ...pids]) {
      taskset(String(cpu), pid);
      pinned.push(pid);
    }
  } catch {
    for (const pid of pinned) tryTaskset(before, pid);
    return undefined;
  }
  return { cpu, release: () => pinned.forEach((pid) => tryTaskset(before, pid)) };
}

function tryTaskset(list: string, pid: number): void {
  try {
    taskset(list, pid);
  } catch {
    // gone, or no longer ours to change: nothing to give back
  }
}

/**
 * The run's share of its core, window by window: `sample(wallMs, cpuMs)` with the wall clock and
 * the run's CPU (host and workers) returns 'unpin' the first time a whole window ran below
 * MIN_SHARE, then nothing more ('done').
 */
export class CoreWatch {
  #wall: number;
  #cpu: number;
  #done = false;

  constructor(wallMs: number, cpuMs: number) {
    this.#wall = wallMs;
    this.#cpu = cpuMs;
  }

  sample(wallMs: number, cpuMs: number): 'keep' | 'unpin' | 'done' {
    if (this.#done) return 'done';
    const wall = wallMs - this.#wall;
    if (wall < WINDOW_MS) return 'keep';
    const share = (cpuMs - this.#cpu) / wall;
    this.#wall = wallMs;
    this.#cpu = cpuMs;
    if (share >= MIN_SHARE) return 'keep';
    this.#done = true;
    return 'unpin';
  }
}
