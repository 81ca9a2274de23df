/**
 * How the console shows values: addresses as upstream's `Address(…)`, byte strings as hex, the
 * Packager's hook arguments (packets, packages, interfaces, peers) as one short phrase each.
 * Every description is bounded in depth, items and characters, whatever it is given.
 */
import { Address } from '../mycelium/wire/address.js';
import { toHex } from '../mycelium/wire/bytes.js';
import { truncate } from '../status/format.js';

/** Longest hex shown for a byte string (32 bytes: a node id). */
const MAX_HEX_BYTES = 32;
const MAX_ITEMS = 8;
const MAX_DEPTH = 2;
const MAX_STRING = 80;

/** Names an app id (hex) when the node knows the app. */
export type AppNamer = (appIdHex: string) => string | undefined;

export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === 'string' ? e : 'unexpected failure';
}

/** One short phrase for any value, at most `maxChars` characters. */
export function describe(value: unknown, maxChars: number, names?: AppNamer): string {
  let text: string;
  try {
    text = describeValue(value, 0, names);
  } catch {
    text = '?'; // a getter that throws must not break the monitor or `app … invoke`
  }
  return truncate(text, maxChars);
}

function bytes(b: Uint8Array): string {
  if (b.length <= MAX_HEX_BYTES) return toHex(b);
  return toHex(b.subarray(0, MAX_HEX_BYTES)) + `\u2026(${b.length} B)`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

function describeValue(v: unknown, depth: number, names?: AppNamer): string {
  if (v === undefined) return '-';
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return truncate(v, MAX_STRING);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
  }
  if (v instanceof Uint8Array) return bytes(v);
  if (v instanceof Address) return `Address(${v.toString()})`;
  if (Array.isArray(v)) {
    if (depth >= MAX_DEPTH) return '[\u2026]';
    const items = v.slice(0, MAX_ITEMS).map((x) => describeValue(x, depth + 1, names));
    if (v.length > MAX_ITEMS) items.push(`\u2026+${v.length - MAX_ITEMS}`);
    return '[' + items.join(', ') + ']';
  }
  if (!isObject(v)) return '?';
  return describeKnown(v, depth, names) ?? describeObject(v, depth, names);
}

/** The Packager's own objects, recognised by shape (they are plain interfaces, not classes). */
function describeKnown(o: Record<string, unknown>, depth: number, names?: AppNamer): string | undefined {
  if (typeof o.ok === 'boolean') {
    if (o.ok) return 'ok ' + describeValue(o.value, depth + 1, names);
    const err = isObject(o.error) ? o.error : {};
    return `error ${String(err.code)}: ${String(err.message)}`;
  }
  if (typeof o.schemaId === 'number' && typeof o.packetId === 'number' && o.body instanceof Uint8Array) {
    // a Packet
    let s = `Packet(schema ${o.schemaId}, id ${o.packetId}, flags 0x${(Number(o.flags) & 255).toString(16).padStart(2, '0')}`;
    if (typeof o.seqId === 'number') s += `, seq ${o.seqId}/${String(o.seqSize)}`;
    if (o.toAddr instanceof Uint8Array && typeof o.treeState === 'number') {
      const to = Address.fromBytes(o.treeState, o.toAddr);
      if (to.ok) s += `, to ${to.value.toString()}`;
    }
    return s + `, ${o.body.length} B)`;
  }
  if (o.appId instanceof Uint8Array && o.blob instanceof Uint8Array) {
    // a Package: name the app when the node runs it
    const id = toHex(o.appId);
    return `Package(${names?.(id) ?? id.slice(0, 8) + '\u2026'}, ${o.blob.length} B)`;
  }
  if (isObject(o.radio) && o.id instanceof Uint8Array && typeof o.key === 'string') return String(o.radio.name); // an attached interface
  if (isObject(o.radio) && 'mac' in o) return `${o.mac instanceof Uint8Array ? toHex(o.mac) : '-'}@${String(o.radio.name)}`; // a peer link spec
  if (typeof o.key === 'string' && Array.isArray(o.links)) return `Peer(${o.key.slice(0, 16)}\u2026)`;
  return undefined;
}

function describeObject(o: Record<string, unknown>, depth: number, names?: AppNamer): string {
  if (depth >= MAX_DEPTH) return '{\u2026}';
  const keys = Object.keys(o);
  const parts = keys.slice(0, MAX_ITEMS).map((k) => `${k}: ${describeValue(o[k], depth + 1, names)}`);
  if (keys.length > MAX_ITEMS) parts.push(`\u2026+${keys.length - MAX_ITEMS}`);
  return '{' + parts.join(', ') + '}';
}
