/**
 * One app registered through the mesh API, as the Node sees it: a MeshApp whose received blobs
 * go to the mod's `receive` (through the guard that stops a throwing mod), and whose console
 * commands are the ones the mod added. Gossip topic ids are mapped back to the names the mod
 * subscribed with.
 */
import { MeshApp, type ConsoleCommand } from '../mycelium/apps/app.js';
import type { Hashes } from '../mycelium/platform/platform.js';
import type { Delivery } from '../mycelium/packager/application.js';
import { toHex } from '../mycelium/wire/bytes.js';
import type { Received } from './api.js';

export type ReceiveHandler = (data: Uint8Array, info: Received) => void;

export class ChannelApp extends MeshApp<Record<string, never>> {
  readonly #handler: ReceiveHandler | undefined;
  /** topic id hex → the name the mod used. */
  readonly topics = new Map<string, string>();
  readonly #commands: () => ConsoleCommand[];

  constructor(hashes: Hashes, name: string, description: string, version: number, handler: ReceiveHandler | undefined, commands: () => ConsoleCommand[]) {
    super(hashes, name, description, version, {});
    this.#handler = handler;
    this.#commands = commands;
  }

  protected override onReceive(blob: Uint8Array, from: Delivery): void {
    if (!this.#handler) return;
    const topic = from.topic ? this.topics.get(toHex(from.topic)) : undefined;
    if (from.topic && topic === undefined) return; // a topic we no longer follow
    const info: Received = {
      ...(from.hops !== undefined && { hops: from.hops }),
      ...(from.from && { from: from.from.toString() }),
      ...(from.peer && { peer: toHex(from.peer.id) }),
      ...(topic !== undefined && { topic }),
      ...(from.origin && { origin: toHex(from.origin) }),
    };
    this.#handler(blob, Object.freeze(info));
  }

  override commands(): ConsoleCommand[] {
    return this.#commands();
  }
}
