/** Types for doc-commands.mjs: the docs' marked build lines, and how a check runs them. */
export function markedCommands(markdown: string): string[];
export function describe(line: string): { tool: string; platform: string | undefined; manifest: string | undefined } | undefined;
export function forCheck(line: string, options: { out: string; set?: Record<string, string | number> }): string;
