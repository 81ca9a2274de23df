/** The Packager example of docs/packager.md (`npm run demo`): two nodes on an in-memory medium exchange a blob. */
import { Node } from '../../modules/mycelium/node.js';
import { MemoryMedium } from '../medium/memory-medium.js';
import { VirtualClock } from '../engine/virtual-clock.js';
import { appId } from '../../modules/mycelium/wire/ids.js';
import { unwrap, utf8Encode, utf8Decode } from '../../modules/mycelium/wire/index.js';
import { createNodePlatform } from '../platform/node-platform.js';

export function twoNodes(print: (line: string) => void): void {
  const clock = new VirtualClock();
  const platform = {
    ...createNodePlatform(),
    now: () => clock.now(),
    setTimeout: (fn: () => void, ms: number) => clock.setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clock.clearTimeout(h),
  };
  const medium = new MemoryMedium(clock);
  const ra = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 1));
  const rb = medium.radio(Uint8Array.of(2, 0, 0, 0, 0, 2));
  medium.link(ra, rb);
  const a = new Node({ platform, radios: [ra] });
  const b = new Node({ platform, radios: [rb] });
  const chat = { id: unwrap(appId(platform, 'chat', 'demo chat', 0)), receive: (blob: Uint8Array) => print(utf8Decode(blob)) };
  b.addApp(chat);
  a.packager.addPeer(b.nodeId, [{ mac: rb.mac, radio: ra }]); // the Beacon app does this on its own
  b.packager.addPeer(a.nodeId, [{ mac: ra.mac, radio: rb }]);
  const sent = a.packager.send(chat.id, utf8Encode('hello'), { nodeId: b.nodeId }); // Result<{ schemaId, frames, sequence }>
  clock.advance(10); // b prints "hello"; a receives the ack
  print(`sent on schema ${sent.ok ? sent.value.schemaId : '?'}; acks received by a: ${a.packager.counters.get('rx_acks')}`);
}
