/** Read a scenario file: one-line errors for unreadable files and bad JSON, then validation. */
import { readFileSync } from 'node:fs';
import type { Scenario } from './types.js';
import { validateScenario } from './validate.js';

export type LoadResult = { ok: true; scenario: Scenario } | { ok: false; errors: string[] };

export function loadScenarioFile(path: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { ok: false, errors: [`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? String(e)})`] };
  }
  return parseScenario(text, path);
}

export function parseScenario(text: string, source = 'scenario'): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${source}: not valid JSON (${(e as Error).message})`] };
  }
  const result = validateScenario(json);
  return result.ok ? result : { ok: false, errors: result.errors.map((err) => `${source}: ${err}`) };
}
