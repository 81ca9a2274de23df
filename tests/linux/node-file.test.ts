/**
 * mycelium-node's file as mesh Storage: settings stay readable text, and bytes (the node's
 * Ed25519 seed in signed mode, admin counters) survive a restart exactly — text would not.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFile } from '../../hosts/linux/node-file.js';

test('a seed of arbitrary bytes comes back byte for byte after a restart; settings stay text', () => {
  const dir = mkdtempSync(join(tmpdir(), 'node-file-'));
  try {
    const path = join(dir, 'n.json');
    const seed = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 200) & 255); // not valid UTF-8
    const s = new NodeFile(path).storage();
    s.set('ed25519_seed', seed);
    s.set('security', new TextEncoder().encode('signed'));
    const again = new NodeFile(path).storage();
    expect(Array.from(again.get('ed25519_seed')!)).toEqual(Array.from(seed));
    expect(new TextDecoder().decode(again.get('security'))).toBe('signed');
    const json = JSON.parse(readFileSync(path, 'utf8')) as { settings: Record<string, string>; state: Record<string, string> };
    expect(json.settings.security).toBe('signed');
    expect(json.state.ed25519_seed).toMatch(/^[0-9a-f]{64}$/);
    again.delete?.('ed25519_seed');
    expect(new NodeFile(path).storage().get('ed25519_seed')).toBeUndefined();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
