/** `--snapshot out.svg`: the graph and the tree as SVG, made in Node without a browser. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { snapshotSvg } from '../../simulator/dashboard/svg.js';
import { TraceIndex, rootsOf } from '../../simulator/dashboard/trace/state.js';
import { ROOT, recorded, scenario, shipped } from './helpers.js';

const run = promisify(execFile);

function count(svg: string, re: RegExp): number {
  return svg.match(re)?.length ?? 0;
}

/** The <g class="name"> group's inner text. */
function group(svg: string, name: string): string {
  const m = new RegExp(`<g class="${name}"[^>]*>([\\s\\S]*?)</g>`).exec(svg);
  return m ? m[1] : '';
}

test('line-3 at the end: 3 nodes, 2 radio links, 2 tree links, the root marked, addresses as titles', async () => {
  const { trace, report } = await recorded(shipped('line-3'));
  const svg = snapshotSvg(trace);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  expect(svg).toContain('data-nodes="3"');
  expect(svg).toContain('data-tree-edges="2"');
  expect(svg).toContain('data-radio-edges="2"');
  expect(count(group(svg, 'radio'), /<line /g)).toBe(2);
  expect(count(group(svg, 'tree'), /<line /g)).toBe(2);
  expect(count(group(svg, 'nodes'), /<circle /g)).toBe(3);
  const root = rootsOf(new TraceIndex(trace).statesAt(trace.now))[0];
  const roots = [...svg.matchAll(/<circle class="node root" data-index="(\d+)"/g)].map((m) => Number(m[1]));
  expect(roots).toEqual([root]);
  expect(svg).toContain(`data-roots="${root}"`);
  for (const n of report.per_node) expect(svg).toContain(`<title>n${n.index} · ${n.address}`);
  // Tree links join neighbours on the line.
  for (const m of svg.matchAll(/data-child="(\d+)" data-parent="(\d+)"/g)) expect(Math.abs(Number(m[1]) - Number(m[2]))).toBe(1);
});

test('before the tree forms there are no tree links and no root; down nodes are drawn red', async () => {
  const { trace } = await recorded(
    scenario({
      name: 'down <&> node',
      // 25 s after the loss: a neighbour is declared gone after 4 of its 3 s hellos, then repaired.
      duration_ms: 45_000,
      topology: { grid: { rows: 2, cols: 2, spacing: 80 } },
      churn: [{ at_ms: 20_000, action: 'node_down', node: 3 }],
    }),
  );
  const early = snapshotSvg(trace, { atMs: 0 });
  expect(early).toContain('data-tree-edges="0"');
  expect(early).not.toContain('class="node root"');
  expect(early).toContain('no root');
  const end = snapshotSvg(trace);
  expect(end).toMatch(/<circle class="node" data-index="3"[^>]*fill="#e03131"/);
  // Every live node is a root or has a parent (the tree may still be re-forming after the loss).
  const treeLinks = Number(/data-tree-edges="(\d+)"/.exec(end)![1]);
  expect(treeLinks + count(end, /class="node root"/g)).toBe(3);
  // The scenario's name is escaped.
  expect(end).toContain('down &lt;&amp;&gt; node');
  expect(end).not.toContain('down <&> node');
});

test('the CLI writes --snapshot and --trace, and `view trace --snapshot` draws the same picture', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mycelium-dash-'));
  try {
    const bin = join(ROOT, 'bin', 'mycelium-sim.mjs');
    const svgPath = join(dir, 'end.svg');
    const tracePath = join(dir, 'trace.json');
    await run(process.execPath, [bin, 'run', 'line-3', '--quiet', '--snapshot', svgPath, '--trace', tracePath], { cwd: ROOT });
    const svg = readFileSync(svgPath, 'utf8');
    expect(svg).toContain('data-nodes="3"');
    expect(svg).toContain('data-tree-edges="2"');
    const again = join(dir, 'again.svg');
    await run(process.execPath, [bin, 'view', tracePath, '--snapshot', again], { cwd: ROOT });
    expect(readFileSync(again, 'utf8')).toBe(svg);
    await expect(run(process.execPath, [bin, 'view', svgPath], { cwd: ROOT })).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/not a dashboard trace/) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
