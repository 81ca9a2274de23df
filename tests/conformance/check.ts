/**
 * The conformance runner's engine: checks every case of every category of a vectors file (the
 * format of tests/vectors/upstream-vectors.json) against our implementation. Pure ECMAScript,
 * so the same bundle runs on Node and inside XS.
 */
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import { WIRE_CHECKS } from './wire-checks.js';
import { address } from './address-checks.js';
import { MESSAGE_CHECKS } from './message-checks.js';
import { packager } from './packager-checks.js';
import { invalidInputs } from './invalid-checks.js';
import type { Case, Check, Context } from './util.js';

const CHECKS: Record<string, Check> = { ...WIRE_CHECKS, address, ...MESSAGE_CHECKS, packager, invalid_inputs: invalidInputs };

export interface Failure {
  readonly category: string;
  readonly index: number;
  readonly message: string;
}

export interface Report {
  passed: number;
  failed: number;
  /** Cases passed because we refuse input upstream silently accepts, or fix an upstream bug. */
  deliberate: number;
  categories: Record<string, { passed: number; failed: number }>;
  failures: Failure[];
}

/** JSON.parse, keeping integers of 16+ digits exact (as strings) instead of rounding them. */
export function parseVectors(text: string): { categories: Record<string, { cases: Case[] }> } {
  return JSON.parse(text.replace(/([:[,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
}

export function checkVectors(text: string, hashes: Hashes): Report {
  const report: Report = { passed: 0, failed: 0, deliberate: 0, categories: {}, failures: [] };
  let doc: ReturnType<typeof parseVectors>;
  try {
    doc = parseVectors(text);
  } catch (e) {
    report.failed = 1;
    report.failures.push({ category: '(file)', index: -1, message: `not JSON: ${(e as Error).message}` });
    return report;
  }
  if (!doc || typeof doc.categories !== 'object') {
    report.failed = 1;
    report.failures.push({ category: '(file)', index: -1, message: 'no "categories" object' });
    return report;
  }
  const ctx: Context = { hashes, deliberate: 0 };
  for (const [name, category] of Object.entries(doc.categories)) {
    const tally = (report.categories[name] = { passed: 0, failed: 0 });
    const check = CHECKS[name];
    const cases = Array.isArray(category?.cases) ? category.cases : [];
    cases.forEach((c, index) => {
      let message: string | undefined;
      if (!check) message = `unknown category "${name}"`;
      else {
        try {
          message = check(c, ctx);
        } catch (e) {
          message = (e as Error).message || String(e);
        }
      }
      if (message === undefined) tally.passed++;
      else {
        tally.failed++;
        report.failures.push({ category: name, index, message });
      }
    });
    report.passed += tally.passed;
    report.failed += tally.failed;
  }
  report.deliberate = ctx.deliberate;
  return report;
}
