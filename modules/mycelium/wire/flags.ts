/**
 * The flags byte (protocol.md §2.2). Bits MSB-first: error 0x80, throttle 0x40, a 3-bit encoded
 * field in 0x38 whose values are mutually exclusive (ask, ack, rtx, rns, nia, encoded6, encoded7),
 * reserved1 0x04, reserved2 0x02, mode 0x01 (routing metric: 0 dTree, 1 dCPL).
 * Flags are plain numbers 0..255; these functions read and write named flags.
 */

export const FLAG_ERROR = 0x80; // relay could not forward (bounce on one-hop relay schemas)
export const FLAG_THROTTLE = 0x40; // defined upstream, never set or read
export const ENCODED_MASK = 0x38; // the 3-bit exclusive field
export const ENCODED_SHIFT = 3;
export const FLAG_RESERVED1 = 0x04;
export const FLAG_RESERVED2 = 0x02;
export const FLAG_MODE = 0x01; // 1 = route by dCPL, 0 = dTree

/** Values of the encoded field. */
export const Encoded = Object.freeze({ none: 0, ask: 1, ack: 2, rtx: 3, rns: 4, nia: 5, encoded6: 6, encoded7: 7 } as const);

export type EncodedFlag = 'ask' | 'ack' | 'rtx' | 'rns' | 'nia' | 'encoded6' | 'encoded7';
export type BitFlag = 'error' | 'throttle' | 'reserved1' | 'reserved2' | 'mode';
export type FlagName = BitFlag | EncodedFlag;

/** All named flags, in upstream's order. */
export const FLAG_NAMES: readonly FlagName[] = Object.freeze([
  'error', 'throttle', 'ask', 'ack', 'rtx', 'rns', 'nia', 'encoded6', 'encoded7', 'reserved1', 'reserved2', 'mode',
] as FlagName[]);

const BIT: Readonly<Record<BitFlag, number>> = Object.freeze({
  error: FLAG_ERROR, throttle: FLAG_THROTTLE, reserved1: FLAG_RESERVED1, reserved2: FLAG_RESERVED2, mode: FLAG_MODE,
});

export function encodedValue(flags: number): number {
  return (flags & ENCODED_MASK) >> ENCODED_SHIFT;
}

export function withEncoded(flags: number, value: number): number {
  return (flags & ~ENCODED_MASK & 0xff) | ((value << ENCODED_SHIFT) & ENCODED_MASK);
}

function isBit(name: FlagName): name is BitFlag {
  return name in BIT;
}

export function hasFlag(flags: number, name: FlagName): boolean {
  if (isBit(name)) return (flags & BIT[name]) !== 0;
  return encodedValue(flags) === Encoded[name];
}

/**
 * Set or clear one named flag. Setting an encoded flag replaces the whole encoded field.
 * Clearing an encoded flag empties the field only when that flag is the one set (upstream's
 * setter ignores `false` for the encoded group, §9.2 #16; it never matters on the air).
 */
export function setFlag(flags: number, name: FlagName, on: boolean): number {
  if (isBit(name)) return on ? (flags | BIT[name]) & 0xff : flags & ~BIT[name] & 0xff;
  if (on) return withEncoded(flags, Encoded[name]);
  return encodedValue(flags) === Encoded[name] ? withEncoded(flags, 0) : flags;
}

/** Every named flag of a byte, as upstream's Flags object exposes them. */
export function decodeFlags(flags: number): Record<FlagName, boolean> {
  const out = {} as Record<FlagName, boolean>;
  for (const name of FLAG_NAMES) out[name] = hasFlag(flags, name);
  return out;
}
