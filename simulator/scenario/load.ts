/** Read a scenario file: one-line errors for unreadable files and bad JSON, then validation. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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
  return parseScenario(text, path, dirname(path));
}

/** `baseDir`: where module apps' relative paths start (the scenario file's folder; default the working directory). */
export function parseScenario(text: string, source = 'scenario', baseDir = '.'): LoadResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, errors: [`${source}: not valid JSON (${(e as Error).message})`] };
  }
  const result = validateScenario(json);
  if (!result.ok) return { ok: false, errors: result.errors.map((err) => `${source}: ${err}`) };
  return resolveModules(result.scenario, source, baseDir);
}

/** Module apps' paths made absolute, and checked to exist (a typo is a load error, not a failed run). */
function resolveModules(scenario: Scenario, source: string, baseDir: string): LoadResult {
  const errors: string[] = [];
  const apps = scenario.apps.map((a, i) => {
    if (a.module === undefined) return a;
    const module = resolve(baseDir, a.module);
    if (!existsSync(module)) errors.push(`${source}: apps[${i}].module: no such file ${module}`);
    return { ...a, module };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, scenario: { ...scenario, apps } };
}
