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
import { SETTINGS } from '../../modules/host/settings.js';
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
   * The mesh Storage over this file: `node_id` as hex at the top level, the console's settings
   * as text under `settings`, so the file stays readable and editable, and every other key (the
   * node's Ed25519 seed, root work, admin counters: bytes) as hex under `state` — text would not
   * carry arbitrary bytes. A key read from `settings` by an older file still answers.
   */
  storage(): Storage {
    const isSetting = (key: string) => SETTINGS.some((s) => s.key === key);
    return {
      get: (key) => {
        if (key === 'node_id') return typeof this.data.node_id === 'string' ? fromHex(this.data.node_id) : undefined;
        const state = this.#section('state')[key];
        if (!isSetting(key) && typeof state === 'string') return fromHex(state);
        const v = this.#settings()[key];
        return v === undefined || v === null ? undefined : new TextEncoder().encode(String(v));
      },
      set: (key, value) => {
        if (key === 'node_id') this.data.node_id = toHex(value);
        else if (isSetting(key)) this.data.settings = { ...this.#settings(), [key]: new TextDecoder().decode(value) };
        else this.data.state = { ...this.#section('state'), [key]: toHex(value) };
        this.save();
      },
      delete: (key) => {
        if (key === 'node_id') delete this.data.node_id;
        else {
          for (const section of ['settings', 'state'] as const) {
            const s = { ...this.#section(section) };
            delete s[key];
            this.data[section] = s;
          }
        }
        this.save();
      },
    };
  }

  #section(name: 'settings' | 'state'): Record<string, unknown> {
    const s = this.data[name];
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  }

  #settings(): Record<string, unknown> {
    const s = this.data.settings;
    return typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Record<string, unknown>) : {};
  }
}
