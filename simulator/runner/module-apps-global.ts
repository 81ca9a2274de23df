/**
 * The global where an XS worker finds the entry functions of the scenario's module apps, by name
 * (app-modules.ts appends the script that sets it to the worker bundle; xs-worker-entry.ts reads
 * it). Its own file because the worker bundle must not pull in app-modules.ts (esbuild, Node).
 */
export const MODULE_APPS_GLOBAL = '__myceliumSimModuleApps';
