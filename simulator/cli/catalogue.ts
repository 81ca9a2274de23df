/**
 * The CLI's answers that run nothing: `--version`, `list` (the shipped scenarios, one line each)
 * and `check` (validate scenario files, as a run would before starting).
 */
import { readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadScenarioFile } from '../scenario/load.js';
import { TOOL_VERSION, FORMAT_VERSION } from '../runner/version.js';

export function versionLine(): string {
  return `mycelium-sim ${TOOL_VERSION} (report format ${FORMAT_VERSION})`;
}

/** One line per shipped scenario: name, nodes × duration, the first sentence of its description. */
export function listScenarios(shippedDir: string): string[] {
  const files = readdirSync(shippedDir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  const width = Math.max(...files.map((f) => basename(f, '.json').length));
  return files.map((f) => {
    const name = basename(f, '.json').padEnd(width);
    const loaded = loadScenarioFile(join(shippedDir, f));
    if (!loaded.ok) return `${name}  (invalid: ${loaded.errors[0]})`;
    const s = loaded.scenario;
    const size = `${s.nodes} ${s.interface} nodes, ${Math.round(s.duration_ms / 60000)} min`;
    return `${name}  ${size.padEnd(24)}  ${firstSentence(s.description)}`;
  });
}

/** `ok <label>` or the validation errors of each file; `ok` is false when any file is invalid. */
export function checkScenarios(files: readonly { readonly path: string; readonly label: string }[]): { ok: boolean; lines: string[] } {
  const lines: string[] = [];
  let ok = true;
  for (const { path, label } of files) {
    const loaded = loadScenarioFile(path);
    if (loaded.ok) lines.push(`ok ${label}: ${loaded.scenario.nodes} nodes, ${loaded.scenario.duration_ms / 1000} s`);
    else {
      ok = false;
      lines.push(...loaded.errors);
    }
  }
  return { ok, lines };
}

function firstSentence(text: string): string {
  const end = text.search(/[.:](\s|$)/);
  const s = end < 0 ? text : text.slice(0, end);
  return s.length > 90 ? s.slice(0, 89) + '…' : s;
}
