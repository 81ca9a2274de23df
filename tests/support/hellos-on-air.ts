/** Reading hellos back off a test medium's log (tests of apps/hello.ts and its pace). */
import type { AppMesh } from './apps-mesh.js';
import { parsePacket } from '../../modules/mycelium/wire/packet.js';
import { parsePackage } from '../../modules/mycelium/wire/package.js';
import { parseHello, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import { bytesEqual } from '../../modules/mycelium/wire/bytes.js';
import { COMPACT_MARKER, expandFrame } from '../../modules/mycelium/wire/compact-frame.js';
import { portableHashes } from '../../modules/mycelium/platform/portable.js';

/** The hellos on the medium's log, by sender MAC hex. */
export function hellosOnAir(mesh: AppMesh, helloId: Uint8Array): Map<string, HelloMessage[]> {
  const out = new Map<string, HelloMessage[]>();
  for (const f of mesh.medium.log) {
    // Hellos go compact between our nodes (hello.ts): read the upstream frame they stand for.
    const p = parsePacket(f.frame[0] === COMPACT_MARKER ? (expandFrame(portableHashes, f.frame) ?? f.frame) : f.frame);
    if (!p.ok) continue;
    const pkg = parsePackage(p.value.body);
    if (!pkg.ok || !bytesEqual(pkg.value.appId, helloId)) continue;
    const h = parseHello(pkg.value.blob);
    if (!h.ok) continue;
    const key = Array.from(f.from, (b) => b.toString(16)).join(':');
    out.set(key, [...(out.get(key) ?? []), h.value]);
  }
  return out;
}

