#!/usr/bin/env node
/**
 * Prints the advance widths (pixels) of printable ASCII (32..126) in a Moddable BMF font, the
 * table modules/status/font-widths.ts holds for the status screen's fonts:
 *   node scripts/font-widths.mjs $MODDABLE/examples/assets/fonts/OpenSans-Regular-16.fnt
 * BMF binary (AngelCode v3): block 4 holds 20-byte char records, xadvance at offset 16.
 * Kerning (block 5) only ever narrows a pair, so summed advances never under-estimate a width.
 */
import { readFileSync } from 'node:fs';

export function advances(path) {
  const b = readFileSync(path);
  if (b.toString('latin1', 0, 3) !== 'BMF') throw new Error(`${path}: not a binary BMF font`);
  const adv = new Map();
  for (let o = 4; o < b.length; ) {
    const type = b[o];
    const size = b.readUInt32LE(o + 1);
    o += 5;
    if (type === 4) for (let i = 0; i < size; i += 20) adv.set(b.readUInt32LE(o + i), b.readInt16LE(o + i + 16));
    o += size;
  }
  const out = [];
  for (let c = 32; c < 127; c++) out.push(adv.get(c) ?? 0);
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv[2]) {
    console.error('usage: node scripts/font-widths.mjs <font.fnt>');
    process.exit(2);
  }
  console.log(advances(process.argv[2]).join(','));
}
