/**
 * The scenario's `report` section: what the report holds beyond its fixed figures. Today the
 * time series' bucket. Shared by the scenario validator and the CLI's `--bucket-ms`, so both
 * accept the same values.
 */

/** Default bucket: 10 s keeps a 30-minute run at 180 rows. */
export const DEFAULT_BUCKET_MS = 10_000;
/** The tree is sampled every second: a bucket holds whole samples. */
export const BUCKET_STEP_MS = 1000;
/** Largest bucket: one day. */
export const MAX_BUCKET_MS = 24 * 3600 * 1000;

/** Why `v` is not a bucket length, or undefined when it is one. */
export function bucketMsProblem(v: unknown): string | undefined {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < BUCKET_STEP_MS || v > MAX_BUCKET_MS || v % BUCKET_STEP_MS !== 0) {
    return `must be a whole number of seconds in ms, ${BUCKET_STEP_MS}..${MAX_BUCKET_MS}`;
  }
  return undefined;
}
