/**
 * The telemetry app's options (its manifest `config`, or the scenario's entry), checked once
 * at start: a bad value throws a TypeError naming the option, which the host reports.
 * Options it does not know (such as the host's `app`) are left alone.
 */

export interface TelemetryOptions {
  readonly intervalMs: number;
  /** Start collecting (it can be switched with `telemetry collect on|off`). */
  readonly collector: boolean;
  readonly topic: string;
  /** Nodes the collector keeps. */
  readonly maxNodes: number;
}

export const MIN_INTERVAL_S = 5;
const MAX_INTERVAL_S = 86_400;
export const MAX_NODES = 256;
const MAX_TOPIC_CHARS = 64;

export function telemetryOptions(options: Readonly<Record<string, unknown>>): TelemetryOptions {
  const { interval_s = 60, collector = false, topic = 'telemetry', max_nodes = 64 } = withoutNulls(options);
  if (typeof interval_s !== 'number' || !(interval_s >= MIN_INTERVAL_S && interval_s <= MAX_INTERVAL_S)) {
    throw new TypeError(`telemetry: option "interval_s" must be ${MIN_INTERVAL_S}-${MAX_INTERVAL_S} seconds, not ${String(interval_s)}`);
  }
  if (typeof collector !== 'boolean') throw new TypeError(`telemetry: option "collector" must be true or false, not ${String(collector)}`);
  if (typeof topic !== 'string' || topic.length === 0 || topic.length > MAX_TOPIC_CHARS) {
    throw new TypeError(`telemetry: option "topic" must be a string of 1-${MAX_TOPIC_CHARS} characters`);
  }
  if (typeof max_nodes !== 'number' || !Number.isInteger(max_nodes) || max_nodes < 1 || max_nodes > MAX_NODES) {
    throw new TypeError(`telemetry: option "max_nodes" must be an integer 1-${MAX_NODES}, not ${String(max_nodes)}`);
  }
  return { intervalMs: interval_s * 1000, collector, topic, maxNodes: max_nodes };
}

/** `null` in a JSON config means "the default", like a missing key. */
function withoutNulls(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(options)) if (options[key] !== null) out[key] = options[key];
  return out;
}
