/** Types for ensure-chromium.mjs: find (or, as root with apt-get, install) Debian's Chromium. */
export function findChromium(): string | undefined;
export function ensureChromium(options?: { install?: boolean; log?: (line: string) => void }): { path: string } | { path: undefined; reason: string };
