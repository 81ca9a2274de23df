/**
 * The versions a report carries. `FORMAT_VERSION` counts changes of the report's JSON shape (1 was
 * the shape before reports said so; simulator/schema/report.schema.json describes the current one):
 * a consumer checks it before reading fields. `TOOL_VERSION` is the project's package.json version,
 * written here rather than read at run time so the report is built the same way in every runner
 * and bundle (tests/simulator/report-schema.test.ts fails when the two drift apart).
 */
export const FORMAT_VERSION = 2;
export const TOOL_VERSION = '0.1.0';
