/**
 * Routing around a busy relay (packager/next-hop.ts, room notices: docs/lora.md "Session 13"): when
 * the greedy next hop's radio says its duty hour is nearly spent, an equally close neighbour with
 * room takes the packet; never a farther one, never instead of the destination itself.
 */
import { nodeIdOf, macOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { MemoryMedium } from '../../simulator/medium/memory-medium.js';
import type { Radio } from '../../modules/mycelium/packager/radio.js';
import { Address } from '../../modules/mycelium/wire/address.js';
import { Metric } from '../../modules/mycelium/wire/constants.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { unwrap } from '../../modules/mycelium/wire/result.js';

const addr = (ts: number, coords: number[]) => unwrap(Address.fromCoords(ts, coords));

/** A packager at [1] of tree 3 whose radio reports the MACs in `busy` as busy (when `notices`). */
function station(notices: boolean) {
  const clock = new VirtualClock(0);
  const medium = new MemoryMedium(clock);
  const radio = medium.radio(macOf(0)) as Radio;
  const busy = new Set<string>();
  if (notices) radio.peerBusy = (mac) => busy.has(toHex(mac));
  const p = new Packager(virtualPlatform(clock), { nodeId: nodeIdOf(100) });
  unwrap(p.addInterface(radio));
  p.setAddress(addr(3, [1]));
  let n = 0;
  const peer = (coords: number[]) => {
    n++;
    const id = nodeIdOf(n);
    p.addPeer(id, [{ mac: macOf(n), radio }]);
    p.addRoute(id, addr(3, coords));
    return { key: toHex(id), mac: macOf(n) };
  };
  return { p, peer, busy: (m: Uint8Array) => busy.add(toHex(m)) };
}

describe('an equally close neighbour with room before a busy one', () => {
  it('hands the packet to the neighbour as close as the busy one, and counts it', () => {
    const s = station(true);
    const first = s.peer([2, 5, 1]);
    const second = s.peer([2, 5, 2]);
    const target = addr(3, [2, 5]);
    expect(s.p.nextHop(target, Metric.dTree)?.peer.key).toBe(first.key);
    s.busy(first.mac);
    expect(s.p.nextHop(target, Metric.dTree)?.peer.key).toBe(second.key);
    expect(s.p.counters.get('hop_around_busy')).toBe(1);
  });

  it('keeps the busy neighbour when the others would be a longer way round, or it is the destination', () => {
    const s = station(true);
    const close = s.peer([2, 5, 1]);
    s.peer([2]); // closer than us to [2, 5, 1, 4], but two hops farther than `close`
    s.busy(close.mac);
    expect(s.p.nextHop(addr(3, [2, 5, 1, 4]), Metric.dTree)?.peer.key).toBe(close.key);
    expect(s.p.nextHop(addr(3, [2, 5, 1]), Metric.dTree)?.peer.key).toBe(close.key);
    expect(s.p.counters.get('hop_around_busy')).toBe(0);
  });

  it('routes as upstream does on a radio without room notices', () => {
    const s = station(false);
    const first = s.peer([2, 5, 1]);
    s.peer([2, 5, 2]);
    expect(s.p.nextHop(addr(3, [2, 5]), Metric.dTree)?.peer.key).toBe(first.key);
  });
});
