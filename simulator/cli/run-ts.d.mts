/** Bundle a TypeScript entry for Node in memory and import it. */
export function importTs(entryFile: string): Promise<Record<string, unknown>>;
/** Bundle a TypeScript entry for Node (or take it from the cache); resolves to the bundle's path. */
export function buildTs(entryFile: string): Promise<string>;
