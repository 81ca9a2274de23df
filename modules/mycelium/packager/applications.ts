/**
 * The applications a Packager delivers to (protocol.md §4.12), by app id, and the delivery of a
 * received Package: parsed, its half-hash verified, handed to its app. An app that throws is
 * contained and counted (`app_error`).
 */
import { TTL_START } from '../wire/constants.js';
import { Address } from '../wire/address.js';
import { toHex } from '../wire/bytes.js';
import { parsePackage, verifyPackage } from '../wire/package.js';
import type { Packet } from '../wire/packet.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { Application, Delivery } from './application.js';
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Peer } from './peer.js';

export class Applications {
  private readonly ctx: PackagerContext;
  private readonly apps = new Map<string, Application>();

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
  }

  add(app: Application): Result<Application> {
    if (!(app.id instanceof Uint8Array) || app.id.length !== 16) return fail('bad_argument', 'an application id must be 16 bytes');
    this.ctx.hooks.call('add_application', app);
    this.apps.set(toHex(app.id), app);
    return ok(app);
  }

  remove(appOrId: Application | Uint8Array): boolean {
    const id = appOrId instanceof Uint8Array ? appOrId : appOrId.id;
    const app = this.apps.get(toHex(id));
    if (!app) return false;
    this.ctx.hooks.call('remove_application', app);
    return this.apps.delete(toHex(id));
  }

  get(id: Uint8Array): Application | undefined {
    return this.apps.get(toHex(id));
  }

  /**
   * The id of the one app of ours whose id starts with `prefix` (a compact frame's app id,
   * wire/compact-frame.ts); undefined when none or several do.
   */
  idByPrefix(prefix: Uint8Array): Uint8Array | undefined {
    let found: Uint8Array | undefined;
    for (const app of this.apps.values()) {
      let k = 0;
      while (k < prefix.length && app.id[k] === prefix[k]) k++;
      if (k < prefix.length) continue;
      if (found) return undefined;
      found = app.id;
    }
    return found;
  }

  list(): Application[] {
    return [...this.apps.values()];
  }

  /**
   * Deliver the Package in `pkgBytes`, which arrived in `p` (its last packet for a sequence).
   * `copy`: the blob is a view into the received frame, so the app gets its own copy.
   * `assembledMs`: for a reassembled sequence, ms from its first fragment to its last.
   */
  deliver(pkgBytes: Uint8Array, iface: AttachedInterface, mac: Uint8Array | undefined, src: Peer | undefined, p: Packet, copy: boolean, assembledMs?: number): boolean {
    const { hooks, counters } = this.ctx;
    const parsed = parsePackage(pkgBytes);
    if (!parsed.ok) {
      counters.inc(`drop_package_${parsed.error.code}`);
      return false;
    }
    const pkg = parsed.value;
    if (hooks.has('deliver')) hooks.call('deliver', pkg, iface, mac);
    if (!verifyPackage(this.ctx.platform, pkg)) {
      hooks.call('deliver:checksum_failed', pkg, iface, mac);
      counters.inc('drop_half_hash');
      return false;
    }
    const app = this.apps.get(toHex(pkg.appId));
    if (!app) {
      hooks.call('deliver:checksum_failed', pkg, iface, mac);
      counters.inc('drop_unknown_app');
      return false;
    }
    if (hooks.has('deliver:receive')) hooks.call('deliver:receive', pkg, iface, mac);
    let from: Address | undefined;
    if (p.fromAddr && p.treeState !== undefined) {
      const a = Address.fromBytes(p.treeState, p.fromAddr);
      if (a.ok) from = a.value;
    }
    try {
      const hops = mac === undefined ? 0 : p.ttl === undefined ? 1 : TTL_START + 1 - p.ttl;
      const delivery: Delivery = assembledMs === undefined ? { iface, mac, peer: src, from, hops } : { iface, mac, peer: src, from, hops, assembledMs };
      app.receive(copy ? pkg.blob.slice() : pkg.blob, delivery);
      counters.inc('delivered');
      return true;
    } catch {
      hooks.call('deliver:receive_failed', pkg, iface, mac);
      counters.inc('app_error');
      return false;
    }
  }
}
