/**
 * `config get [key]` / `config set key value`: the host's persisted settings. The store decides
 * what a key accepts and converts the text; the console only checks the key exists, so a typo
 * gets the list of keys instead of a silent new setting.
 */
import type { Session } from '../session.js';

export const CONFIG_USAGE = 'get [key] | set key value';
const MAX_KEYS_SHOWN = 64;

function show(value: unknown): string {
  return value === undefined ? '(unset)' : String(value);
}

export function runConfig(s: Session, args: readonly string[]): void {
  const store = s.host.config;
  if (!store) return s.print('no settings store on this host');
  const sub = (args[0] ?? '').toLowerCase();
  if (sub !== 'get' && sub !== 'set') return s.error('usage: config ' + CONFIG_USAGE);
  const keys = store.keys().slice(0, MAX_KEYS_SHOWN);
  const key = args[1];
  if (sub === 'get' && key === undefined) {
    if (keys.length === 0) return s.print('Settings: none');
    s.print('Settings:');
    for (const k of keys) s.print(`\t${k} = ${show(store.get(k))}`);
    return;
  }
  if (key === undefined) return s.error('usage: config set key value');
  if (!store.keys().includes(key)) return s.error(`unknown setting "${key}" (known: ${keys.join(', ') || 'none'})`);
  if (sub === 'get') return s.print(`${key} = ${show(store.get(key))}`);
  if (args.length < 3) return s.error(`usage: config set ${key} value`);
  const r = store.set(key, args.slice(2).join(' '));
  if (!r.ok) return s.error(`${key}: ${r.error}`);
  s.print(`${key} = ${show(store.get(key))}`);
}
