/**
 * The node's file (`~/.config/mycelium/<name>.json`, or `--config FILE`): its settings, written
 * by the user or by `mycelium-node` flags, and what the node stores (its id, generated once,
 * and the console's `config set` values). One JSON object, rewritten whole (temporary file then
 * rename) so an interrupted write never leaves half a file.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Storage } from '../../modules/mycelium/platform/platform.js';
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';

export type NodeFileData = Record<string, unknown>;

/** Where a node named `name` keeps its file when no --config is given. */
export function defaultConfigPath(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'mycelium', `${name}.json`);
}

export class NodeFile {
  readonly path: string;
  data: NodeFileData;

  /** Read the file (a missing file is an empty node); throws one sentence if it is not a JSON object. */
  constructor(path: string) {
    this.path = path;
    let text: string | undefined;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${path}: cannot read (${(e as Error).message})`);
    }
    if (text === undefined) {
      this.data = {};
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${path}: must hold a JSON object`);
    this.data = parsed as NodeFileData;
  }

  save(): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.data, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, this.path);
  }

  /**
   * The mesh Storage over this file: `node_id` as hex at the top level, every other key (the
   * console's settings) as text under `settings`, so the file stays readable and editable.
   */
  storage(): Storage {
    return {
      get: (key) => {
        if (key === 'node_id') return typeof this.data.node_id === 'string' ? fromHex(this.data.node_id) : undefined;
        const v = this.#settings()[key];
        return v === undefined || v === null ? undefined : new TextEncoder().encode(String(v));
      },
      set: (key, value) => {
        if (key === 'node_id') this.data.node_id = toHex(value);
        else this.data.settings = { ...this.#settings(), [key]: new TextDecoder().decode(value) };
        this.save();
      },
      delete: (key) => {
        if (key === 'node_id') delete this.data.node_id;
        else {
          const s = { ...this.#settings() };
          delete s[key];
          this.data.settings = s;
        }
        this.save();
      },
    };
  }

  #settings(): Record<string, unknown> {
    const s = this.data.settings;
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  }
}
