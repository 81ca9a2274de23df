/**
 * What the mesh is doing, as one small event per frame an app sends or receives, for boards
 * that show it on an LED (upstream blinks per app and operation). Built on the Packager's hooks,
 * so it sees every app without touching them.
 */
import type { Packager } from '../mycelium/packager/packager.js';
import { toHex } from '../mycelium/wire/bytes.js';
import type { Package } from '../mycelium/wire/package.js';

export type ActivityKind = 'receive' | 'broadcast' | 'send';

export interface Activity {
  /** The app's name ('Beacon', 'Gossip', 'SpanningTree', 'Ping', 'DebugApp', …), or its id in hex. */
  readonly app: string;
  readonly kind: ActivityKind;
  /** The first byte of the app's message: its operation for the bundled apps. */
  readonly op: number;
}

/** Watch `packager` and call `listener` per app frame; returns the function that stops it. */
export function watchActivity(packager: Packager, listener: (a: Activity) => void): () => void {
  const nameOf = (appId: Uint8Array): string => packager.application(appId)?.name ?? toHex(appId);
  const emit = (appId: Uint8Array, blob: Uint8Array, kind: ActivityKind) => listener({ app: nameOf(appId), kind, op: blob.length ? blob[0] : -1 });
  const onSend = (appId: Uint8Array, blob: Uint8Array) => emit(appId, blob, 'send');
  const onBroadcast = (appId: Uint8Array, blob: Uint8Array) => emit(appId, blob, 'broadcast');
  const onDeliver = (pkg: Package) => emit(pkg.appId, pkg.blob, 'receive');
  packager.addHook('send', onSend);
  packager.addHook('broadcast', onBroadcast);
  packager.addHook('deliver', onDeliver);
  return () => {
    packager.removeHook('send', onSend);
    packager.removeHook('broadcast', onBroadcast);
    packager.removeHook('deliver', onDeliver);
  };
}
