/**
 * What a layer stacked over Beacon may do (issue 20, signed Beacons): announce something before
 * each beacon goes out, and decide whether a beacon heard may add or refresh its sender's link.
 * Without a layer Beacon is upstream's, unchanged.
 */
import type { Delivery } from '../packager/application.js';
import type { BeaconMessage } from '../wire/messages/beacon.js';

export interface BeaconLayer {
  /** Beacon is about to send a BEACON or RESPONSE (`to` undefined: a broadcast). */
  beforeBeacon(to: Uint8Array | undefined): void;
  /**
   * Whether the BEACON or RESPONSE `m` heard from `from` may add or refresh its sender's link.
   * False drops it (the layer counts why); the layer may call `retry` once it can admit it.
   */
  admit(m: BeaconMessage, from: Delivery, retry: () => void): boolean;
}
