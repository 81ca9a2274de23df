/** Bundle a TypeScript entry for Node in memory and import it. */
export function importTs(entryFile: string): Promise<Record<string, unknown>>;
