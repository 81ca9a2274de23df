/**
 * `config get [key]` / `config set key value`: the host's persisted settings. The store decides
 * what a key accepts and converts the text; the console only checks the key exists, so a typo
 * gets the list of keys instead of a silent new setting.
 */
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export const CONFIG_USAGE = 'get [key] | set key value';
const MAX_KEYS_SHOWN = 64;

export function runConfig(s: Session, args: readonly string[]): CommandResult {
  const store = s.host.config;
  if (!store) return textResult('no settings store on this host');
  const sub = (args[0] ?? '').toLowerCase();
  if (sub !== 'get' && sub !== 'set') return errorResult('usage: config ' + CONFIG_USAGE);
  const keys = store.keys().slice(0, MAX_KEYS_SHOWN);
  const key = args[1];
  if (sub === 'get' && key === undefined) return { kind: 'settings', settings: keys.map((k) => [k, store.get(k)] as const) };
  if (key === undefined) return errorResult('usage: config set key value');
  if (!store.keys().includes(key)) return errorResult(`unknown setting "${key}" (known: ${keys.join(', ') || 'none'})`);
  if (sub === 'get') return { kind: 'setting', key, value: store.get(key) };
  if (args.length < 3) return errorResult(`usage: config set ${key} value`);
  const r = store.set(key, args.slice(2).join(' '));
  if (!r.ok) return errorResult(`${key}: ${r.error}`);
  return { kind: 'setting', key, value: store.get(key) };
}
