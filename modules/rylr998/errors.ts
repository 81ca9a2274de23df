/**
 * What the RYLR-998 answers `+ERR=<n>` with, and the driver's own failures, as one typed error.
 * The table is REYAX's (LoRa AT Command Guide for RYLR998/RYLR498, "ERROR CODE"; the RYLR896/
 * RYLR406 guide shares codes 1–15); codes 3, 6–9, 11 and 16 are not listed there.
 */

/** REYAX's +ERR codes and their meaning, worded for a user reading a log. */
export const MODULE_ERRORS: Readonly<Record<number, string>> = Object.freeze({
  1: 'the command did not end with CR LF',
  2: 'the command did not start with "AT"',
  4: 'unknown command (or a bad parameter)',
  5: 'the data length given does not match the data sent',
  10: 'transmission took too long (TX over time)',
  12: 'CRC error',
  13: 'data longer than 240 bytes',
  14: 'could not write the module\'s flash memory',
  15: 'unknown failure',
  17: 'the previous transmission has not finished',
  18: 'preamble value not allowed',
  19: 'receive failed: header error',
  20: 'smart receiving power-saving time not allowed',
});

export type RylrErrorKind =
  /** The module answered +ERR=code. */
  | 'module'
  /** No answer within the command's timeout. */
  | 'timeout'
  /** The command queue was full: the command was never written. */
  | 'queue_full'
  /** The driver was closed with the command pending. */
  | 'closed'
  /** The driver refused the request before the module saw it (bad argument). */
  | 'invalid';

export interface RylrError {
  readonly kind: RylrErrorKind;
  /** The +ERR code (kind 'module' only), else 0. */
  readonly code: number;
  readonly message: string;
}

export function moduleError(code: number): RylrError {
  const known = MODULE_ERRORS[code];
  return Object.freeze({ kind: 'module', code, message: `RYLR-998 +ERR=${code}: ${known ?? 'code not in REYAX\'s table'}` });
}

export function driverError(kind: Exclude<RylrErrorKind, 'module'>, message: string): RylrError {
  return Object.freeze({ kind, code: 0, message });
}

/** What a command ends with: the module's value line (queries) or nothing (+OK), or an error. */
export type CommandResult = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly error: RylrError };
