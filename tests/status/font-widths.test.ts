/**
 * The status screen fits text by the advance widths in modules/status/font-widths.ts. They must
 * be the widths of the fonts the Piu screen draws with (modules/host/ui/manifest.json): compared
 * with the SDK's BMF files when MODDABLE is set, skipped (with the reason in the title) otherwise.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FONT_TABLES, openSansRegular16 } from '../../modules/status/font-widths.js';
// @ts-expect-error -- a plain-JS script without type declarations
import { advances } from '../../scripts/font-widths.mjs';

const fonts = process.env.MODDABLE ? join(process.env.MODDABLE, 'examples', 'assets', 'fonts') : '';
const haveFonts = fonts !== '' && existsSync(join(fonts, 'OpenSans-Regular-16.fnt'));
const testFonts = haveFonts ? test : test.skip;
const title = haveFonts ? 'the tables are the SDK fonts\' advances' : 'the tables are the SDK fonts\' advances (SKIPPED: MODDABLE is not set or has no examples/assets/fonts)';

testFonts(title, () => {
  for (const [name, table] of Object.entries(FONT_TABLES)) expect(advances(join(fonts, `${name}.fnt`))).toEqual([...table]);
});

test('what the tables say about the 127 px row', () => {
  expect(openSansRegular16('0123456789abcdef')).toBe(9 * 10 + 9 + 10 + 8 + 10 + 9 + 5); // hex digits are 8-10 px
  expect(openSansRegular16('249-1121:8a9b::')).toBeLessThanOrEqual(127); // a depth-6 address fits a row alone
  expect(openSansRegular16('\u2026')).toBe(15); // not in the font: counted as the widest glyph
});
