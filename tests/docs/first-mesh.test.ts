/**
 * docs/first-mesh.md, run as written: its `$ npx mycelium-node …` lines start the nodes (on free
 * ports instead of 47901/47902, with a private config directory) and its `μpycelium> ` lines are
 * typed into the terminal the page says, through pipes. What the page promises is checked: the
 * nodes form a tree, the ping gets answers, the chat line arrives.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeProcess, ROOT, freePorts, sleep } from '../linux/node-process.js';

interface Step {
  readonly terminal: string;
  readonly kind: 'shell' | 'console';
  readonly text: string;
}

/** The page's commands in order, each with the terminal its block is marked for. */
function steps(markdown: string): Step[] {
  const out: Step[] = [];
  const blocks = /<!-- terminal: (\w+) -->\n```console\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(blocks)) {
    for (const line of m[2].split('\n')) {
      if (line.startsWith('$ ')) out.push({ terminal: m[1], kind: 'shell', text: line.slice(2) });
      else if (line.startsWith('\u03bcpycelium> ')) out.push({ terminal: m[1], kind: 'console', text: line.slice('\u03bcpycelium> '.length) });
    }
  }
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'first-mesh-'));
const nodes = new Map<string, NodeProcess>();
afterAll(() => {
  for (const n of nodes.values()) n.kill();
  rmSync(dir, { recursive: true, force: true });
});

test('the first-mesh walkthrough works as written', async () => {
  const page = steps(readFileSync(join(ROOT, 'docs', 'first-mesh.md'), 'utf8'));
  expect(page.filter((s) => s.kind === 'shell')).toHaveLength(2);
  const [p1, p2] = await freePorts(2);
  const ports = (text: string) => text.replace(/\b47901\b/g, String(p1)).replace(/\b47902\b/g, String(p2));
  const ids = new Map<string, string>();

  for (const step of page) {
    if (step.kind === 'shell') {
      expect(step.text).toMatch(/^npx mycelium-node /);
      const args = ports(step.text).split(/\s+/).slice(2);
      const n = new NodeProcess(args, { XDG_CONFIG_HOME: dir });
      nodes.set(step.terminal, n);
      ids.set(step.terminal, await n.shortId());
      continue;
    }
    const n = nodes.get(step.terminal) as NodeProcess;
    const other = [...ids].find(([t]) => t !== step.terminal)?.[1] as string;
    const mark = n.lines.length;
    if (step.text.startsWith('ping ')) {
      await oneTree([...nodes.values()]);
      // "If it says no responses … ping again": the page's advice, followed.
      let report: string[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const from = n.lines.length;
        n.send(step.text.replace(/\b[0-9a-f]{8}\b/, other));
        report = await n.waitFor('a ping report', (lines) => {
          const tail = lines.slice(from);
          const at = tail.indexOf('Ping report:');
          return at >= 0 && tail.some((l, k) => k > at && l.startsWith('\tsuccess_rate')) ? tail.slice(at) : undefined;
        });
        if (!report.includes('\tsuccess_rate: 0%')) break;
      }
      expect(report.find((l) => l.startsWith(`\tremote: ${other}`))).toBeDefined();
      expect(report.find((l) => l.startsWith('\tsuccess_rate'))).not.toBe('\tsuccess_rate: 0%');
    } else if (step.text.startsWith('say ')) {
      const alice = nodes.get('alice') as NodeProcess;
      n.send(step.text);
      await alice.waitFor('the chat line at alice', (lines) => (lines.includes(`chat: bob says: ${step.text.slice(4)}`) ? true : undefined));
    } else {
      n.send(step.text);
      const expected = step.text === 'status' ? 'Node ID: ' : step.text === 'nodes' ? 'Nodes: 2 (* this node)' : '';
      await n.waitFor(`the answer to ${step.text}`, (lines) => (lines.slice(mark).some((l) => l.startsWith(expected)) ? true : undefined));
    }
  }
  // 5. Stop: quit in each terminal.
  expect(await Promise.all([...nodes.values()].map((n) => n.quit()))).toEqual([0, 0]);
}, 120_000);

/** Until every node's `status` shows the same root and an address ("within about 20 seconds"). */
async function oneTree(all: NodeProcess[]): Promise<void> {
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    const marks = all.map((n) => n.lines.length);
    for (const n of all) n.send('status');
    await sleep(1000);
    const views = all.map((n, i) => {
      const tail = n.lines.slice(marks[i]);
      return { root: tail.find((l) => l.startsWith('Root: '))?.slice(6, 70), addressed: tail.some((l) => /^Addresses: \d/.test(l)) };
    });
    if (views.every((v) => v.addressed && v.root && v.root === views[0].root)) return;
  }
  throw new Error('the two nodes did not form one tree in 60 s');
}
