/**
 * Runs a mod's app (mods/*) on AppMesh nodes the way a board does: through AppRunner, which
 * hands it the mesh API and nothing else. Each node records its log lines, its failures and
 * the app's last screen page; `exec` runs one of the app's console commands and returns what
 * it printed, as the console would.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { AppRunner } from '../../modules/mesh-api/app-runner.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { AppMain, ScreenLine } from '../../modules/mesh-api/api.js';

export interface ScreenPage {
  readonly title: string;
  readonly lines: readonly ScreenLine[];
}

export interface ModNode {
  readonly index: number;
  readonly mesh: AppNode;
  readonly runner: AppRunner;
  /** Node id, hex. */
  readonly id: string;
  readonly short: string;
  readonly logs: string[];
  readonly failures: string[];
  /** The app's page as last shown; undefined when none (or removed). */
  readonly screen: ScreenPage | undefined;
  /** Run `line` (command name and words) and return the lines it printed. */
  exec(line: string): string[];
}

export type OptionsOf = Record<string, unknown> | ((index: number) => Record<string, unknown>);

/** What the board tells the API, per node index (default: no name, no heap or battery figure). */
export interface BoardOf {
  readonly name?: (index: number) => string;
  readonly battery?: (index: number) => number | undefined;
  readonly freeHeap?: (index: number) => number | undefined;
}

/** Start `main` on each node with `options` (the mod's config) on a board described by `board`. */
export function runApp(nodes: readonly AppNode[], main: AppMain, options: OptionsOf = {}, board: BoardOf = {}): ModNode[] {
  return nodes.map((n, i) => {
    const logs: string[] = [];
    const failures: string[] = [];
    let screen: ScreenPage | undefined;
    const runner = new AppRunner(`app${i}`, {
      node: n.node,
      hashes: portableHashes,
      name: board.name?.(i) ?? '',
      battery: () => board.battery?.(i),
      freeHeap: () => board.freeHeap?.(i),
      log: (line) => logs.push(line),
      screen: (title, lines) => {
        screen = lines.length ? { title, lines } : undefined;
      },
      onFailure: (_name, error) => failures.push(error),
    });
    runner.start(main, typeof options === 'function' ? options(i) : options);
    const id = toHex(n.node.nodeId);
    return {
      index: i,
      mesh: n,
      runner,
      id,
      short: id.slice(0, 8),
      logs,
      failures,
      get screen() {
        return screen;
      },
      exec(line: string): string[] {
        const [name, ...args] = line.split(/\s+/).filter((w) => w !== '');
        const command = runner.handle?.apps[0]?.commands().find((c) => c.name === name);
        if (!command) throw new Error(`no command "${name}" on node ${i} (app ${runner.status.state})`);
        const out: string[] = [];
        command.run(args, (l) => out.push(l));
        return out;
      },
    };
  });
}

/** A line of `count` nodes: each hears only its neighbours, so the ends are count − 1 hops apart. */
export function line(mesh: AppMesh, count: number): AppNode[] {
  const nodes = mesh.addApps(count);
  for (let i = 0; i + 1 < count; i++) mesh.wire(nodes[i], nodes[i + 1]);
  return nodes;
}

/** Advance the virtual clock in steps until `done` (or `limitMs`); returns the time it took. */
export function runUntil(mesh: AppMesh, done: () => boolean, limitMs: number, stepMs = 1_000): number {
  let t = 0;
  while (!done() && t < limitMs) {
    mesh.run(stepMs);
    t += stepMs;
  }
  return t;
}
