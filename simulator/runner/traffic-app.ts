/**
 * SimTraffic: the simulator's blob traffic as a mesh app. A message is a 32-bit message id
 * padded to the flow's size; the receiving node reports it (with the hops its last packet
 * travelled) to the run. Runs unchanged in XS.
 */
import { MeshApp } from '../../modules/mycelium/apps/app.js';
import type { Delivery } from '../../modules/mycelium/packager/application.js';
import type { SendTarget } from '../../modules/mycelium/packager/outbound-store.js';
import type { Hashes } from '../../modules/mycelium/platform/platform.js';
import type { Metric } from '../../modules/mycelium/wire/constants.js';
import type { Result } from '../../modules/mycelium/wire/result.js';

/** Smallest blob: the message id. */
export const TRAFFIC_HEADER_BYTES = 4;

export class SimTraffic extends MeshApp<Record<string, never>> {
  /** Told about every message that arrives here. */
  onMessage: ((messageId: number, hops: number) => void) | undefined;

  constructor(hashes: Hashes) {
    super(hashes, 'SimTraffic', 'simulator traffic', 0, {});
  }

  /** Send message `messageId` padded to `size` bytes (at least the 4-byte id). */
  sendMessage(messageId: number, size: number, target: SendTarget, metric: Metric): Result<unknown> {
    return this.packager.send(this.id, this.messageBlob(messageId, size), target, { metric });
  }

  /** Message `messageId` padded to `size` bytes. */
  messageBlob(messageId: number, size: number): Uint8Array {
    const blob = new Uint8Array(Math.max(TRAFFIC_HEADER_BYTES, size));
    new DataView(blob.buffer).setUint32(0, messageId >>> 0);
    return blob;
  }

  protected override onReceive(blob: Uint8Array, from: Delivery): void {
    if (blob.length < TRAFFIC_HEADER_BYTES) {
      this.packager.counters.inc('sim_traffic_bad_message');
      return;
    }
    const id = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(0);
    this.onMessage?.(id, from.hops ?? 0);
  }
}
