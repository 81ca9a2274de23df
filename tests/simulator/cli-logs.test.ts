/** `mycelium-sim run --logs / --log-filter`: the apps' mesh.log lines, which a run otherwise drops. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sim(...args: string[]) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'mycelium-sim.mjs'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('chat-line: --log-filter shows the chat app\'s lines that match, with time and node; without it, none', () => {
  const filtered = sim('run', 'chat-line', '--quiet', '--log-filter', 'DM FROM');
  expect(filtered.code).toBe(0);
  expect(filtered.out).toBe('');
  const lines = filtered.err.trim().split('\n');
  // Node 0 DMs node 6 across the line: node 6 logs the DM, nothing else matches.
  expect(lines).toEqual([expect.stringMatching(/^\d+\.\d{3} n6 \[info\] chat: dm from [0-9a-f]{8} \(6 hops\): /)]);

  const all = sim('run', 'chat-line', '--quiet', '--logs');
  expect(all.err).toContain('chat: dm from');
  expect(all.err).toMatch(/ n0 \[info\] chat: dm #\d+ delivered to /);

  expect(sim('run', 'chat-line', '--quiet').err).toBe('');
});
