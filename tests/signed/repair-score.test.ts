/**
 * Fast repair (tree-repair.ts) chases a neighbour's better root from its hello only when that
 * root scores better by the tree's own score — with `root_work`, its work first. It compared
 * upstream's raw claim score before: with work on, it asked neighbours following a root with no
 * work (a unicast SEND every two hello periods, for nothing) and never asked one following a
 * better-worked root whose raw score happened to be worse.
 */
import type { TreeRepair } from '../../modules/mycelium/apps/tree-repair.js';
import { fakeTreeControl, fakeTreeRepair } from '../support/tree-control.js';
import { weightedScore } from '../../modules/mycelium/signed/root-work.js';
import { ROOT_ID_TARGETS } from '../../modules/mycelium/wire/ids.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import type { HelloMessage } from '../../modules/mycelium/wire/messages/hello.js';
import type { Peer } from '../../modules/mycelium/packager/peer.js';
import type { Packager } from '../../modules/mycelium/packager/packager.js';

// Our root R: 12 bits of work. X: the best raw claim score there is, no work. Y: the worst raw
// claim score, 14 bits of work.
const R = new Uint8Array(32).fill(0x42);
const X = ROOT_ID_TARGETS[0].slice();
const Y = ROOT_ID_TARGETS[0].map((b) => b ^ 0xff);
const work = new Map([
  [toHex(R.subarray(0, 8)), 12],
  [toHex(Y.subarray(0, 8)), 14],
]);
const score = (claim: Uint8Array) => weightedScore(claim, work.get(toHex(claim.subarray(0, 8))) ?? 0);

function repairAsking(): { repair: TreeRepair; asked: string[] } {
  const asked: string[] = [];
  const repair = fakeTreeRepair(
    fakeTreeControl(R, {
      packager: () => ({ address: undefined, peerByKey: () => undefined, counters: { inc: () => undefined } }) as unknown as Packager,
      rootScore: () => score(R),
      scoreOfRoot: (prefix) => score(prefix),
      advertiseTo: (id) => void asked.push(toHex(id)),
    }),
  );
  return { repair, asked };
}

function hello(root: Uint8Array): HelloMessage {
  return { seq: 1, intervalMs: 1_000, flags: 0, rootSeq: 0, depth: 1, root: root.slice(0, 8), addressTag: 0, heard: [] };
}

const peer = (n: number): Peer => ({ key: `p${n}`, id: new Uint8Array(32).fill(n), usable: () => true, leaf: false }) as unknown as Peer;

test('with root_work, a neighbour following a root with no work is not chased, one following more work is', () => {
  const { repair, asked } = repairAsking();
  repair.onHello(peer(1), hello(X), 1_000); // better raw score, no work: not better
  repair.onHello(peer(2), hello(Y), 1_000); // worse raw score, more work: better
  expect(asked).toEqual([toHex(peer(2).id)]);
});
