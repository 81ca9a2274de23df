/**
 * The Packager's own tables, without apps or traffic: a Packager on one ESP-NOW-like radio that is
 * told of `peers` neighbours, each with one link (a MAC) and one route (a depth-2 tree address),
 * and, with `hello`, a link estimate each (what our Hello app adds). The memory benchmark weighs
 * it at 0 and at N peers: the slope is what one peer and its route cost in the tables, the figure
 * issue 21 compares with micropycelium's Packager (0.63 KB on MicroPython 1.27).
 *
 * Pure ECMAScript: runs inside XS (bench/memory-entry.ts) and on Node.
 */
import type { Hashes, Platform } from '../modules/mycelium/platform/platform.js';
import { Packager } from '../modules/mycelium/packager/packager.js';
import { LinkEstimate } from '../modules/mycelium/packager/link-quality.js';
import type { Radio } from '../modules/mycelium/packager/radio.js';
import { Address } from '../modules/mycelium/wire/address.js';
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME } from '../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS } from '../modules/mycelium/wire/schemas.js';

/** A radio that sends nowhere: only its identity matters here. */
function silentRadio(): Radio {
  return { name: ESPNOW_NAME, bitrate: ESPNOW_BITRATE, schemaIds: ESPNOW_SCHEMA_IDS, mtu: ESPNOW_MTU, send: () => true, broadcast: () => true, onReceive: undefined };
}

/** A platform whose clock stands still and whose timers never fire (nothing is scheduled here). */
function stillPlatform(hashes: Hashes): Platform {
  return {
    now: () => 1_000_000,
    setTimeout: () => ({}),
    clearTimeout: () => {},
    sha256: hashes.sha256,
    crc32: hashes.crc32,
    randomBytes: (into) => into.fill(7),
    log: () => {},
  };
}

/**
 * What each of the `peers` brings: a peer with its link and a route to it (`both`), the peer and
 * link alone (`peer`), or a route to a node that is not a neighbour (`route`): the split of the
 * per-peer figure that `--parts` prints.
 */
export type TableRows = 'both' | 'peer' | 'route';

export function buildTables(peers: number, hello: boolean, hashes: Hashes, rows: TableRows = 'both'): Packager {
  const platform = stillPlatform(hashes);
  const p = new Packager(platform, { nodeId: new Uint8Array(32).fill(1) });
  const radio = silentRadio();
  p.addInterface(radio);
  for (let n = 0; n < peers; n++) {
    const id = new Uint8Array(32);
    for (let i = 0; i < 32; i++) id[i] = (n * 131 + i * 17 + 7) & 0xff;
    const peer = rows === 'route' ? undefined : p.addPeer(id, [{ mac: Uint8Array.of(0x02, 0, 0, 0, n >> 8, n & 0xff), radio }]);
    if (peer && hello) peer.link = new LinkEstimate(platform.now());
    // As a route is learnt: from an advert's 16 bytes (what the tree app parses off the air).
    const coords = Address.fromCoords(1, [1, n + 1]);
    const address = coords.ok ? Address.fromBytes(1, coords.value.bytes) : coords;
    if (address.ok && rows !== 'peer') p.addRoute(id, address.value);
  }
  return p;
}
