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
  // Bytes are filled in order, in two states written as two loops (XS counts every bytecode,
  // and this runs for every address a node builds): the outer loop starts a byte; the inner one
  // runs while a high nibble waits in `high` for its low one, so no flag is set and tested per
  // coordinate. Writes past byte 15 are ignored by the typed array: no bound test either.
  // (c & 7) === c: an integer 0..7, a nibble (refuses NaN, strings, fractions and negatives at
  // once); (c & 255) === c the same for an octet's 0..255. `let`s outside the loops: XS copies a
  // `for (let …)` binding into a fresh scope every turn.
  // Three more cuts, measured in xsnap bytecodes (docs/benchmarks.md, session 18): `++i` and
  // `++k`, never `i++` inside an expression (a postfix value costs XS five bytecodes more); the
  // read inside the nibble test (no separate statement); and no end test per coordinate: the
  // read past the end gives `undefined`, which fails both tests, and only then is `i` compared
  // with the length (an `undefined` inside the list is refused as before).
  let k = -1; // index of the last byte written
  let i = -1; // index of the coordinate read last
  let high = 0;
  let c = 0;
  bytes: for (;;) {
    if (((c = coords[++i]) & 7) === c) high = c << 4;
    else if ((c & 255) === c && c <= MAX_COORDINATE) {
      out[++k] = c + 0x78; // the octet 0x80 | (c − 8), a whole byte
      continue;
    } else if (i >= coords.length) break;
    else return badCoordinate(c, i);
    for (;;) {
      if (((c = coords[++i]) & 7) === c) {
        out[++k] = high | c;
        break;
      }
      if ((c & 255) === c && c <= MAX_COORDINATE) {
        // The octet 0x80 | (c − 8) = c + 0x78 straddles two bytes: its high nibble ends this
        // one, its low nibble (c + 8) & 15 waits. `high` keeps bits above the byte; the typed
        // array stores only the low 8 bits, so no mask.
        out[++k] = high | ((c + 0x78) >> 4);
        high = (c + 8) << 4;
        continue;
      }
      if (i >= coords.length) {
        out[++k] = high; // a last high nibble with no low one
        break bytes;
      }
      return badCoordinate(c, i);
    }
  }
  // Past 32 nibbles (a byte written at index 16 or later) only zero nibbles may be dropped, and
  // only if the bytes still decode to the same coordinates (31 zeros then 8 does: the last-nibble
  // rule reads the lone 8 back).
  if (k >= ADDRESS_BYTES && !losslessTruncation(coords, out)) {
    return fail('address_overflow', `coordinates need ${nibbleCount(coords)} nibbles; an address holds ${NIBBLES} (16 bytes)`);
  }
  return { ok: true, value: out };
}

