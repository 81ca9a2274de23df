/**
 * A command line to words, as upstream's console does it: split on whitespace, no quoting.
 * Bounded first: a line longer than MAX_LINE_CHARS (a paste gone wrong, a stuck serial port)
 * is refused before it is split, so it never costs more than one scan.
 */

export const MAX_LINE_CHARS = 1024; // far above any real command (the longest takes two 64-digit ids)
export const MAX_WORDS = 64;

export type Tokens = { ok: true; words: string[] } | { ok: false; error: string };

export function tokenize(line: string): Tokens {
  if (line.length > MAX_LINE_CHARS) return { ok: false, error: `line too long (${line.length} characters, at most ${MAX_LINE_CHARS})` };
  const words = line.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return { ok: false, error: 'empty command (type help for the list of commands)' };
  if (words.length > MAX_WORDS) return { ok: false, error: `too many words (${words.length}, at most ${MAX_WORDS})` };
  return { ok: true, words };
}
