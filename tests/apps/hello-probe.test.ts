/**
 * Probing a silent parent (apps/hello-probe.ts, docs/routing.md "Probing a silent parent"), on the
 * virtual clock. What a user notices: on a line where a hidden neighbour keeps colliding with a
 * parent's broadcasts, the branch below it keeps its tree instead of giving a live root up and
 * re-forming (line-70 on the lossy radio, seed 1, lost a fifth of its pings that way); a parent
 * that really died is given up a second after it does not answer; a neighbour flooding probes gets few answers.
 */
import { AppMesh, type AppNode } from '../support/apps-mesh.js';
import { claimScore } from '../../modules/mycelium/wire/ids.js';
import { bytesEqual, compareBytes } from '../../modules/mycelium/wire/bytes.js';
import { HELLO_ANSWER_OP, HELLO_OP, HELLO_PROBE_OP, parseHello, serializeHello } from '../../modules/mycelium/wire/messages/hello.js';
import { BROADCAST_MAC } from '../../modules/mycelium/packager/radio.js';

/** root — mid — leaf, the best claim at the root's end, the tree formed. */
function line(modemSleep = false): { mesh: AppMesh; root: AppNode; mid: AppNode; leaf: AppNode } {
  const mesh = new AppMesh({ seed: 4, hello: true, tree: { pub_each_round: false }, ...(modemSleep && { node: { modemSleep: true } }) });
  const [root, mid, leaf] = mesh.addApps(3).sort((a, b) => compareBytes(claimScore(a.node.nodeId), claimScore(b.node.nodeId)));
  mesh.wire(root, mid);
  mesh.wire(mid, leaf);
  mesh.startAll();
  for (let t = 0; t < 120_000 && !mesh.converged(); t += 500) mesh.run(500);
  mesh.run(20_000);
  return { mesh, root, mid, leaf };
}

/** Every broadcast of `n` is lost from now on (a neighbour hidden from it keeps colliding); unicasts still go. */
function jamBroadcasts(n: AppNode): void {
  const radio = n.radio;
  const send = radio.send.bind(radio);
  radio.broadcast = () => true;
  radio.send = (mac, frame) => (bytesEqual(mac, BROADCAST_MAC) ? true : send(mac, frame));
}

function count(n: AppNode, name: string): number {
  return n.node.packager.counters.get(name as never);
}

test('a parent whose broadcasts are lost for 40 s keeps its child, and the child its root', () => {
  const { mesh, root, mid, leaf } = line();
  expect(mesh.roots()).toHaveLength(1);
  expect(bytesEqual(leaf.tree.root, root.node.nodeId)).toBe(true);
  const address = leaf.node.packager.address?.key;
  jamBroadcasts(mid);
  for (let t = 0; t < 40_000; t += 500) {
    mesh.run(500);
    // Never off its root, never without its address (the old rule gave the parent up at ~12 s and
    // the root at ~24 s, poisoning it).
    expect(bytesEqual(leaf.tree.root, root.node.nodeId)).toBe(true);
    expect(leaf.node.packager.address?.key).toBe(address);
  }
  expect(leaf.tree.parentKey).toBe(mid.node.packager.nodeKey);
  expect(count(leaf, 'tree_parent_lost')).toBe(0);
  expect(count(leaf, 'hello_probe_sent')).toBeGreaterThan(0);
  expect(count(leaf, 'hello_probe_answered')).toBeGreaterThan(0);
  expect(count(mid, 'hello_probe_answer')).toBeGreaterThan(0);
});

/**
 * Eleven in twelve of the root's broadcasts lost at its child for a minute (ETX past 8: a one-way
 * link, the root still hears it, and unicasts get through): the child's link figures go bad and
 * beats come seldom. Every half second, both the child and the leaf below it still follow the
 * live root. Returns the line.
 */
function rootLinkGoesBad(modemSleep: boolean): ReturnType<typeof line> {
  const l = line(modemSleep);
  const { mesh, root, mid, leaf } = l;
  expect(mesh.roots()).toHaveLength(1);
  let n = 0;
  const radio = root.radio;
  const broadcast = radio.broadcast.bind(radio);
  radio.broadcast = (frame) => (n++ % 12 === 0 ? broadcast(frame) : true);
  for (let t = 0; t < 60_000; t += 500) {
    mesh.run(500);
    expect(bytesEqual(mid.tree.root, root.node.nodeId)).toBe(true);
    expect(bytesEqual(leaf.tree.root, root.node.nodeId)).toBe(true);
  }
  expect(count(mid, 'tree_root_lost')).toBe(0);
  expect(count(leaf, 'tree_root_poisoned')).toBe(0);
  expect(count(mid, 'hello_probe_answered')).toBeGreaterThan(0);
  return l;
}

