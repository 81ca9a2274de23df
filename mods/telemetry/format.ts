/** How the telemetry app writes ids and durations on the console and the screen. */

/** The first 8 hex digits: enough to tell nodes apart by eye. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Seconds as the two largest units: 45s, 12m05s, 3h07m, 2d04h. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}
