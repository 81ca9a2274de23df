/**
 * `node_options` checked like the rest of a scenario: the keys SimNodeOptions (runner/sim-node.ts)
 * reads, and inside the app parameter objects (`beacon`, `gossip`, `spanning_tree`, `ping`, `hello`) exactly
 * the parameters the apps have, with their defaults' types. The parameter lists come from the apps
 * themselves (built once with stand-in hashes and read back), so a parameter added to an app is
 * accepted here without a second list to keep in step.
 */
import { standardApps } from '../../modules/mycelium/apps/standard.js';
import { STORE_FORWARD_DEFAULTS } from '../../modules/mycelium/apps/store-forward.js';
import { ROUTE_VECTOR_DEFAULTS } from '../../modules/mycelium/apps/route-vector.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS } from '../../modules/mycelium/packager/options.js';

/** Parameter name → its default value (number or boolean), per node_options key. */
export type ParamTable = Readonly<Record<string, Readonly<Record<string, number | boolean>>>>;

let appParams: ParamTable | undefined;

/** The standard apps' parameters and defaults, by their node_options key. */
export function appParamDefaults(): ParamTable {
  if (!appParams) {
    // App ids hash the app name: any bytes do here, the apps are only read, never run.
    const stand = { sha256: () => new Uint8Array(32), crc32: () => 0 };
    const apps = standardApps(stand, { debug: false });
    const read = (p: object) => Object.freeze({ ...(p as Record<string, number | boolean>) });
    appParams = Object.freeze({
      beacon: read(apps.beacon.params),
      gossip: read(apps.gossip.params),
      spanning_tree: read(apps.tree.params),
      ping: read(apps.ping.params),
      hello: read((apps.hello as NonNullable<typeof apps.hello>).params),
      route_vector: read(ROUTE_VECTOR_DEFAULTS),
      store_forward: read(STORE_FORWARD_DEFAULTS),
    });
  }
  return appParams;
}

/** The Packager's options a scenario may set (packager.timings / packager.limits keys, numbers). */
export function packagerDefaults(): ParamTable {
  return { timings: DEFAULT_TIMINGS as unknown as Record<string, number>, limits: DEFAULT_LIMITS as unknown as Record<string, number> };
}

/** The keys one node_options object may have. */
export const NODE_OPTION_KEYS = ['modemSleep', 'packager', 'beacon', 'gossip', 'spanning_tree', 'ping', 'hello', 'route_vector', 'store_forward'] as const;

/** What the scenario validator's Checker offers this file. */
export interface OptionChecker {
  readonly errors: string[];
  fail(path: string, what: string, got: unknown): void;
  object(path: string, v: unknown, allowed: readonly string[]): Record<string, unknown> | undefined;
  bool(path: string, v: unknown, fallback: boolean): boolean;
  num(path: string, v: unknown, min: number, max: number, fallback: number): number;
}

/** Each key of `o` must be a parameter of `table`, with the type of its default. */
function checkParams(c: OptionChecker, path: string, v: unknown, table: Readonly<Record<string, number | boolean>>): void {
  const o = c.object(path, v, Object.keys(table));
  if (!o) return;
  for (const [k, value] of Object.entries(o)) {
    if (!(k in table)) continue;
    if (typeof table[k] === 'boolean') c.bool(`${path}.${k}`, value, false);
    else c.num(`${path}.${k}`, value, 0, 1e12, 0);
  }
}

/** One node_options object (`all`, or a `per_node` entry): errors go to `c`. */
export function checkNodeOptions(c: OptionChecker, path: string, v: unknown): void {
  // Not an object: the caller reports that once.
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return;
  const o = c.object(path, v, NODE_OPTION_KEYS);
  if (!o) return;
  if (o.modemSleep !== undefined && typeof o.modemSleep !== 'boolean') {
    const m = c.object(`${path}.modemSleep`, o.modemSleep, ['sleepMs', 'activeMs', 'aligned', 'bootListenMs', 'leaf', 'leafSendSlot', 'promote']);
    for (const k of ['sleepMs', 'activeMs', 'bootListenMs']) if (m?.[k] !== undefined) c.num(`${path}.modemSleep.${k}`, m[k], 0, 1e9, 0);
    if (m) c.bool(`${path}.modemSleep.aligned`, m.aligned, true);
    if (m) c.bool(`${path}.modemSleep.leaf`, m.leaf, false);
    if (m) c.bool(`${path}.modemSleep.leafSendSlot`, m.leafSendSlot, true);
    if (m) c.bool(`${path}.modemSleep.promote`, m.promote, true);
  }
  if (o.packager !== undefined) {
    const p = c.object(`${path}.packager`, o.packager, ['timings', 'limits', 'askEveryFragment', 'hopRecovery']);
    if (p) {
      const defaults = packagerDefaults();
      if (p.timings !== undefined) checkParams(c, `${path}.packager.timings`, p.timings, defaults.timings);
      if (p.limits !== undefined) checkParams(c, `${path}.packager.limits`, p.limits, defaults.limits);
      c.bool(`${path}.packager.askEveryFragment`, p.askEveryFragment, true);
      c.bool(`${path}.packager.hopRecovery`, p.hopRecovery, false);
    }
  }
  const apps = appParamDefaults();
  // `hello: false` runs a node without Hello (the LoRa default), `route_vector: false` without RouteVector.
  for (const key of Object.keys(apps)) if (o[key] !== undefined && !((key === 'hello' || key === 'route_vector') && o[key] === false)) checkParams(c, `${path}.${key}`, o[key], apps[key]);
}
