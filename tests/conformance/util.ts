/** Shared helpers of the conformance checks. No Node API: these run in XS too. */
import { fromHex, toHex } from '../../modules/mycelium/wire/bytes.js';
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import type { Result } from '../../modules/mycelium/wire/result.js';

/** A vector case as decoded from JSON (integers of 16+ digits arrive as strings). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Case = Record<string, any>;

/** A check returns undefined when the case passes, or why it failed. */
export type Check = (c: Case, ctx: Context) => string | undefined;

export interface Context {
  readonly hashes: Hashes;
  /** Cases where upstream accepts bad input and we reject it on purpose. */
  deliberate: number;
}

export class Mismatch extends Error {}

export function hex(text: string): Uint8Array {
  const b = fromHex(text);
  if (!b) throw new Mismatch(`vector has invalid hex "${text.slice(0, 40)}"`);
  return b;
}

/** Bytes in a nested value: `{hex: "…"}` or a plain hex string. */
export function bytesOf(v: unknown): Uint8Array {
  if (v && typeof v === 'object' && 'hex' in v) return hex(String((v as { hex: string }).hex));
  return hex(String(v));
}

export function same(what: string, ours: unknown, theirs: unknown): void {
  const a = canon(ours);
  const b = canon(theirs);
  if (a !== b) throw new Mismatch(`${what}: ours ${a.slice(0, 300)} ≠ upstream ${b.slice(0, 300)}`);
}

/** Canonical JSON for comparison: bytes as hex, bigints and numbers as decimal strings. */
function canon(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => {
    if (x instanceof Uint8Array) return toHex(x);
    if (typeof x === 'bigint') return x.toString();
    if (typeof x === 'number') return String(x);
    return x;
  });
}

export function value<T>(what: string, r: Result<T>): T {
  if (!r.ok) throw new Mismatch(`${what} failed: ${r.error.code}: ${r.error.message}`);
  return r.value;
}

/** Assert that we refuse; returns the error code. */
export function refused<T>(what: string, r: Result<T>): string {
  if (r.ok) throw new Mismatch(`${what} was accepted; it must be refused`);
  return r.error.code;
}

export function big(v: unknown): bigint {
  return BigInt(v as string | number);
}

export function snakeToCamel(s: string): string {
  return s.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}