/** Nibbles `coords` (all in 0..135) take: one a coordinate up to 7, two an octet. */
function nibbleCount(coords: readonly number[]): number {
  let n = 0;
  for (const c of coords) n += c < 8 ? 1 : 2;
  return n;
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
  // Walk only up to the last non-zero byte: trailing zeros are "no coordinate" anyway. No
  // `last >= 0` test: bytes[-1] is undefined, which stops the scan as well.
  let last = ADDRESS_BYTES - 1;
  while (bytes[last] === 0) last--;
  const coords: number[] = [];
  if (last < 0) return { ok: true, value: coords };
  // Byte by byte (half the loop turns of a nibble walk, which XS pays per bytecode), in two states
  // written as two loops, as in encodeCoords: the outer loop starts a byte with no octet pending;
  // the inner one runs while an octet's high part, (low & 7) << 4 + 8, waits in `high` for the
  // next byte's high nibble. `coords[++k] = …`, not push() (a method call per coordinate) nor
  // `k++` (a postfix value costs XS five bytecodes more); `let`s outside the loops.
  let k = -1; // index of the last coordinate written
  let b = -1;
  let byte = 0;
  let low = 0;
  let high = 0;
  bytes: while (++b < last) {
    if ((byte = bytes[b]) >= 0x80) {
      coords[++k] = byte - 0x78; // a whole octet: ((byte >> 4) & 7) << 4 + (byte & 15) + 8
      continue;
    }
    coords[++k] = byte >> 4;
    if ((low = byte & 15) < 8) {
      coords[++k] = low;
      continue;
    }
    high = low * 16 - 120;
    while (++b < last) {
      coords[++k] = high + ((byte = bytes[b]) >> 4);
      if ((low = byte & 15) < 8) {
        coords[++k] = low;
        continue bytes;
      }
      high = low * 16 - 120;
    }
    // The last non-zero byte ends the pending octet; its low nibble as below.
    coords[++k] = high + ((byte = bytes[last]) >> 4);
    if ((low = byte & 15) >= 8 && last < ADDRESS_BYTES - 1) coords[++k] = low * 16 - 120;
    else if (low !== 0) coords[++k] = low;
    return { ok: true, value: coords };
  }
  if ((byte = bytes[last]) >= 0x80) {
    coords[++k] = byte - 0x78;
    return { ok: true, value: coords };
  }
  coords[++k] = byte >> 4;
  // The last byte's low nibble: zero is trailing; 8–15 in the very last position (byte 15's low
  // one) stands alone (upstream's rule); elsewhere it starts an octet the end cuts, which reads 0.
  if ((low = byte & 15) >= 8 && last < ADDRESS_BYTES - 1) coords[++k] = low * 16 - 120;
  else if (low !== 0) coords[++k] = low;
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

/**
 * The first `n` coordinates as a new (unfrozen) array to build on. A loop, not `slice`: an
 * Address's coords are frozen, and V8 slices a frozen array about seven times slower than a
 * plain one (every hello's neighbour and landmark lists are rebuilt from a position's head).
 * Not for keeping: the array has spare slots for the coordinates pushed after it.
 */
export function coordsHead(coords: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n && i < coords.length; i++) out.push(coords[i]);
  return out;
}

