/**
 * How wide text is on the status screen, in pixels: the advance widths of the two fonts the
 * Piu screen draws with (Moddable's OpenSans-Regular-16 for rows, OpenSans-Semibold-16 for the
 * title), so the view model can fit lines by what the 135 px screen really holds rather than
 * by a character count (a hex digit is 9 px, a colon 4 px, an "m" 15 px).
 *
 * Tables for printable ASCII 32..126, printed by
 *   node scripts/font-widths.mjs $MODDABLE/examples/assets/fonts/OpenSans-Regular-16.fnt
 * (tests/status/font-widths.test.ts compares them with the SDK's files when MODDABLE is set).
 * The fonts have no other glyphs (no U+2026 ellipsis): anything else counts as the widest glyph.
 */

/** Width of a string in some unit: pixels of a font, or characters. */
export type Measure = (text: string) => number;

const REGULAR_16: readonly number[] = Object.freeze([4,4,6,10,9,13,12,4,5,5,9,9,4,5,4,6,9,9,9,9,9,9,9,9,9,9,4,4,9,9,9,7,14,10,10,10,12,9,8,12,12,4,4,10,8,14,12,12,10,12,10,9,9,12,10,15,9,9,9,5,6,5,9,7,9,9,10,8,10,9,5,9,10,4,4,8,4,15,10,10,10,10,7,8,6,10,8,12,8,8,7,6,9,6,9]);
const SEMIBOLD_16: readonly number[] = Object.freeze([4,4,7,10,9,14,12,4,5,5,9,9,4,5,4,6,9,9,9,9,9,9,9,9,9,9,4,4,9,9,9,7,14,11,11,10,12,9,9,12,12,5,5,10,9,15,13,13,10,13,10,9,9,12,10,15,10,9,9,5,6,5,9,7,9,9,10,8,10,9,6,9,10,4,4,9,4,15,10,10,10,10,7,8,6,10,9,13,9,9,8,6,9,6,9]);
const WIDEST = 15;

function measure(widths: readonly number[], text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    w += c >= 32 && c < 127 ? widths[c - 32] : WIDEST;
  }
  return w;
}

// Plain functions over module constants: a closure over a parameter would be a preload warning.
/** Rows of the status screen (labels and values). */
export const openSansRegular16: Measure = (text: string) => measure(REGULAR_16, text);
/** The status screen's title bar. */
export const openSansSemibold16: Measure = (text: string) => measure(SEMIBOLD_16, text);
/** One unit per character: the text console's measure. */
export const characters: Measure = (text: string) => text.length;

/** The tables themselves, for the test that compares them with the SDK's font files. */
export const FONT_TABLES = Object.freeze({ 'OpenSans-Regular-16': REGULAR_16, 'OpenSans-Semibold-16': SEMIBOLD_16 });
