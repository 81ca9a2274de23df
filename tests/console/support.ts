/**
 * Consoles on real nodes: a line of nodes running Beacon, Gossip, SpanningTree, Ping and
 * DebugApp on the in-memory medium and a virtual clock, each with a MeshConsole whose output
 * is recorded.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';
import { DebugApp } from '../../modules/mycelium/apps/debug.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { MeshConsole, type ConfigStore, type ConsoleHost } from '../../modules/console/console.js';

export interface Station extends AppNode {
  readonly debug: DebugApp;
  readonly idHex: string;
}

export interface Attached {
  readonly console: MeshConsole;
  /** Everything written so far. */
  readonly out: string[];
  /** Run one line; the lines it printed at once. */
  run(line: string): string[];
  /** Lines written since the last call of `fresh` (or since attach). */
  fresh(): string[];
}

export function attach(host: ConsoleHost): Attached {
  const out: string[] = [];
  const console = new MeshConsole(host, (l) => out.push(l));
  let seen = 0;
  return {
    console,
    out,
    run(line) {
      const from = out.length;
      console.exec(line);
      seen = out.length;
      return out.slice(from);
    },
    fresh() {
      const lines = out.slice(seen);
      seen = out.length;
      return lines;
    },
  };
}

export function hostOf(s: Station, extra: Partial<ConsoleHost> = {}): ConsoleHost {
  return { node: s.node, ...extra };
}

/**
 * `n` nodes wired in a line 0 - 1 - … - n-1, started; `hello`: they run our Hello (link
 * quality); `loss[i]`: the loss on the link from node i to node i+1.
 */
export function line(n: number, o: { hello?: boolean; loss?: readonly number[] } = {}): { mesh: AppMesh; nodes: Station[] } {
  const mesh = new AppMesh({ tree: { sub: true }, ...(o.hello && { hello: true }) }); // sub: gossiped adverts give routes to every node
  const apps = mesh.addApps(n);
  for (let i = 0; i + 1 < n; i++) mesh.wire(apps[i], apps[i + 1], o.loss?.[i]);
  const nodes = apps.map((a) => {
    const debug = new DebugApp(portableHashes);
    a.node.addApp(debug);
    return { ...a, debug, idHex: toHex(a.node.nodeId) };
  });
  mesh.startAll();
  return { mesh, nodes };
}

/** Run in 1 s steps until every node follows one root with distinct addresses (at most 2 min). */
export function converge(mesh: AppMesh): void {
  for (let t = 0; t < 120_000 && !mesh.converged(); t += 1000) mesh.run(1000);
  if (!mesh.converged()) throw new Error('the test mesh did not converge in 2 minutes');
}

/** A Map-backed store that validates like a device's Preferences would. */
export function memoryStore(): ConfigStore & { readonly values: Map<string, string | number | boolean> } {
  const values = new Map<string, string | number | boolean>([
    ['name', 'node-a'],
    ['channel', 14],
    ['modem_sleep', false],
  ]);
  return {
    values,
    keys: () => [...values.keys()],
    get: (k) => values.get(k),
    set(k, v) {
      if (!values.has(k)) return { ok: false, error: `unknown setting ${k}` };
      if (k === 'channel') {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 14) return { ok: false, error: 'channel must be a whole number from 1 to 14' };
        values.set(k, n);
      } else if (k === 'modem_sleep') {
        if (v !== 'true' && v !== 'false') return { ok: false, error: 'modem_sleep must be true or false' };
        values.set(k, v === 'true');
      } else values.set(k, v);
      return { ok: true };
    },
  };
}
