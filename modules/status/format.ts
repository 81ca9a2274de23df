/**
 * Small text formatters for narrow displays: the 135 px status screen (about 20 characters of
 * its font per line) and the console's `status` block share them.
 */

/** The first `chars` hex digits of an id: enough to tell nodes apart on a small mesh. */
export function shortHex(hex: string, chars = 8): string {
  return hex.length <= chars ? hex : hex.slice(0, chars);
}

/**
 * `text` cut to at most `max` characters, ending in `ellipsis` when cut. The default is the
 * one-character U+2026; pass '...' (or '') when the screen's font lacks that glyph.
 */
export function truncate(text: string, max: number, ellipsis = '\u2026'): string {
  if (max <= 0) return '';
  if (text.length <= max) return text;
  if (ellipsis.length >= max) return text.slice(0, max);
  return text.slice(0, max - ellipsis.length) + ellipsis;
}

/** A counter in at most 5 characters: 9999, 12k, 345k, 12M. Tiny screens cannot show 7 digits. */
export function compactCount(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const v = Math.floor(n);
  if (v < 10_000) return String(v);
  if (v < 1_000_000) return Math.floor(v / 1000) + 'k';
  if (v < 1_000_000_000) return Math.floor(v / 1_000_000) + 'M';
  return Math.floor(v / 1_000_000_000) + 'G';
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** An uptime in two units at most: "42s", "12m 05s", "1h 02m", "3d 04h". */
export function formatUptime(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  const m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + pad2(s % 60) + 's';
  const h = Math.floor(m / 60);
  if (h < 24) return h + 'h ' + pad2(m % 60) + 'm';
  return Math.floor(h / 24) + 'd ' + pad2(h % 24) + 'h';
}

/** How long ago, in its largest whole unit: "3s", "12m", "2h", "4d" (a peer's last frame). */
export function formatAge(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  if (s < 86_400) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86_400) + 'd';
}

/**
 * The shortest prefix of `id` (at least `min` digits) that no other id in `all` shares: peers
 * whose ids begin alike still read differently.
 */
export function distinctPrefix(id: string, all: readonly string[], min = 8): string {
  let n = Math.min(min, id.length);
  for (const other of all) {
    if (other === id) continue;
    let common = 0;
    while (common < id.length && common < other.length && id[common] === other[common]) common++;
    n = Math.max(n, Math.min(id.length, common + 1));
  }
  return id.slice(0, n);
}
