/**
 * Shared helpers for the property tests: arbitraries for wire values, a seeded PRNG for the
 * bulk fuzz loops, and the runtime list of every `WireErrorCode`.
 */
import fc from 'fast-check';
import type { WireErrorCode } from '../../modules/mycelium/wire/result.js';
import type { FieldName, Schema } from '../../modules/mycelium/wire/schemas.js';
import type { Packet } from '../../modules/mycelium/wire/packet.js';

/** Every error code the wire layer may report. The type check below breaks if one is missing. */
export const KNOWN_ERROR_CODES = [
  'unknown_schema',
  'bad_version',
  'truncated',
  'body_too_large',
  'field_range',
  'field_length',
  'missing_field',
  'no_checksum_field',
  'checksum_mismatch',
  'bad_sequence',
  'coordinate_range',
  'address_overflow',
  'bad_address',
  'bad_message',
  'no_schema',
  'no_route',
  'no_address',
  'no_interface',
  'busy',
  'bad_argument',
] as const satisfies readonly WireErrorCode[];

type MissingCodes = Exclude<WireErrorCode, (typeof KNOWN_ERROR_CODES)[number]>;
// Compile-time exhaustiveness: `true` only when no WireErrorCode is missing from the list.
export const ERROR_CODES_EXHAUSTIVE: [MissingCodes] extends [never] ? true : never = true;

const KNOWN = new Set<string>(KNOWN_ERROR_CODES);

export function isKnownErrorCode(code: unknown): boolean {
  return typeof code === 'string' && KNOWN.has(code);
}

/** Byte arrays whose length is uniform-ish in [min, max] with the bounds favoured (fast-check's default size caps lengths at ~10). */
export function bytes(min: number, max = min): fc.Arbitrary<Uint8Array> {
  if (min === max) return fc.uint8Array({ minLength: min, maxLength: min });
  return fc.integer({ min, max }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n }));
}

export const FIELD_NAMES: readonly FieldName[] = ['packetId', 'seqId', 'seqSize', 'ttl', 'checksum', 'treeState', 'toAddr', 'fromAddr'];

/** Any valid packet of `schema`: every field within its width, body 0..maxBody. */
export function packetArb(schema: Schema): fc.Arbitrary<Packet> {
  const parts: Record<string, fc.Arbitrary<number | Uint8Array>> = {
    flags: fc.integer({ min: 0, max: 255 }),
    body: bytes(0, schema.maxBody),
  };
  for (const f of schema.fields) {
    parts[f.name] = f.kind === 'int' ? fc.integer({ min: 0, max: f.size === 1 ? 0xff : 0xffff }) : bytes(f.size);
  }
  return fc.record(parts).map((r) => ({ ...r, schemaId: schema.id }) as unknown as Packet);
}

/** A field of a packet by name (the Packet interface has no index signature). */
export function fieldOf(p: Packet, name: FieldName): number | Uint8Array | undefined {
  return (p as unknown as Record<FieldName, number | Uint8Array | undefined>)[name];
}

/** Deterministic 32-bit PRNG (mulberry32): reproducible bulk inputs without fast-check's overhead. */
export class Prng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.u32() / 0x100000000) * n);
  }
  byte(): number {
    return this.u32() & 255;
  }
  fill(into: Uint8Array): Uint8Array {
    let r = 0;
    for (let i = 0; i < into.length; i++) {
      if ((i & 3) === 0) r = this.u32();
      into[i] = r & 255;
      r >>>= 8;
    }
    return into;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** A Fisher–Yates shuffle driven by `rng` (returns a new array). */
export function shuffled<T>(items: readonly T[], rng: Prng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = out[i];
    out[i] = out[j];
    out[j] = t;
  }
  return out;
}
