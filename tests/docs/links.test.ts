/**
 * The docs stay honest: every relative link and image in the project's markdown (README.md,
 * docs/ and the reference pages next to the code) points at a file that exists, and every
 * `#anchor` at a heading of the page it names. Code blocks and inline code are not links.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SKIP_DIRS = new Set(['node_modules', '.git', 'build', 'coverage']);

function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name) && !entry.name.startsWith('.')) found.push(...markdownFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.md')) {
      found.push(join(dir, entry.name));
    }
  }
  return found;
}

/** The markdown without fenced code blocks and inline code spans, line numbers kept. */
function prose(text: string): string[] {
  let fenced = false;
  return text.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return '';
    }
    return fenced ? '' : line.replace(/(`+)[^`]*?\1/g, '');
  });
}

interface Link {
  readonly line: number;
  readonly target: string;
}

function linksOf(text: string): Link[] {
  const links: Link[] = [];
  prose(text).forEach((line, i) => {
    for (const m of line.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: i + 1, target: m[1] });
    const ref = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (ref) links.push({ line: i + 1, target: ref[1] });
  });
  return links;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  let fenced = false;
  for (const line of text.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const plain = h[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*]/g, '');
    const base = plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function brokenLinks(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const broken: string[] = [];
  for (const { line, target } of linksOf(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:, …: not ours to check
    const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
    const path = decodeURIComponent(pathPart.split('?')[0]);
    const resolved = path === '' ? file : resolve(dirname(file), path);
    const where = `${relative(ROOT, file)}:${line}: ${target}`;
    if (!existsSync(resolved)) {
      broken.push(`${where} (no such file: ${relative(ROOT, resolved)})`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile() && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
      broken.push(`${where} (no heading #${anchor})`);
    }
  }
  return broken;
}

const files = markdownFiles(ROOT).map((f) => relative(ROOT, f)).sort();

test('the README and docs/ are among the pages checked', () => {
  expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/README.md']));
});

test.each(files)('every relative link in %s resolves', (file) => {
  expect(brokenLinks(join(ROOT, file))).toEqual([]);
});

test('the checker itself: finds links, skips code, and knows a missing file and a missing anchor', () => {
  const text = '# A title\n[ok](#a-title) `[code](nowhere.md)`\n```\n[fenced](nowhere.md)\n```\n![img](x.png) [bad](#nope)\n';
  expect(linksOf(text).map((l) => l.target)).toEqual(['#a-title', 'x.png', '#nope']);
  expect([...anchorsOf('# The `XS` engine — in CI\n## Memory of a mod\n## Memory of a mod\n')]).toEqual([
    'the-xs-engine--in-ci',
    'memory-of-a-mod',
    'memory-of-a-mod-1',
  ]);
});
