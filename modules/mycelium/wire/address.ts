/**
 * Tree addresses (protocol.md §5): a node's position in the spanning tree as a list of child
 * coordinates, packed into 16 bytes (32 nibbles). Coordinates 1–7 take one nibble; 8–135 take an
 * octet 0x80|(c−8), which may straddle a byte. 0 means "no coordinate".
 */
import { ADDRESS_BYTES } from './constants.js';
import { fromHex, toHex } from './bytes.js';
import { fail, ok, type Result } from './result.js';

export const MAX_COORDINATE = 135; // 7 nibble values + 128 octet values
const NIBBLES = ADDRESS_BYTES * 2;

/**
 * Encode coordinates into 16 address bytes. Refuses what upstream silently mangles: coordinates
 * outside 0..135 (upstream wraps ≥ 136) and lists needing more than 32 nibbles (upstream truncates).
 */
export function encodeCoords(coords: readonly number[]): Result<Uint8Array> {
  const out = new Uint8Array(ADDRESS_BYTES);
  const n = coords.length;
  let nib = 0; // nibbles needed so far; only the first 32 are written
  let high = 0; // when nib is odd: the high nibble of byte nib >> 1, written with its low one
  for (let i = 0; i < n; i++) {
    const c = coords[i];
    // (c | 0) === c: an integer (also refuses NaN, strings and fractions); cheaper than Number.isInteger on XS.
    if ((c | 0) !== c || c < 0 || c > MAX_COORDINATE) return badCoordinate(c, i);
    if (c < 8) {
      if ((nib & 1) === 0) high = c << 4;
      else if (nib < NIBBLES) out[nib >> 1] = high | c;
      nib++;
    } else {
      const octet = c + 0x78; // 0x80 | (c − 8)
      if (nib & 1) {
        if (nib < NIBBLES) out[nib >> 1] = high | (octet >> 4); // straddles two bytes
        high = (octet & 15) << 4;
      } else if (nib < NIBBLES) {
        out[nib >> 1] = octet;
      }
      nib += 2;
    }
  }
  if (nib & 1 && nib < NIBBLES) out[nib >> 1] = high;
  // Past 32 nibbles only zero nibbles may be dropped, and only if the bytes still decode to the
  // same coordinates (31 zeros then 8 does: the last-nibble rule reads the lone 8 back).
  if (nib > NIBBLES && !losslessTruncation(coords, out)) {
    return fail('address_overflow', `coordinates need ${nib} nibbles; an address holds ${NIBBLES} (16 bytes)`);
  }
  return { ok: true, value: out };
}

function badCoordinate(c: number, i: number): Result<never> {
  return fail('coordinate_range', `coordinate ${String(c)} at index ${i} is outside 0..${MAX_COORDINATE}`);
}

function losslessTruncation(coords: readonly number[], bytes: Uint8Array): boolean {
  const back = decodeAddress(bytes);
  if (!back.ok) return false;
  let end = coords.length;
  while (end > 0 && coords[end - 1] === 0) end--;
  if (back.value.length !== end) return false;
  for (let i = 0; i < end; i++) if (back.value[i] !== coords[i]) return false;
  return true;
}

/**
 * Decode 16 address bytes into coordinates, trailing zeros removed. A high nibble starts an
 * octet, except in the very last position, where it stands alone (upstream's rule).
 */
export function decodeAddress(bytes: Uint8Array): Result<number[]> {
  if (bytes.length !== ADDRESS_BYTES) return fail('bad_address', `address must be 16 bytes, got ${bytes.length}`);
  // Walk only up to the last non-zero nibble: trailing zeros are "no coordinate" anyway.
  let b = ADDRESS_BYTES - 1;
  while (b >= 0 && bytes[b] === 0) b--;
  const last = b < 0 ? -1 : bytes[b] & 15 ? 2 * b + 1 : 2 * b;
  const coords: number[] = [];
  let k = 0; // coords[k++] = …, not push(): a method call per coordinate costs on XS
  for (let i = 0; i <= last; ) {
    const byte = bytes[i >> 1];
    const n = i & 1 ? byte & 15 : byte >> 4;
    if (n < 8 || i === NIBBLES - 1) {
      coords[k++] = n;
      i++;
    } else {
      const next = i & 1 ? bytes[(i + 1) >> 1] >> 4 : byte & 15;
      coords[k++] = ((n & 7) << 4) + next + 8;
      i += 2;
    }
  }
  return { ok: true, value: coords };
}

/** Hex of the address with upstream's compression: the first run of zeros that reaches a
 * non-zero byte or the end prints `::`; isolated zero bytes print `00`. */
export function addressHex(bytes: Uint8Array): string {
  let s = '';
  let compressed = false;
  let inRun = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b !== 0) {
      s += toHex(bytes.subarray(i, i + 1));
      inRun = false;
    } else if (inRun) {
      continue;
    } else if (i + 1 < bytes.length && bytes[i + 1] !== 0) {
      s += '00';
    } else if (!compressed) {
      s += '::';
      compressed = true;
      inRun = true;
    } else {
      s += '00';
    }
  }
  return s;
}

