/**
 * The ESP32 C of modules/espnow and modules/sleep cannot be built without ESP-IDF, so `npm test`
 * compiles it with `gcc -fsyntax-only -Wall -Werror` against XS's public headers (as shipped in
 * the @agoric/xsnap package) and the stand-in ESP-IDF headers in tests/native/include, which
 * declare what the C uses with ESP-IDF v6.0's signatures and its opaque-ness (wifi_pkt_rx_ctrl_t
 * is complete only through modules/espnow/idf-include, as on a real Moddable build). Catches
 * syntax and type errors and callback signatures of the wrong ESP-IDF era where no ESP-IDF is
 * installed (CI); `npm run check:esp32` (tests/esp32) checks against the real headers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const standIns = join(root, 'tests/native/include');
const xsIncludes = join(root, 'node_modules/@agoric/xsnap/moddable/xs/includes');
/** What modules/espnow/manifest.json puts on the ESP32 include path (its trailing-slash entries). */
const espnowManifest = JSON.parse(readFileSync(join(root, 'modules/espnow/manifest.json'), 'utf8')) as {
  platforms: { esp32: { modules: Record<string, string | string[]> } };
};
const manifestIncludes = [espnowManifest.platforms.esp32.modules['*'] ?? []]
  .flat()
  .filter((entry) => entry.endsWith('/'))
  .map((entry) => join(root, 'modules/espnow', entry));

const cFiles = ['modules/espnow', 'modules/sleep'].flatMap((dir) =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.c'))
    .map((f) => join(dir, f)),
);

/** gcc -fsyntax-only over one file; `-include stddef.h` stands in for XS's platform header. */
function syntaxCheck(file: string, includes = manifestIncludes): { status: number | null; output: string } {
  const r = spawnSync(
    'gcc',
    ['-fsyntax-only', '-Wall', '-Werror', '-std=gnu11', '-include', 'stddef.h', ...includes.map((d) => `-I${d}`), `-I${standIns}`, `-I${xsIncludes}`, file],
    { cwd: root, encoding: 'utf8' },
  );
  if (r.error) throw new Error(`cannot run gcc (needed by this test): ${r.error.message}`);
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('native C syntax (gcc -fsyntax-only against XS + stand-in ESP-IDF headers)', () => {
  test('the XS headers are where the test expects them', () => {
    expect(existsSync(join(xsIncludes, 'xsmc.h'))).toBe(true);
  });

  test('there is C to check', () => {
    expect(cFiles).toEqual(expect.arrayContaining(['modules/espnow/espnow-esp32.c', 'modules/sleep/sleep-esp32.c']));
  });

  test.each(cFiles)('%s compiles without warnings', (file) => {
    const { status, output } = syntaxCheck(file);
    expect(output).toBe('');
    expect(status).toBe(0);
  });

  describe('the check catches mistakes (negative controls)', () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'c-syntax-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    const broken = (name: string, code: string): { status: number | null; output: string } => {
      const file = join(dir, name);
      writeFileSync(file, code);
      return syntaxCheck(file);
    };

    test('a pre-v5.5 send callback (peer MAC instead of tx info) is rejected', () => {
      const r = broken(
        'old-send-cb.c',
        '#include "esp_now.h"\n' +
          'static void sent(const uint8_t *mac, esp_now_send_status_t s) { (void)mac; (void)s; }\n' +
          'void start(void) { esp_now_register_send_cb(sent); }\n',
      );
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/incompatible pointer type/);
    });

    test('a pre-v5.0 receive callback (MAC instead of recv info) is rejected', () => {
      const r = broken(
        'old-recv-cb.c',
        '#include "esp_now.h"\n' +
          'static void got(const uint8_t *mac, const uint8_t *data, int n) { (void)mac; (void)data; (void)n; }\n' +
          'void start(void) { esp_now_register_recv_cb(got); }\n',
      );
      expect(r.status).not.toBe(0);
    });

    test('the espnow manifest adds an include directory for ESP32 builds', () => {
      expect(manifestIncludes.map((d) => existsSync(d))).toEqual([true]);
    });

    test('reading the RSSI without that directory fails, as with the real ESP-IDF v6.0', () => {
      const r = syntaxCheck('modules/espnow/espnow-esp32.c', []);
      expect(r.status).not.toBe(0);
      expect(r.output).toMatch(/wifi_pkt_rx_ctrl_t|incomplete/);
    });

    test('a misused xsmc macro is rejected', () => {
      const r = broken('bad-xsmc.c', '#include "xsmc.h"\nvoid xs_f(xsMachine *the) { xsmcSetInteger(xsResult); }\n');
      expect(r.status).not.toBe(0);
    });

    test('an unused variable fails under -Werror', () => {
      const r = broken('unused.c', 'void f(void) { int unused; }\n');
      expect(r.status).not.toBe(0);
    });
  });
});
