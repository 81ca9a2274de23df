/**
 * What a node must change for the radio it runs on. ESP-NOW needs nothing (the core's defaults
 * are ESP-NOW's); a RYLR-998 needs the LoRa timings of its settings and duty limit
 * (modules/rylr998/timings.ts, docs/lora.md "Timings for LoRa"), in MeshHost's terms.
 */
import type { Radio } from '../mycelium/packager/radio.js';
import type { PackagerOptions } from '../mycelium/packager/options.js';
import type { StandardAppOptions } from '../mycelium/apps/standard.js';
import { radioNodeDefaults } from '../rylr998/timings.js';

export interface RadioDefaults {
  /** App parameters; the beacon interval in here is a floor under the `beacon_s` setting. */
  readonly apps: StandardAppOptions;
  readonly packager: Omit<PackagerOptions, 'nodeId'>;
}

/** The defaults `radio` needs, or undefined when the core's own (ESP-NOW's) fit. */
export function radioDefaults(radio: Radio): RadioDefaults | undefined {
  const d = radioNodeDefaults(radio);
  if (!d) return undefined;
  // Plain records from the driver (it may not import the apps' types on XS): the simulator
  // builds the same objects from them for rylr998 scenarios, and tests/host checks the names.
  const apps = { beacon: d.beacon, gossip: d.gossip, spanningTree: d.spanningTree, hello: d.hello, routeVector: d.routeVector } as StandardAppOptions;
  return { apps, packager: d.packager as Omit<PackagerOptions, 'nodeId'> };
}
