/**
 * The simulator's JSON Schemas (simulator/schema/) compiled with ajv, for tests: every report a
 * test gets should pass `expectValidReport`, every scenario file `validateScenarioSchema`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

const DIR = fileURLToPath(new URL('../../../simulator/schema/', import.meta.url));

let ajv: Ajv2020 | undefined;
function compiled(id: string): ValidateFunction {
  if (!ajv) {
    // strict: a keyword ajv does not know (a typo in a schema) is an error, not ignored. Not
    // strictRequired: "required" inside anyOf/if branches names properties defined one level up.
    ajv = new Ajv2020({ strict: true, strictRequired: false, allErrors: true });
    for (const f of readdirSync(DIR).filter((f) => f.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(readFileSync(join(DIR, f), 'utf8')));
  }
  const v = ajv.getSchema(id);
  if (!v) throw new Error(`no schema ${id} in ${DIR}`);
  return v;
}

function describe(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => `${e.instancePath || '(top level)'} ${e.message ?? ''}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}

/** Errors of `report` against report.schema.json (empty: valid). A report goes through JSON first, as a file would. */
export function reportSchemaErrors(report: unknown): string[] {
  const v = compiled('report.schema.json');
  return v(JSON.parse(JSON.stringify(report))) ? [] : describe(v.errors);
}

/** Fails the test, naming every schema error, unless `report` matches report.schema.json. */
export function expectValidReport(report: unknown): void {
  expect(reportSchemaErrors(report)).toEqual([]);
}

/** Errors of a scenario JSON value against scenario.schema.json (empty: valid). */
export function scenarioSchemaErrors(json: unknown): string[] {
  const v = compiled('scenario.schema.json');
  return v(json) ? [] : describe(v.errors);
}
