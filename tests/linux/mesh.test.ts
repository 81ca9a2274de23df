/**
 * Three `mycelium-node` processes on loopback, each listing the other two as peers, form one
 * tree and ping each other by short id; a node keeps its id across restarts; a port in use and a
 * broken file give one line and a non-zero exit. Timeouts are generous (a loaded 2-core machine):
 * what is asserted is the behaviour, not its speed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeProcess, freePorts, sleep } from './node-process.js';

const dir = mkdtempSync(join(tmpdir(), 'mycelium-node-'));
const running: NodeProcess[] = [];
afterAll(() => {
  for (const p of running) p.kill();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: readonly string[]): NodeProcess {
  const p = new NodeProcess(args, { XDG_CONFIG_HOME: dir });
  running.push(p);
  return p;
}

/** The Root and Addresses lines of the last `status` answer. */
function lastStatus(lines: readonly string[]): { root: string; address: string } | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i].startsWith('Root: ')) continue;
    const address = lines[i - 1]?.replace(/^Addresses: /, '');
    return { root: lines[i].slice(6, 70), address };
  }
  return undefined;
}

test('three nodes on loopback form one tree and ping each other by short id', async () => {
  const ports = await freePorts(3);
  const names = ['ann', 'ben', 'cat'];
  const nodes = names.map((name, i) => {
    const file = join(dir, `${name}.json`);
    // Faster tree rounds than the defaults (10 s start delay), so the test waits less.
    writeFileSync(file, JSON.stringify({ apps: { spanning_tree: { max_start_delay: 1000, tree_maintenance_delay: 3000 } } }));
    const peers = ports.filter((_, j) => j !== i).map((p) => `127.0.0.1:${p}`);
    return start(['--config', file, '--name', name, '--port', String(ports[i]), '--bind', '127.0.0.1', '--peer', peers.join(',')]);
  });
  const ids = await Promise.all(nodes.map((n) => n.shortId()));
  expect(new Set(ids).size).toBe(3);

  // One tree: every node reports the same root and has an address in it.
  const end = Date.now() + 60_000;
  let views: ({ root: string; address: string } | undefined)[] = [];
  while (Date.now() < end) {
    for (const n of nodes) n.send('status');
    await sleep(1000);
    views = nodes.map((n) => lastStatus(n.lines));
    if (views.every((v) => v && v.root === views[0]?.root && v.address !== 'none' && !v.root.startsWith('0000'))) break;
  }
  expect(views.map((v) => v?.root)).toEqual([views[0]?.root, views[0]?.root, views[0]?.root]);
  expect(ids.some((id) => views[0]?.root.startsWith(id))).toBe(true);

  // Each pings the next by its 8-digit short id.
  for (let i = 0; i < 3; i++) {
    const from = nodes[i];
    const to = ids[(i + 1) % 3];
    const mark = from.lines.length;
    from.send(`ping ${to} 2 2`);
    const report = await from.waitFor(`ping report of ${names[i]} → ${to}`, (lines) => {
      const tail = lines.slice(mark);
      const at = tail.indexOf('Ping report:');
      return at >= 0 && tail.some((l, k) => k > at && l.startsWith('\tsuccess_rate')) ? tail.slice(at) : undefined;
    });
    expect(report.find((l) => l.startsWith('\tremote'))).toContain(to);
    expect(report.find((l) => l.startsWith('\tsuccess_rate'))).not.toBe('\tsuccess_rate: 0%');
  }

  expect(await Promise.all(nodes.map((n) => n.quit()))).toEqual([0, 0, 0]);

  // The identity is kept in the file: the same node id after a restart (flags saved too).
  const again = start(['--config', join(dir, 'ann.json')]);
  expect(await again.shortId()).toBe(ids[0]);
  expect(again.lines.join('\n')).toContain(`udp 127.0.0.1:${ports[0]}, 2 peers`);

  // Its port is now taken: a second node on it fails with one line.
  const clash = start(['--name', 'dup', '--port', String(ports[0]), '--bind', '127.0.0.1']);
  expect(await clash.exited).not.toBe(0);
  expect(clash.stderr.trim().split('\n')).toEqual([`mycelium-node: UDP port ${ports[0]} is in use (another node on this machine? choose another port)`]);
  expect(await again.quit()).toBe(0);
});

test('a broken node file or a bad flag: one line, non-zero exit', async () => {
  const file = join(dir, 'broken.json');
  writeFileSync(file, '{ "port": 47');
  const broken = start(['--config', file]);
  expect(await broken.exited).toBe(2);
  expect(broken.stderr).toMatch(new RegExp(`^mycelium-node: ${file}: not valid JSON \\(.*\\)\\n$`));

  const badPeer = start(['--config', join(dir, 'x.json'), '--peer', 'localhost:99999']);
  expect(await badPeer.exited).toBe(2);
  expect(badPeer.stderr).toMatch(/^mycelium-node: \S+x.json: "peers": port 99999 in "localhost:99999" must be 1..65535\n$/);

  const unknown = start(['--colour']);
  expect(await unknown.exited).toBe(2);
  expect(unknown.stderr.split('\n').filter(Boolean)).toHaveLength(1);
});