/** Number of equal leading coordinates. */
export function cpl(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/**
 * Tree distance: hops between two positions via their deepest common ancestor. A position ends
 * at its first zero. No copies: routing asks it for every candidate of every packet it forwards
 * (short-paths.ts: each neighbour, each neighbour's neighbour and landmark, ~300 a packet), and
 * it sliced a position with a zero before comparing. `indexOf` stays: a native scan beats a loop
 * over a frozen array in V8, and on XS.
 */
export function dTree(a: readonly number[], b: readonly number[]): number {
  return dTreeWithin(a, b, positionLength(b), Infinity);
}

/** Where a position ends: its first zero, else its length (what `dTree` measures). */
export function positionLength(coords: readonly number[]): number {
  const n = coords.indexOf(0);
  return n < 0 ? coords.length : n;
}

/**
 * `dTree(a, b)` when only a distance up to `limit` matters, `b`'s position length `lb` at hand
 * (positionLength): a relay measures one target against ~300 candidates (short-paths.ts). Two
 * positions are at least their difference in depth apart; when that is already over `limit`, it
 * is returned without comparing coordinates (any answer over `limit` means "too far").
 */
export function dTreeWithin(a: readonly number[], b: readonly number[], lb: number, limit: number): number {
  let la = a.indexOf(0);
  if (la < 0) la = a.length;
  const apart = la > lb ? la - lb : lb - la;
  if (apart > limit) return apart;
  const n = la < lb ? la : lb;
  let common = 0;
  while (common < n && a[common] === b[common]) common++;
  return la + lb - 2 * common;
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
  // The 16 bytes as three numbers (bytes 0–5, 6–11 and 12–15, big-endian: 48 bits fit a double
  // exactly), not a Uint8Array: on XS one 16-byte array costs 136 B, three number slots 48 B, and
  // every route, neighbour report and tree state holds an Address (issue 21). `bytes` makes them.
  private readonly word0: number;
  // The other two are declared, set only when not zero (read as 0 when absent): an address
  // up to twelve nibble coordinates deep has them zero, and each is a 16 B slot on XS (issue 21:
  // every route and neighbour holds an Address). Never set to 0, so equal addresses hold the same.
  declare private readonly word1: number | undefined;
  declare private readonly word2: number | undefined;
  // The two below are memos, declared, not defined: an Address gets the property (one 16 B slot
  // on XS) only once it is computed. Not private fields: on XS an object's first private field
  // costs a slot of its own besides the field's (issue 21: every route holds an Address).
  /**
   * `coords`: as given to `fromCoords`; from `fromBytes`, undefined until first read: a route
   * learnt from an advert is mostly never measured against (routing reads the coordinates of
   * neighbours and destinations), and the array costs ≈ 80 B on XS (issue 21).
   */
  declare private memoCoords: readonly number[] | undefined;
  /** `key`, computed once: routing looks addresses up in Maps for every frame it forwards. */
  declare private memoKey: string | undefined;

  /** `bytes`: 16 address bytes, read here and not kept. */
  private constructor(treeState: number, bytes: Uint8Array, coords: readonly number[] | undefined) {
    this.treeState = treeState;
    this.word0 = word48(bytes, 0);
    const word1 = word48(bytes, 6);
    const word2 = word32(bytes, 12);
    if (word1 !== 0) this.word1 = word1;
    if (word2 !== 0) this.word2 = word2;
    if (coords !== undefined) this.memoCoords = coords;
  }

  /** The 16 address bytes, a fresh copy each time (the caller may keep or change it). */
  get bytes(): Uint8Array {
    const out = new Uint8Array(ADDRESS_BYTES);
    put48(out, 0, this.word0);
    put48(out, 6, this.word1 ?? 0);
    put32(out, 12, this.word2 ?? 0);
    return out;
  }

  /**
   * Whether `bytes` are these 16 address bytes, without making them: the receive path asks it of
   * the node's own addresses for every routed frame, and acks of what it sent (`bytes` costs a
   * new array each read).
   */
  sameBytes(bytes: Uint8Array): boolean {
    return bytes.length === ADDRESS_BYTES && word48(bytes, 0) === this.word0 && word48(bytes, 6) === (this.word1 ?? 0) && word32(bytes, 12) === (this.word2 ?? 0);
  }

  /** As given to `fromCoords`, or decoded (trailing zeros trimmed) from the bytes, then kept. */
  get coords(): readonly number[] {
    const memo = this.memoCoords;
    if (memo !== undefined) return memo;
    const decoded = decodeAddress(this.bytes);
    const coords = Object.freeze(decoded.ok ? decoded.value : []);
    if (Object.isExtensible(this)) this.memoCoords = coords; // a frozen Address computes each time
    return coords;
  }

  /**
   * The coordinates as `coords` gives them, without keeping a decoded copy: the memo when there
   * is one, else decoded afresh. For readers that are not on a forwarding path (a hello listing
   * its neighbours, a landmark test): an address only they read then holds no array (≈ 120 B on
   * XS, issue 21), while routing's reads (`coords`) still keep theirs.
   */
  peekCoords(): readonly number[] {
    const memo = this.memoCoords;
    if (memo !== undefined) return memo;
    const decoded = decodeAddress(this.bytes);
    return decoded.ok ? decoded.value : [];
  }

  static fromCoords(treeState: number, coords: readonly number[]): Result<Address> {
    const ts = checkTreeState(treeState);
    if (!ts.ok) return ts as Result<never>;
    if (!Array.isArray(coords)) return fail('bad_address', 'coords must be an array of integers');
    const bytes = encodeCoords(coords);
    if (!bytes.ok) return bytes as Result<never>;
    // `slice`, not coordsHead: callers hand in plain arrays (fast to slice), and a slice is exactly
    // as long as the position, where an array grown by push holds spare slots (the Address keeps it).
    return ok(new Address(treeState, bytes.value, Object.freeze(coords.slice())));
  }

  /** From 16 address bytes (copied, so a parsed frame's buffer may be reused). */
  static fromBytes(treeState: number, bytes: Uint8Array): Result<Address> {
    const ts = checkTreeState(treeState);
    if (!ts.ok) return ts as Result<never>;
    if (!(bytes instanceof Uint8Array)) return fail('bad_address', 'address must be a Uint8Array');
    // Any 16 bytes decode (decodeAddress refuses only another length): decoding waits for `coords`.
    if (bytes.length !== ADDRESS_BYTES) return fail('bad_address', `address must be 16 bytes, got ${bytes.length}`);
    return ok(new Address(treeState, bytes, undefined));
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
    return this.treeState === other.treeState && this.word0 === other.word0 && this.word1 === other.word1 && this.word2 === other.word2;
  }

  /** A string usable as a Map key: same for equal addresses. */
  get key(): string {
    const memo = this.memoKey;
    if (memo !== undefined) return memo;
    const key = this.treeState + '-' + toHex(this.bytes);
    if (Object.isExtensible(this)) this.memoKey = key;
    return key;
  }

  /**
   * A Map key, equal for equal addresses, that costs nothing to hold when it can: the tree state
   * and the first five bytes as one number when the other eleven are zero (up to ten nibble
   * coordinates deep), else `key`. Tables with an entry per route use it: on XS each `key`
   * string is ≈ 48 B more per address (issue 21).
   */
  get tableKey(): number | string {
    // Bytes 5–15 zero: byte 5 is word0's lowest, 6–15 are word1 and word2.
    if (this.word1 !== undefined || this.word2 !== undefined || this.word0 % 256 !== 0) return this.key;
    return this.treeState * SHORT_KEY_UNIT + this.word0 / 256;
  }

  toString(): string {
    return `${this.treeState}-${addressHex(this.bytes)}`;
  }
}

/** `tableKey` packs the tree state above the first five bytes (8 + 40 bits, exact in a double). */
const SHORT_KEY_UNIT = 2 ** 40;

// Straight-line, not loops: every Address built reads its bytes through these and every
// `bytes` read writes them back; a loop with % and / cost ≈ 830 XS bytecodes a `bytes` read.
// A 24-bit half fits an int32, so shifts and `| 0` are exact on it; 48-bit words need * and /.
const TWO_24 = 0x1000000;

/** Bytes `at`..`at + 5`, big-endian, as one number (exact: 48 bits). */
function word48(b: Uint8Array, at: number): number {
  return ((b[at] << 16) | (b[at + 1] << 8) | b[at + 2]) * TWO_24 + ((b[at + 3] << 16) | (b[at + 4] << 8) | b[at + 5]);
}

/** Bytes `at`..`at + 3`, big-endian, as one non-negative number. */
function word32(b: Uint8Array, at: number): number {
  return b[at] * TWO_24 + ((b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]);
}

/** Write a word48 back (typed-array stores keep the low 8 bits). */
function put48(out: Uint8Array, at: number, word: number): void {
  const hi = (word / TWO_24) | 0;
  const lo = word - hi * TWO_24;
  out[at] = hi >> 16;
  out[at + 1] = hi >> 8;
  out[at + 2] = hi;
  out[at + 3] = lo >> 16;
  out[at + 4] = lo >> 8;
  out[at + 5] = lo;
}

/** Write a word32 back. */
function put32(out: Uint8Array, at: number, word: number): void {
  const hi = (word / TWO_24) | 0;
  const lo = word - hi * TWO_24;
  out[at] = hi;
  out[at + 1] = lo >> 16;
  out[at + 2] = lo >> 8;
  out[at + 3] = lo;
}

function checkTreeState(ts: number): Result<number> {
  if (!Number.isInteger(ts) || ts < 0 || ts > 255) return fail('field_range', `tree_state ${String(ts)} must be an integer 0..255`);
  return ok(ts);
}