/** Number of equal leading coordinates. */
export function cpl(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

function untilZero(c: readonly number[]): readonly number[] {
  const z = c.indexOf(0);
  return z < 0 ? c : c.slice(0, z);
}

/** Tree distance: hops between two positions via their deepest common ancestor. */
export function dTree(a: readonly number[], b: readonly number[]): number {
  const x = untilZero(a);
  const y = untilZero(b);
  return x.length + y.length - 2 * cpl(x, y);
}

/**
 * Common-prefix-length distance as upstream's code computes it: lists padded with zeros to 32,
 * then 33 − cpl − 1/(len_a + len_b + 1); 0 for identical lists. (The spec's L = 17 is not what runs.)
 */
export function dCPL(a: readonly number[], b: readonly number[]): number {
  const la = Math.max(a.length, NIBBLES);
  const lb = Math.max(b.length, NIBBLES);
  let common = 0;
  const n = Math.min(la, lb);
  while (common < n && (a[common] ?? 0) === (b[common] ?? 0)) common++;
  if (common === n && la === lb) return 0;
  return 33 - common - 1 / (la + lb + 1);
}

/** A node's address in one tree: (tree_state, 16 bytes). Equality uses only those two. */
export class Address {
  readonly treeState: number;
  readonly bytes: Uint8Array;
  /** As given to `fromCoords`, or decoded (trailing zeros trimmed) by `fromBytes`. */
  readonly coords: readonly number[];
  /** `key`, computed once: routing looks addresses up in Maps for every frame it forwards. */
  #key: string | undefined;

  private constructor(treeState: number, bytes: Uint8Array, coords: readonly number[]) {
    this.treeState = treeState;
    this.bytes = bytes;
    this.coords = coords;
  }

  static fromCoords(treeState: number, coords: readonly number[]): Result<Address> {
    const ts = checkTreeState(treeState);
    if (!ts.ok) return ts as Result<never>;
    if (!Array.isArray(coords)) return fail('bad_address', 'coords must be an array of integers');
    const bytes = encodeCoords(coords);
    if (!bytes.ok) return bytes as Result<never>;
    return ok(new Address(treeState, bytes.value, Object.freeze(coords.slice())));
  }

  /** From 16 address bytes (copied, so a parsed frame's buffer may be reused). */
  static fromBytes(treeState: number, bytes: Uint8Array): Result<Address> {
    const ts = checkTreeState(treeState);
    if (!ts.ok) return ts as Result<never>;
    if (!(bytes instanceof Uint8Array)) return fail('bad_address', 'address must be a Uint8Array');
    const coords = decodeAddress(bytes);
    if (!coords.ok) return coords as Result<never>;
    return ok(new Address(treeState, bytes.slice(), Object.freeze(coords.value)));
  }

  /** Parse the text form `<tree_state>-<hex>` (also `Address(…)`), `::` standing for zero bytes. */
  static parse(text: string): Result<Address> {
    const cleaned = text.replace(/Address|[() ]/g, '');
    const dash = cleaned.indexOf('-');
    if (dash < 0) return fail('bad_address', `address text "${text}" has no "-" between tree state and hex`);
    const tsText = cleaned.slice(0, dash);
    let hex = cleaned.slice(dash + 1);
    if (!/^[0-9]+$/.test(tsText)) return fail('bad_address', `tree state "${tsText}" is not a decimal number`);
    const parts = hex.split('::');
    if (parts.length > 2) return fail('bad_address', `address text "${text}" has more than one "::"`);
    const hexLength = NIBBLES;
    if (parts.join('').length > hexLength) return fail('bad_address', `address text "${text}" is longer than 16 bytes`);
    hex = parts.length === 2 ? parts[0] + '0'.repeat(hexLength - parts[0].length - parts[1].length) + parts[1] : hex.padEnd(hexLength, '0');
    const bytes = fromHex(hex);
    if (!bytes) return fail('bad_address', `address text "${text}" has a non-hex digit`);
    return Address.fromBytes(Number(tsText), bytes);
  }

  equals(other: Address): boolean {
    if (this.treeState !== other.treeState) return false;
    for (let i = 0; i < ADDRESS_BYTES; i++) if (this.bytes[i] !== other.bytes[i]) return false;
    return true;
  }

  /** A string usable as a Map key: same for equal addresses. */
  get key(): string {
    return (this.#key ??= this.treeState + '-' + toHex(this.bytes));
  }

  toString(): string {
    return `${this.treeState}-${addressHex(this.bytes)}`;
  }
}

function checkTreeState(ts: number): Result<number> {
  if (!Number.isInteger(ts) || ts < 0 || ts > 255) return fail('field_range', `tree_state ${String(ts)} must be an integer 0..255`);
  return ok(ts);
}
