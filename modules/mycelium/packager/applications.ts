/**
 * The applications a Packager delivers to (protocol.md §4.12), by app id, and the delivery of a
 * received Package: parsed, its half-hash verified, handed to its app. An app that throws is
 * contained and counted (`app_error`).
 *
 * A node runs a handful of apps, so they sit in an array found by comparing id bytes: a Map keyed
 * by hex made a 32-character string for every Package delivered (on XS a tenth of `deliver`'s
 * cost) and kept one such string per app.
 */
import { TTL_START } from '../wire/constants.js';
import { bytesEqual } from '../wire/bytes.js';
import { Address } from '../wire/address.js';
import { parsePackage, verifyPackage } from '../wire/package.js';
import type { Packet } from '../wire/packet.js';
import { fail, ok, type Result } from '../wire/result.js';
import type { Application, Delivery } from './application.js';
import type { AttachedInterface } from './attached.js';
import type { PackagerContext } from './context.js';
import type { Peer } from './peer.js';

export class Applications {
  private readonly ctx: PackagerContext;
  /** In the order they were added (what `list` and the Beacon's app list follow). */
  private readonly apps: Application[] = [];

  constructor(ctx: PackagerContext) {
    this.ctx = ctx;
  }

  add(app: Application): Result<Application> {
    if (!(app.id instanceof Uint8Array) || app.id.length !== 16) return fail('bad_argument', 'an application id must be 16 bytes');
    this.ctx.hooks.call('add_application', app);
    const i = this.#indexOf(app.id);
    if (i < 0) this.apps.push(app);
    else this.apps[i] = app; // the same id again: replaced where it was, as a Map would
    return ok(app);
  }

  remove(appOrId: Application | Uint8Array): boolean {
    const id = appOrId instanceof Uint8Array ? appOrId : appOrId.id;
    const i = this.#indexOf(id);
    if (i < 0) return false;
    this.ctx.hooks.call('remove_application', this.apps[i]);
    const j = this.#indexOf(id); // looked up again: a hook may have changed the list
    if (j < 0) return false;
    this.apps.splice(j, 1);
    return true;
  }

  get(id: Uint8Array): Application | undefined {
    const i = this.#indexOf(id);
    return i < 0 ? undefined : this.apps[i];
  }

  /** Where the app with exactly these id bytes is, or -1. */
  #indexOf(id: Uint8Array): number {
    // The first byte tells most ids apart without a call (≈ 100 bytecodes each on XS): every
    // Package delivered looks its app up here (issue 21).
    const apps = this.apps;
    const first = id[0];
    const n = apps.length;
    let i = 0; // outside the loop, as in bytesEqual
    for (; i < n; i++) if (apps[i].id[0] === first && bytesEqual(apps[i].id, id)) return i;
    return -1;
  }

  /**
   * The id of the one app of ours whose id starts with `prefix` (a compact frame's app id,
   * wire/compact-frame.ts); undefined when none or several do.
   */
  idByPrefix(prefix: Uint8Array): Uint8Array | undefined {
    let found: Uint8Array | undefined;
    for (let i = 0; i < this.apps.length; i++) {
      const app = this.apps[i];
      let k = 0;
      while (k < prefix.length && app.id[k] === prefix[k]) k++;
      if (k < prefix.length) continue;
      if (found) return undefined;
      found = app.id;
    }
    return found;
  }

  list(): Application[] {
    return this.apps.slice();
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
    const app = this.get(pkg.appId);
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
