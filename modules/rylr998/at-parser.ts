/**
 * Turns the RYLR-998's UART output into typed events, whatever the chunking.
 *
 * The module answers with CR LF–terminated lines (REYAX AT Command Guide): `+OK`, `+ERR=<n>`,
 * `+READY` (after power-on or AT+RESET), `+RESET`, `+<NAME>=<value>` for queries, and
 * `+RCV=<address>,<length>,<data>,<rssi>,<snr>` for a received frame. The data of a +RCV is
 * taken by its length, not up to the next comma or line end, so a frame may hold any byte
 * (commas, CR, LF) and still parse — binary frames rely on it.
 *
 * Bounded: one line buffer of `capacity` bytes. A line longer than that is dropped (counted) and
 * the parser skips to the next LF. Anything unrecognised is dropped and counted; nothing throws.
 */
import type { RylrCounters } from './counters.js';

export type AtEvent =
  | { readonly type: 'ok' }
  | { readonly type: 'error'; readonly code: number }
  | { readonly type: 'ready' }
  /** `+NAME=value` or a bare `+NAME` (e.g. +RESET, +FACTORY): value '' then. */
  | { readonly type: 'value'; readonly name: string; readonly value: string }
  /** A received frame; `data` is a fresh copy. */
  | { readonly type: 'rcv'; readonly address: number; readonly data: Uint8Array; readonly rssi: number; readonly snr: number };

/** "+RCV=65535,240," + 240 data bytes + ",-148,-20" + CR LF, with room to spare. */
export const DEFAULT_LINE_CAPACITY = 300;

const CR = 13;
const LF = 10;
const COMMA = 44;
const RCV_PREFIX: readonly number[] = Object.freeze([0x2b, 0x52, 0x43, 0x56, 0x3d]); // "+RCV="

export class AtParser {
  readonly #buf: Uint8Array;
  #len = 0;
  /** Skipping the rest of an overlong line up to its LF. */
  #skipping = false;
  /** For a +RCV line: index where its data ends (-1 unknown yet, -2 not a +RCV line). */
  #dataEnd = -1;
  readonly #counters: RylrCounters;
  readonly #emit: (event: AtEvent) => void;

  constructor(emit: (event: AtEvent) => void, counters: RylrCounters, capacity = DEFAULT_LINE_CAPACITY) {
    this.#emit = emit;
    this.#counters = counters;
    this.#buf = new Uint8Array(capacity);
  }

  /** Feed bytes as they arrive from the UART. */
  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.#byte(bytes[i]);
  }

  /** Forget a partial line (e.g. after the module was reset). */
  reset(): void {
    this.#len = 0;
    this.#skipping = false;
    this.#dataEnd = -1;
  }

  #byte(b: number): void {
    if (this.#skipping) {
      if (b === LF) this.#skipping = false;
      return;
    }
    if (this.#len === this.#buf.length) {
      this.#counters.rx_overlong++;
      this.reset();
      this.#skipping = b !== LF;
      return;
    }
    this.#buf[this.#len++] = b;
    if (this.#dataEnd === -1) this.#dataEnd = this.#rcvDataEnd();
    // A +RCV line's data may contain LF: only an LF after the data ends the line.
    if (b === LF && (this.#dataEnd < 0 || this.#len > this.#dataEnd)) this.#line();
  }

  /** -1: cannot tell yet; -2: not a +RCV line (or a malformed one: it ends at the first LF). */
  #rcvDataEnd(): number {
    const buf = this.#buf;
    const n = this.#len;
    for (let i = 0; i < RCV_PREFIX.length; i++) {
      if (i >= n) return -1;
      if (buf[i] !== RCV_PREFIX[i]) return -2;
    }
    // Find the second comma after the prefix: "+RCV=<address>,<length>,".
    let commas = 0;
    let lengthStart = 0;
    for (let i = RCV_PREFIX.length; i < n; i++) {
      const c = buf[i];
      if (c === COMMA) {
        commas++;
        if (commas === 1) lengthStart = i + 1;
        else {
          const length = digits(buf, lengthStart, i);
          return length < 0 ? -2 : i + 1 + length;
        }
      } else if (c < 0x30 || c > 0x39) return -2;
    }
    return -1;
  }

  #line(): void {
    const buf = this.#buf;
    let end = this.#len - 1; // drop LF
    if (end > 0 && buf[end - 1] === CR) end--;
    const dataEnd = this.#dataEnd;
    this.reset();
    if (end === 0) return; // blank line: the module sends none, but a bare CR LF is harmless
    this.#counters.rx_lines++;
    const event = dataEnd >= 0 ? parseRcv(buf, end, dataEnd) : parseText(buf, end);
    if (event) this.#emit(event);
    else this.#counters.rx_malformed++;
  }
}

/** Decimal digits in buf[from, to) as a number, or -1 (empty, not digits, absurdly long). */
function digits(buf: Uint8Array, from: number, to: number): number {
  if (to <= from || to - from > 9) return -1;
  let v = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i];
    if (c < 0x30 || c > 0x39) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v;
}

/** An optionally negative integer in buf[from, to), or NaN. */
function signed(buf: Uint8Array, from: number, to: number): number {
  const negative = from < to && buf[from] === 0x2d;
  const v = digits(buf, negative ? from + 1 : from, to);
  return v < 0 ? NaN : negative ? -v : v;
}

function parseRcv(buf: Uint8Array, end: number, dataEnd: number): AtEvent | undefined {
  // "+RCV=" address "," length "," data "," rssi "," snr
  if (dataEnd > end || buf[dataEnd] !== COMMA) return undefined;
  const c1 = buf.indexOf(COMMA, RCV_PREFIX.length);
  const address = digits(buf, RCV_PREFIX.length, c1);
  if (address < 0 || address > 65535) return undefined;
  const c2 = buf.indexOf(COMMA, c1 + 1);
  const c3 = buf.indexOf(COMMA, dataEnd + 1);
  if (c3 < 0 || c3 >= end) return undefined;
  const rssi = signed(buf, dataEnd + 1, c3);
  const snr = signed(buf, c3 + 1, end);
  if (Number.isNaN(rssi) || Number.isNaN(snr)) return undefined;
  return { type: 'rcv', address, data: buf.slice(c2 + 1, dataEnd), rssi, snr };
}

function parseText(buf: Uint8Array, end: number): AtEvent | undefined {
  if (buf[0] !== 0x2b) return undefined; // every answer starts with '+'
  let text = '';
  for (let i = 1; i < end; i++) {
    const c = buf[i];
    if (c < 0x20 || c > 0x7e) return undefined; // answers are printable ASCII
    text += String.fromCharCode(c);
  }
  if (text === 'OK') return { type: 'ok' };
  if (text === 'READY') return { type: 'ready' };
  const eq = text.indexOf('=');
  const name = eq < 0 ? text : text.slice(0, eq);
  if (!/^[A-Z][A-Z0-9]*$/.test(name)) return undefined;
  const value = eq < 0 ? '' : text.slice(eq + 1);
  if (name === 'ERR') {
    const code = /^[0-9]{1,3}$/.test(value) ? Number(value) : -1;
    return code < 0 ? undefined : { type: 'error', code };
  }
  if (name === 'RCV') return undefined; // a +RCV that did not parse as one
  return { type: 'value', name, value };
}
