/**
 * `npm run check:esp32`: the project's ESP32 C compiled by clang-xtensa against a real ESP-IDF
 * with Moddable's include list. Needs MODDABLE, IDF_PATH, clang with Xtensa and Espressif's newlib
 * headers; the script itself reports which is missing, and then this suite skips.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = spawnSync(process.execPath, ['scripts/check-esp32.mjs'], { cwd: root, encoding: 'utf8', timeout: 300_000 });
const output = `${run.stdout}${run.stderr}`;
const skipped = /check:esp32 skipped: (.*)/.exec(output)?.[1];
if (skipped) console.log(`tests/esp32 skipped: ${skipped}`);

(skipped ? describe.skip : describe)('ESP32 C against ESP-IDF (clang-xtensa)', () => {
  test('every ESP32 C file of every ESP32 host compiles without a warning', () => {
    expect(output).not.toMatch(/^FAIL /m);
    expect(run.status).toBe(0);
  });

  test('the ESP-NOW and sleep drivers are among the files checked', () => {
    expect(output).toMatch(/^ok {3}modules\/espnow\/espnow-esp32\.c /m);
    expect(output).toMatch(/^ok {3}modules\/sleep\/sleep-esp32\.c /m);
  });
});
