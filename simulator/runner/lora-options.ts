/**
 * Node options of a `rylr998` scenario: the LoRa defaults (modules/rylr998/timings.ts) for the
 * scenario's radio settings and duty limit, under the scenario's own `node_options`. Resolved
 * here, before the nodes are built, so the in-process and the XS runner get the same plain
 * options.
 */
import { loraNodeDefaults } from '../../modules/rylr998/timings.js';
import { FACTORY_CONFIG } from '../../modules/rylr998/config.js';
import type { Scenario } from '../scenario/types.js';

type Options = Record<string, unknown>;

function isPlain(v: unknown): v is Options {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The LoRa defaults as `node_options` (SimNodeOptions keys), or {} for another interface. */
export function loraNodeOptions(s: Scenario): Options {
  if (s.interface !== 'rylr998') return {};
  const d = loraNodeDefaults(s.radio.lora ?? FACTORY_CONFIG, s.radio.duty_cycle_limit ?? 0);
  return { packager: d.packager, beacon: d.beacon, spanning_tree: d.spanningTree, gossip: d.gossip, hello: d.hello, route_vector: d.routeVector };
}

/**
 * `over` laid over `base`: app parameter objects merge key by key, `packager` one level deeper
 * (its `timings` and `limits`); anything else (and `false` for an app) replaces.
 */
export function overlayNodeOptions(base: Options, over: Options): Options {
  const out: Options = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = base[k];
    if (!isPlain(b) || !isPlain(v)) out[k] = v;
    else if (k === 'packager') {
      const p: Options = { ...b };
      for (const [pk, pv] of Object.entries(v)) p[pk] = isPlain(b[pk]) && isPlain(pv) ? { ...b[pk], ...pv } : pv;
      out[k] = p;
    } else out[k] = { ...b, ...v };
  }
  return out;
}
