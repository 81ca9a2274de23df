import { MeshApp } from './app.js';
import type { Hashes } from '../platform/platform.js';

/**
 * Capability only: a node running this accepts custody. Its id in a Beacon is what counts, so it
 * is added with StoreForward (addStoreForward) before the node starts and its first beacons.
 */
export class CustodyMarker extends MeshApp<Record<string, never>> {
  constructor(hashes: Hashes) {
    super(hashes, 'StoreForward custody', 'accepts custody of held messages (moddable-mycelium)', 0, {});
  }
  protected onReceive(): void {}
}
