/**
 * The build lines the docs show, for `npm run test:moddable` to run as written, so that the docs
 * and the check cannot drift apart. A fenced block right after the comment `<!-- test:moddable -->`
 * in a Markdown file holds them, one command per line (`#` comments allowed).
 *
 * Running them in a check needs three changes, and only these (`forCheck`): the output goes to
 * the check's own directory (`-o DIR`, added where a line has none, so that nothing is written
 * into the SDK's build folder); an ESP32 mcconfig line loses `-m`/`-d` (no ESP-IDF here: mcconfig
 * then writes the makefile and mc.config.js, which checks manifests, targets and module maps) and
 * an ESP32 mcrun line gets `-t build` (it builds the mod's archive; installing needs a board); and
 * `key=value` build settings the check needs (a free hub port, mod options) replace or join the
 * line's own.
 */

const MARK = '<!-- test:moddable -->';

/** The commands of every marked block in `markdown`, in order. */
export function markedCommands(markdown) {
  const lines = markdown.split('\n');
  const out = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== MARK) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (!/^```/.test(lines[j] ?? '')) throw new Error(`${MARK} on line ${i + 1} is not followed by a fenced block`);
    for (j++; j < lines.length && !/^```/.test(lines[j]); j++) {
      const line = lines[j].trim();
      if (line && !line.startsWith('#')) out.push(line);
    }
  }
  return out;
}

/** What a build line is about: the tool, the platform, the manifest (undefined if absent). */
export function describe(line) {
  const words = line.split(/\s+/);
  const at = words.findIndex((w) => w === 'mcconfig' || w === 'mcrun');
  if (at < 0) return undefined;
  const args = words.slice(at + 1);
  const platform = args[args.indexOf('-p') + 1];
  const manifest = args.find((w) => w.endsWith('manifest.json'));
  return { tool: words[at], platform: args.includes('-p') ? platform : undefined, manifest };
}

/**
 * `line` as the check runs it: output in `out`, ESP32 lines configure or build only, `set` applied.
 * Only the mcconfig/mcrun part of the line changes, and `mkdir -p DIR` follows `-o DIR`.
 */
export function forCheck(line, { out, set = {} }) {
  const d = describe(line);
  if (!d) throw new Error(`not a build line: ${line}`);
  const words = line.split(/\s+/);
  const at = words.indexOf(d.tool);
  const head = words.slice(0, at);
  let args = words.slice(at + 1);
  const o = args.indexOf('-o');
  if (o >= 0) {
    const dir = args[o + 1];
    args[o + 1] = out;
    for (let i = 0; i < head.length; i++) if (head[i] === dir) head[i] = out;
  } else {
    args = ['-o', out, ...args];
  }
  if (d.platform?.startsWith('esp32')) {
    // mcconfig: without -m it writes the makefile and stops; mcrun: -t build stops before installing.
    if (d.tool === 'mcconfig') args = args.filter((a) => !/^-(m|d|dn|dx|dl)$/.test(a));
    else if (!args.includes('-t')) args = ['-t', 'build', ...args];
  }
  for (const [key, value] of Object.entries(set)) {
    const i = args.findIndex((a) => a.startsWith(`${key}=`));
    if (i >= 0) args[i] = `${key}=${value}`;
    else args.push(`${key}=${value}`);
  }
  return [...head, d.tool, ...args].join(' ');
}