test('a child of the root whose link from the root turned bad (not silent) keeps the live root: asked, it answers', () => {
  // Before, it gave the live root up and poisoned it for the tree.
  const { mesh, root, mid } = rootLinkGoesBad(false);
  expect(mid.node.packager.peer(root.node.nodeId)?.link?.good(mesh.clock.now())).toBe(false); // the case: a bad link, not a silent one
});

test('in modem sleep too, a child of the root whose link from the root turned bad asks the root before giving it up', () => {
  // Probes of a silent parent stay off in modem sleep (a silence means less there), but the root's
  // loss re-forms the whole tree. Before, the child took the root for asked (an unsent question
  // to the silent parent set the time) and gave it up a second later, unasked, at 4 s here;
  // sleepy-leaves-lossy-40 seed 44 re-formed twice that way, its root alive (docs/sleep.md).
  rootLinkGoesBad(true);
});

test('a parent that died answers nothing: the child gives it up no later than without probes', () => {
  const timeToLose = (probes: boolean): number => {
    const { mesh, mid, leaf } = line();
    if (!probes) leaf.hello!.probe = () => false; // the rule before probes
    mid.radio.on = false;
    for (let t = 0; t <= 60_000; t += 250) {
      if (count(leaf, 'tree_parent_lost') > 0) return t;
      mesh.run(250);
    }
    return Infinity;
  };
  const withProbes = timeToLose(true);
  expect(withProbes).toBeLessThan(20_000);
  expect(withProbes).toBeLessThanOrEqual(timeToLose(false));
});

test('a parent that died and does not answer its child is given up a second after the question (churn)', () => {
  // Its silence alone gives it up after 4 periods (12 s on this clean link); the question goes
  // two periods before that, and a live parent answers within tens of ms: no answer in a second,
  // and the child looks for another parent 5 s sooner (its subtree was unreachable meanwhile).
  const at = (probes: boolean): { lost: number; asked: number } => {
    const { mesh, mid, leaf } = line();
    if (!probes) leaf.hello!.probe = () => false;
    mid.radio.on = false;
    let asked = Infinity;
    for (let t = 0; t <= 60_000; t += 100) {
      if (asked === Infinity && count(leaf, 'hello_probe_sent') > 0) asked = t;
      if (count(leaf, 'tree_parent_lost') > 0) return { lost: t, asked };
      mesh.run(100);
    }
    return { lost: Infinity, asked };
  };
  const withProbes = at(true);
  const without = at(false);
  expect(withProbes.lost - withProbes.asked).toBeLessThanOrEqual(1_600); // the answer wait and a watch tick
  expect(withProbes.lost).toBeLessThanOrEqual(without.lost - 4_000);
});

test('a neighbour flooding probes gets one answer per hello period', () => {
  const { mesh, mid, leaf } = line();
  const before = count(mid, 'hello_probe_answer');
  for (let i = 0; i < 30; i++) {
    leaf.hello!.probe(leaf.node.packager.peer(mid.node.nodeId)!);
    mesh.run(100);
  }
  // 3 s of probes at 10 a second: one answer per 3-s period (at most two, by where the period falls).
  const answers = count(mid, 'hello_probe_answer') - before;
  expect(answers).toBeGreaterThanOrEqual(1);
  expect(answers).toBeLessThanOrEqual(2);
  expect(count(mid, 'hello_probe_refused')).toBeGreaterThanOrEqual(27);
});

test('wire: a probe is one byte; an answer is a hello header that an older build refuses as a hello', () => {
  const m = { seq: 7, intervalMs: 3000, flags: 0, rootSeq: 9, depth: 2, root: new Uint8Array(8).fill(1), addressTag: 0x1234, heard: [] };
  const answer = serializeHello(m, HELLO_ANSWER_OP);
  expect(answer.ok && answer.value[0]).toBe(HELLO_ANSWER_OP);
  if (!answer.ok) return;
  expect(parseHello(answer.value).ok).toBe(false); // HELLO_OP expected: older builds count hello_bad_message
  const back = parseHello(answer.value, HELLO_ANSWER_OP);
  expect(back.ok && { seq: back.value.seq, rootSeq: back.value.rootSeq, depth: back.value.depth, tag: back.value.addressTag }).toEqual({ seq: 7, rootSeq: 9, depth: 2, tag: 0x1234 });
  expect(HELLO_PROBE_OP).not.toBe(HELLO_OP);
});
