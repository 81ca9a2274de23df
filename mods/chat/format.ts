/** How the chat app writes ids and ages on a 40-column console and a 17-column screen. */

/** The first 8 hex digits: enough to tell nodes apart by eye, and a valid `dm` prefix. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Milliseconds as the largest whole unit: 42s, 5m, 3h, 2d. */
export function age(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}d`;
}
