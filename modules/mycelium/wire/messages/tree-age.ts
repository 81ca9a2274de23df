/**
 * The age byte of a SpanningTree message (protocol.md §6.3, offset 9) on a scale that reaches
 * the tree ages LoRa uses. Upstream writes whole seconds in a u8 and gives a tree up after 60 s;
 * LoRa's limit is 4 maintenance periods (1,024 s at SF7/BW125 and 1 %, 3,236 s at SF9, hours at
 * lower duty), so a byte clamped at 255 told a child its tree was 255 s old however old it was:
 * under a dead root every relayed advert made the tree younger again and the dead root's tree
 * never aged out (docs/routing.md "Tree age on LoRa").
 *
 * - Codes 0..127 are whole seconds, as upstream writes them: every age an ESP-NOW tree reaches
 *   (≤ 60 s plus a maintenance period) goes on air with the same byte as before.
 * - Codes 128..255 are a small float: 3 bits of exponent e, 4 of mantissa m; the age lies in
 *   [(16 + m)·2^(e+3), (17 + m)·2^(e+3)) s, steps of 1/16 to 1/31 of the age, up to 32,767 s.
 *   Code 255 also stands for anything older: "too old to tell".
 *
 * Reading is conservative: the last second of the code's range, and "too old to tell" is
 * Infinity. Any byte read this way is at least the seconds upstream reads in it, so a byte from
 * upstream or from an older build of ours (which clamp at 255) is never taken younger than it
 * was; upstream reads our codes ≥ 128 as ≥ 128 s, past its 60-s limit either way, so its
 * decisions do not change. No negotiation is needed and nothing changes below 128 s.
 */

/** Codes below this are whole seconds. */
export const TREE_AGE_EXACT_CODES = 128;
/** The oldest age a code tells apart; older ages all go as 255. */
export const TREE_AGE_MAX_TOLD_S = 32_767;

/** The byte for a tree `seconds` old (whole seconds, rounded down; negative counts as 0). */
export function encodeTreeAge(seconds: number): number {
  const s = seconds > 0 ? Math.floor(seconds) : 0;
  if (s < TREE_AGE_EXACT_CODES) return s;
  if (s > TREE_AGE_MAX_TOLD_S) return 255;
  let e = 0;
  while (s >> (e + 3) > 31) e++;
  return TREE_AGE_EXACT_CODES + e * 16 + ((s >> (e + 3)) - 16);
}

/** The age a byte tells, in seconds, on the old side: the last second of its range; 255: Infinity. */
export function treeAgeSeconds(code: number): number {
  if (code < TREE_AGE_EXACT_CODES) return code;
  if (code >= 255) return Infinity;
  const e = (code - TREE_AGE_EXACT_CODES) >> 4;
  const m = (code - TREE_AGE_EXACT_CODES) & 15;
  return (17 + m) * (1 << (e + 3)) - 1;
}
