/**
 * A root is "far" while our parent carries no heartbeat (its hellos say FAR_ROOT_SEQ, it sends
 * none, or it is across a bridge's LoRa link: apps/far-root.ts). Beats that came round a side way
 * before may be minutes old when the parent stops being far. That time was no silence: counted,
 * a node gave its live root up as stale at its next tick and poisoned it (the stand-in copy of
 * `lossy-50`, seed 9: a node whose parent moved from under an upstream node to a Hello-speaking
 * one, and 15 nodes took the poison). The wait for a beat now starts when the root stops being far.
 */
import type { TreeRepair } from '../../modules/mycelium/apps/tree-repair.js';
import { fakeTreeControl, fakeTreeRepair } from '../support/tree-control.js';
import { FAR_ROOT_SEQ, HelloFlag, type HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';
import type { Hello } from '../../modules/mycelium/apps/hello.js';

const R = new Uint8Array(32).fill(0x42);
const PERIOD = 3_000;

/** A node at depth 3 under `parent`, whose hellos keep coming (its link is good). */
function node(): { repair: TreeRepair; restarts: () => number; counted: string[] } {
  let restarts = 0;
  const counted: string[] = [];
  const link = { lost: () => false, good: () => true, silentPeriods: () => 0, silenceLimit: () => 10, intervalMs: PERIOD, lastHeard: 0 };
  const parent = { key: 'parent', leaf: false, link, usable: () => true, addressIn: () => undefined };
  const hello = { params: { interval_ms: PERIOD, root_interval_ms: 1_000 }, idHex: 'hello', probe: () => false, send: () => undefined, soon: () => undefined } as unknown as Hello;
  const repair = fakeTreeRepair(
    fakeTreeControl(R, {
      hello: () => hello,
      packager: () => ({ address: { coords: [1, 2, 3] }, interfaces: [], peerByKey: (k: string) => (k === 'parent' ? parent : undefined), counters: { inc: (c: string) => void counted.push(c) } }) as unknown as Packager,
      restart: () => void restarts++,
    }),
  );
  return { repair, restarts: () => restarts, counted };
}

/** The parent's hello about our root: far, or carrying beat `rootSeq`. */
function parentHello(rootSeq: number): HelloMessage {
  const far = rootSeq === FAR_ROOT_SEQ;
  return { seq: 1, intervalMs: PERIOD, flags: far ? 0 : HelloFlag.BEATS, rootSeq, depth: 2, root: R.subarray(0, 8), addressTag: 0, heard: [] };
}
const parentPeer = { key: 'parent', leaf: false, usable: () => true, addressIn: () => undefined } as unknown as Parameters<TreeRepair['onHello']>[0];

test('a root far for minutes, then near again: its heartbeat is waited for from then, not given up at once', () => {
  const { repair, restarts, counted } = node();
  repair.newRoot(0);
  repair.watch.advance(5, 1_000); // a beat round a side way, then none
  repair.watch.beats = true;
  repair.onHello(parentPeer, parentHello(FAR_ROOT_SEQ), 2_000);
  repair.tick(200_000);
  expect(restarts()).toBe(0); // far: silence proves nothing
  // The parent is near again (it moved under a Hello-speaking node); its beat is older than ours.
  repair.onHello(parentPeer, parentHello(4), 200_000);
  repair.tick(201_000);
  expect(restarts()).toBe(0); // before: given up at once, 200 s after the side way's last beat
  expect(counted).not.toContain('tree_root_stale');
  // Still no newer beat a whole wait later: given up, as for any root.
  repair.tick(200_000 + (4 + 3) * PERIOD + 1);
  expect(restarts()).toBe(1);
  expect(counted).toContain('tree_root_stale');
});
