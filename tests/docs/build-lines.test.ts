/**
 * The build lines of docs/firmware.md and docs/mods.md are the ones `npm run test:moddable` runs
 * (it needs the SDK; this suite does not): every host and mod has one, the npm build scripts are
 * the same builds, and the check changes a line only where it must (output directory, no ESP-IDF).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe as about, forCheck, markedCommands } from '../../scripts/lib/doc-commands.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const firmware = markedCommands(read('docs/firmware.md'));
const mods = markedCommands(read('docs/mods.md'));
const withManifest = (dir: string) =>
  readdirSync(join(ROOT, dir), { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(ROOT, dir, e.name, 'manifest.json')))
    .map((e) => `${dir}/${e.name}/manifest.json`);

describe('the documented build lines', () => {
  it('build every host (docs/firmware.md) and every mod (docs/mods.md), desktop and ESP32', () => {
    const hosts = firmware.map((l) => about(l)?.manifest);
    expect(new Set(hosts)).toEqual(new Set(withManifest('hosts')));
    for (const manifest of withManifest('mods')) {
      const platforms = mods.map((l) => about(l)).filter((d) => d?.manifest === manifest).map((d) => d?.platform);
      expect(platforms).toEqual(expect.arrayContaining(['lin', 'esp32']));
    }
  });

  it('are all mcconfig/mcrun lines naming a manifest that exists', () => {
    for (const line of [...firmware, ...mods]) {
      const d = about(line);
      expect(d?.manifest).toBeDefined();
      expect(existsSync(join(ROOT, d?.manifest ?? ''))).toBe(true);
    }
  });

  it('are what the npm build scripts run (same tool, platform and manifest)', () => {
    const scripts: Record<string, string> = JSON.parse(read('package.json')).scripts;
    const builds = Object.entries(scripts).filter(([name]) => /^(build|mod):/.test(name));
    expect(builds.length).toBeGreaterThanOrEqual(6);
    const key = (l: string) => JSON.stringify({ ...about(l) });
    const documented = new Set([...firmware, ...mods].map(key));
    for (const [name, line] of builds) expect({ name, documented: documented.has(key(line)) }).toEqual({ name, documented: true });
  });
});

describe('forCheck (how test:moddable runs a documented line)', () => {
  it('puts the output in its own directory, also where the line makes it', () => {
    expect(forCheck('mkdir -p /tmp/build && mcconfig -m -p lin -o /tmp/build hosts/sim/manifest.json hubPort=47800', { out: '/w/1', set: { hubPort: 5 } })).toBe(
      'mkdir -p /w/1 && mcconfig -m -p lin -o /w/1 hosts/sim/manifest.json hubPort=5',
    );
  });

  it('configures an ESP32 host without flashing, never in the SDK folder', () => {
    expect(forCheck('mcconfig -m -p esp32:$PWD/hosts/m5stickc-plus2/target hosts/m5stickc-plus2/manifest.json', { out: '/w/2' })).toBe(
      'mcconfig -o /w/2 -p esp32:$PWD/hosts/m5stickc-plus2/target hosts/m5stickc-plus2/manifest.json',
    );
  });

  it('builds an ESP32 mod without installing it, keeping its options', () => {
    expect(forCheck('mcrun -d -m -p esp32 mods/chat/manifest.json name=alice', { out: '/w/3', set: { announce_s: 20 } })).toBe(
      'mcrun -t build -o /w/3 -d -m -p esp32 mods/chat/manifest.json name=alice announce_s=20',
    );
  });

  it('refuses a line that is not a build', () => {
    expect(() => forCheck('mcsim hosts/sim/device x.so', { out: '/w' })).toThrow(/not a build line/);
  });
});

describe('markedCommands', () => {
  it('takes only the block after the marker, without comments', () => {
    const md = ['```sh', 'mcconfig -p lin a/manifest.json', '```', '<!-- test:moddable -->', '', '```sh', '# note', 'mcrun -p lin b/manifest.json', '```'].join('\n');
    expect(markedCommands(md)).toEqual(['mcrun -p lin b/manifest.json']);
  });

  it('fails when the marker has no block after it', () => {
    expect(() => markedCommands('<!-- test:moddable -->\ntext')).toThrow(/not followed by a fenced block/);
  });
});
