/**
 * Fast tree repair with Hello (docs/routing.md "Fast tree repair"): our extension over upstream's
 * SpanningTree, driven by our neighbours' hellos. It watches the parent's link and the root's
 * heartbeat; a lost parent is replaced by a loop-free neighbour of the same tree (local repair);
 * a root that falls silent, or that can no longer be reached, is declared lost and poisoned in our
 * hellos, so that the mesh elects the next root in seconds (global repair); claims for a dead root
 * are refused until it beats again (root-watch.ts). Upstream neighbours never see any of it.
 *
 * A root beyond a link that keeps Hello off (a bridge's LoRa link, docs/lora.md "Bridges"), or
 * beyond a parent that sends no hellos (upstream's: far-root.ts), is "far": its heartbeat cannot
 * reach us, so its silence proves nothing. The node whose parent is across a slow link judges the
 * root by the parent's paced adverts at that interface's pace and keeps its subtree's tree fresh
 * meanwhile; below a parent without Hello, upstream's tree age judges it (parent-refresh.ts asks
 * for it). Its hellos say so (FAR_ROOT_SEQ), and below it no one declares that root lost or
 * poisons it: a lost way to it only starts the node over.
 */
import { bytesEqual, compareBytes, prefixEqual, toHex } from '../wire/bytes.js';
import { FAR_ROOT_SEQ, HelloFlag, saysFarRoot, type HelloMessage } from '../wire/messages/hello.js';
import type { Peer } from '../packager/peer.js';
import type { Delivery } from '../packager/application.js';
import type { Hello, HelloListener, HelloTreeFields } from './hello.js';
import { ROOT_LOST_COUNTER, RootWatch, beatTimeout, seqNewer } from './root-watch.js';
import { TreeNews } from './tree-news.js';
import { parentMoved } from './tree-coordinates.js';
import { isPrefix } from './tree-claims.js';
import type { Address } from '../wire/address.js';
import { ParentProbe } from './parent-probe.js';
import { ancestorBackFromReboot, parentRejoining } from './parent-reboot.js';
import type { TreeControl, TreeRepairParams } from './tree-control.js';
import { farRootFresh, silentFor, slowParentInterface } from './far-root.js';

/** Hellos that carry the poison after a root is declared lost. */
const POISON_HELLOS = 2;

/**
 * `peer`, whose hello says it is at `depth`, holds an address in our tree under `mine`: it is in
 * our subtree, as far as we know. Its coordinates are peeked, not kept: `coords` would keep a
 * decoded copy on every neighbour's address (≈ 120 B each on XS; the steady star's centre grew
 * 86 B a peer).
 */
function below(peer: Peer, depth: number, mine: Address | undefined): boolean {
  if (!mine || depth <= mine.coords.length) return false;
  const theirs = peer.addressIn(mine.treeState)?.peekCoords();
  return theirs !== undefined && theirs.length > mine.coords.length && isPrefix(mine.coords, theirs);
}

export type { TreeControl, TreeRepairParams } from './tree-control.js';

export class TreeRepair implements HelloListener {
  readonly watch = new RootWatch();
  readonly #tree: TreeControl;
  readonly #params: TreeRepairParams;
  /** The root we declared lost, announced in our next hellos. */
  #poison: { root: Uint8Array; seq: number; left: number } | undefined;
  /** When each peer was last asked something (capped; made on the first set: issue 21). */
  #asked: Map<string, number> | undefined;
  /** The parent whose loss was last counted (a lost parent is checked again every tick). */
  #parentDown: string | undefined;
  /** Since when a repair request is out (cleared when a parent is taken). */
  #repairSince: number | undefined;
  /** When the root was fresh by our parent's last word about it (its advert's age). */
  #parentWordAt = 0;
  /** When we ask our parent whether it is alive (parent-probe.ts). */
  readonly #probe = new ParentProbe();
  /** The parent whose last hello about our root said it is far (FAR_ROOT_SEQ). */
  #farParent: string | undefined;
  /** When our root stopped being far (far-root.ts silentFor; declared: no slot until then, issue 21). */
  declare private nearSince: number | undefined;
  /** When our parent's loss was counted (declared: no slot until a parent is lost, issue 21). */
  declare private downAt: number | undefined;
  /** Our parent gave our root up (its poison, refused, or its hellos on another root): since when, and which parent. */
  declare private parentGaveUp: { at: number; parent: string } | undefined; // no slot until a parent gives up (issue 21)
  declare private parentRebootedAt: number | undefined; // when our parent's hellos showed a reboot (parent-reboot.ts)
  declare private advertOwed: string | undefined; // that parent, until it is back at its address and has our SEND
  /** News of a better root ahead of its tree (tree-news.ts; declared: made with the first). */
  declare private news: TreeNews | undefined;

  constructor(tree: TreeControl, params: TreeRepairParams) {
    this.#tree = tree;
    this.#params = params;
  }

  #hello(): Hello | undefined { return this.#tree.hello(); }

  forgetPeer(key: string): void {
    this.#asked?.delete(key);
    if (key === this.#tree.parentKey()) this.parentLost(this.#tree.now());
  }

  /** `claim`'s root is dead (and has not beaten since): refuse it. */
  isDead(claim: Uint8Array, now: number): boolean {
    return this.watch.isDead(toHex(claim.subarray(0, 8)), now);
  }

  /** Watch the parent's hellos and the root's heartbeat (every watch_ms). */
  tick(now: number): void {
    const t = this.#tree;
    if (this.#poison && now - this.watch.lastBeat > this.#params.dead_root_ms) this.#poison = undefined;
    const parentKey = t.parentKey();
    if (t.isRoot() || parentKey === undefined) return;
    const parent = t.packager().peerByKey(parentKey);
    const link = parent?.link;
    const hello = this.#hello(); // found once a tick: each is Node.app's search of the apps (issue 21)
    const slow = slowParentInterface(t.packager(), parentKey, hello);
    // A parent across a slow link, or one that sends no hellos (upstream's): no heartbeat comes
    // through it, so its silence proves nothing. Remembered for when that parent is forgotten.
    if (slow || (hello && parent && !link)) this.#farParent = parentKey;
    if (!parent) this.parentLost(now);
    else if (link && (link.lost(now) || !link.good(now) || this.#probe.unanswered(parent, link, now))) this.parentLost(now);
    else if (link && !slow && this.#probe.silent(hello, parent, link, now)) return;
    else if (slow) { if (farRootFresh(this.#parentWordAt, now, this.#params.max_tree_age, slow)) t.refreshed(now); } // below it is not slow: far() is whether that parent said so
    else if (this.#farParent !== parentKey && this.watch.beats && silentFor(this.watch.lastBeat, this.nearSince, now) > this.beatTimeout(link?.intervalMs ?? 0, hello)) this.rootLost(now, 'heartbeat');
    else this.judgeParentGaveUp(now, parentKey);
  }

  /**
   * Our parent gave our root up while we held a newer heartbeat than its own, so we did not take
   * its word (it may only have lost its own way). Beats that were already travelling keep coming
   * for a while after a root dies (a hello period a hop), so the number alone cannot tell: the
   * flow does. No newer beat for a hello period from anyone outside our subtree (ours may bring
   * them in from a side link): the parent was right, give the root up (our subtree hears it from
   * us). Beats still coming two periods on: the root lives and only our parent left, so repair
   * locally. Waiting instead for the heartbeat timeout ((4 + depth) hello periods) left whole
   * branches in a dead tree for ~30 s, lending it to their neighbours.
   */
  private judgeParentGaveUp(now: number, parentKey: string): void {
    const g = this.parentGaveUp;
    if (!g) return;
    if (g.parent !== parentKey) {
      this.parentGaveUp = undefined;
      return;
    }
    const interval = this.#hello()?.params.interval_ms ?? this.#params.tree_maintenance_delay;
    if (now - Math.max(this.watch.aroundAt, g.at) > interval) {
      this.parentGaveUp = undefined;
      this.rootLost(now, 'poison');
    } else if (now - g.at > 2 * interval) {
      this.parentGaveUp = undefined;
      this.parentLost(now);
    }
  }

  /** Our root is far: its heartbeat cannot reach us (see the top of this file). */
  far(): boolean {
    const parentKey = this.#tree.parentKey();
    return parentKey !== undefined && !this.#tree.isRoot() && (this.#farParent === parentKey || slowParentInterface(this.#tree.packager(), parentKey, this.#hello()) !== undefined);
  }

  /** Our parent spoke about our root: fresh at `refreshedAt` (its advert's age taken off). */
  parentSpoke(refreshedAt: number): void {
    this.#parentWordAt = Math.max(this.#parentWordAt, refreshedAt);
  }

  /** Our root is no longer far (a new parent, or ours says so): its heartbeat is waited for from `now`. */
  private nearer(now: number): void {
    if (this.#farParent !== undefined) this.nearSince = now;
    this.#farParent = undefined;
  }

  /** Start over without declaring a far root lost: only our way to it is known to be gone. */
  private detachFromFarRoot(): void {
    const t = this.#tree;
    t.packager().counters.inc('tree_far_detached');
    t.restart();
  }

  /**
   * Our parent is gone or its link went bad. If it was the root and no neighbour has carried a
   * newer heartbeat since, the root is lost. Otherwise take a neighbour of the same tree outside
   * our subtree: shallower than us, or after two hello periods with none, as deep (ClaimTable
   * repairParent); with none, detach and poison (RPL's local repair failing), so our subtree
   * starts over at once instead of waiting for the heartbeat.
   */
  parentLost(now: number): void {
    const t = this.#tree;
    const lost = t.parentKey();
    if (lost === undefined || t.isRoot()) return;
    const mine = t.packager().address?.coords ?? [];
    const rootInterval = this.#hello()?.params.root_interval_ms ?? 1000;
    const far = this.far();
    if (mine.length === 1 && (far || !this.watch.beats || now - this.watch.lastBeat > 2 * rootInterval)) {
      if (far) this.detachFromFarRoot();
      else if (!this.#probe.rootAnswers(this.#hello(), t.packager().peerByKey(lost), this.watch.lastBeat, now)) this.rootLost(now, 'parent');
      return;
    }
    if (this.#parentDown !== lost) {
      t.packager().counters.inc('tree_parent_lost');
      this.downAt = now;
    }
    this.#parentDown = lost;
    const interval = this.#hello()?.params.interval_ms ?? this.#params.tree_maintenance_delay;
    const best = t.claims.repairParent(t.root(), mine, lost, (k) => t.usable(k, now), (c) => t.rank(c, now), now - (this.downAt ?? now) >= 2 * interval);
    if (best) {
      // Ask the new parent (again every two of its periods); we keep the old one until the
      // answer comes, so we are never without a parent. No answer for two hello periods: our
      // address (and our subtree's) is stale — start over as our own root, without declaring
      // the tree's root dead (it may well be alive): the next claim we hear brings us back.
      this.#repairSince ??= now;
      if (now - this.#repairSince > 2 * interval) {
        this.#repairSince = undefined;
        t.packager().counters.inc('tree_repair_unanswered');
        t.restart();
        return;
      }
      if (this.mayAsk(best.peerKey, now, interval)) t.request(best.peerId, best.claim, best.peerKey);
      return;
    }
    // No way back to the root from here. While the root's heartbeat still reaches us through
    // some neighbour, a claim from one of them is coming: wait (checked again every tick). Once
    // it stops too, detach and poison, so our subtree starts over at once. A far root's silence
    // proves nothing: only detach. A root whose beat has not reached us yet gets the same wait
    // from when we joined it (RootWatch.reset): a beat takes a hello period a hop, and the
    // neighbours' claims may not be known yet (signed mode proves each first). Poisoning it at
    // once made trees give up their live root while forming, as the children take the poison
    // from their parent (signed-100 seed 16: 88 nodes at 14 s from two such nodes; s7's signed
    // 1,000 nodes: 1,009 poisonings and 6 roots at the end).
    // Beats prove that the root lives, not that we can reach it: they may come up through our own
    // subtree from a side link deep down. So after a tree age (upstream's 60 s) with none from
    // outside our subtree, give up too (relay-kill-100 seed 4: a node at depth 2 whose parent died
    // for good kept it and its address, its subtree cut off from the root, as long as the run
    // lasted). Not sooner: a parent that reboots comes back within that and gets its address
    // again, and the subtree with it (churn-100, nodes down 30 s: giving up after the heartbeat
    // timeout, 18-21 s, cost 68 pings over five seeds; docs/benchmarks.md "Session 44").
    if (far) this.detachFromFarRoot();
    else if (silentFor(this.watch.lastBeat, this.nearSince, now) > (2 + mine.length) * interval || now - this.watch.aroundAt > this.#params.max_tree_age * 1000) this.rootLost(now, 'unreachable');
  }

  /**
   * Our parent joined another tree at an address with no room below it (its SEND says so): our
   * address hangs from nothing. Ask another neighbour of our tree outside our subtree; with none,
   * give our root up now (marked dead unless it beats again, so our old subtree cannot lend it
   * back to us) rather than keep the old tree until it ages out (docs/routing.md "Formation").
   */
  parentLeft(now: number): void {
    const t = this.#tree;
    const lost = t.parentKey();
    if (lost === undefined || t.isRoot()) return;
    t.packager().counters.inc('tree_parent_left');
    const mine = t.packager().address?.coords ?? [];
    const other = t.claims.repairParent(t.root(), mine, lost, (k) => t.usable(k, now), (c) => t.rank(c, now));
    if (other) t.request(other.peerId, other.claim, other.peerKey);
    else this.rootLost(now, 'parent');
  }

  /** A neighbour asked us for an address: refused (true) when it is our parent or an ancestor back from a reboot (parent-reboot.ts). */
  refusesAncestor(peerKey: string, now: number): boolean {
    const t = this.#tree;
    const parent = peerKey === t.parentKey();
    if (!ancestorBackFromReboot(t.packager().peerByKey(peerKey), t.packager().address, parent, parent && this.rejoining(now), now)) return false;
    t.packager().counters.inc('tree_assign_parent');
    return true;
  }

  private rejoining(now: number): boolean {
    return parentRejoining(this.parentRebootedAt, now, this.#hello()?.params.interval_ms ?? this.#params.tree_maintenance_delay);
  }

  /** A parent was taken: its loss will be counted again. */
  parentTaken(refreshedAt = 0): void {
    this.#parentDown = undefined;
    this.#repairSince = undefined;
    this.#parentWordAt = refreshedAt;
    this.nearer(this.#tree.now());
    this.parentRebootedAt = undefined;
  }

  /** Give up our root: remember it as dead at its last heartbeat, tell the neighbours, start over. */
  rootLost(now: number, why: keyof typeof ROOT_LOST_COUNTER): void {
    const t = this.#tree;
    this.parentGaveUp = undefined;
    const old = t.root().slice();
    const seq = Math.max(0, this.watch.seq);
    this.markDeadRoot(toHex(old.subarray(0, 8)), seq, now);
    this.#poison = { root: old, seq, left: POISON_HELLOS };
    t.claims.forgetRoot(old);
    t.packager().counters.inc(ROOT_LOST_COUNTER[why]);
    t.restart();
    this.#hello()?.send();
  }

  /**
   * Root `worse` collides with `better` (tree-collisions.ts): if we are it, give our root up as
   * if lost, so that our tree hears the poison at once and elects the next best root; true then.
   */
  stepAside(worse: Uint8Array, better: Uint8Array): boolean {
    if (!this.#tree.mayStepAside(worse, better)) return false;
    this.rootLost(this.#tree.now(), 'aside');
    return true;
  }

  /** We took a new root (`seq`: our own heartbeat's start when we are it). */
  newRoot(now: number, seq = -1): void {
    this.parentGaveUp = undefined;
    this.watch.reset(now, seq);
  }

  /**
   * We joined a better root's tree (`root`: its id). Our hellos carry its heartbeat as our
   * neighbours did (RootWatch.joined). When the dead mark we held for it was lifted lately, the
   * neighbours around us likely hold one too and refuse our SEND (it has no heartbeat): our next
   * hello goes out soon rather than up to a period later, so the tree comes back over a branch
   * that had given its root up at a round trip a hop, not two hello periods.
   */
  joined(now: number, root: Uint8Array): void {
    this.parentGaveUp = undefined;
    if (this.watch.joined(toHex(root.subarray(0, 8)), now, this.#params.dead_root_ms) && this.watch.beats) this.#hello()?.soon();
  }

  /**
   * HelloListener: what our hellos say about the tree. `answer`: for a probe's answer
   * (hello-probe.ts), which does not use up the poison's hellos; a root's answer is a heartbeat.
   */
  helloFields(answer = false): HelloTreeFields {
    const t = this.#tree;
    const depth = t.packager().address?.coords.length ?? 255;
    if (this.#poison && this.#poison.left > 0) {
      if (!answer) this.#poison.left--;
      return { root: this.#poison.root, rootSeq: this.#poison.seq, depth, isRoot: false, flags: HelloFlag.ROOT_LOST };
    }
    // Stepped aside: no heartbeat (ours would lift the dead mark our old tree holds against us).
    if (t.silent()) return { root: t.root(), rootSeq: 0, depth, isRoot: false, flags: 0 };
    if (t.isRoot()) {
      this.watch.advance(this.watch.seq < 0 ? 0 : (this.watch.seq + 1) & 0xffff, t.now());
      this.watch.beats = true;
    }
    if (this.far()) return { root: t.root(), rootSeq: FAR_ROOT_SEQ, depth, isRoot: false, flags: 0, leads: t.leads() };
    const seq = Math.max(0, this.watch.seq);
    const beats = this.watch.beats;
    return { root: t.root(), rootSeq: beats || seq !== FAR_ROOT_SEQ ? seq : 0, depth, isRoot: t.isRoot(), flags: beats ? HelloFlag.BEATS : 0, leads: t.leads() };
  }

  /** HelloListener: our tree parent's peer key, and our root. */
  parentKey(): string | undefined { return this.#tree.parentKey(); }
  treeRoot(): Uint8Array { return this.#tree.root(); }

  /** HelloListener: a neighbour's hello. */
  onHello(peer: Peer, m: HelloMessage, now: number, restarted = false): void {
    const t = this.#tree;
    const key = peer.key; // read once: made on demand (peer.ts), and read up to seven times here
    if (restarted && key === t.parentKey()) {
      this.parentRebootedAt = now;
      this.advertOwed = key;
    }
    const ours = m.root.length === 8 && prefixEqual(m.root, t.root(), 8); // no view made per hello, nor the root's hex key
    if (m.flags & HelloFlag.ROOT_LOST) {
      const rootKey = toHex(m.root);
      if (peer.leaf) return; // a sleepy leaf is nobody's way to the root: its word does not count
      // What we heard ourselves counts too: the poisoner may know an older number than we do.
      this.markDeadRoot(rootKey, ours && this.watch.seq >= 0 && seqNewer(this.watch.seq, m.rootSeq) ? this.watch.seq : m.rootSeq, now);
      t.claims.forgetRoot(m.root);
      // Taken from our parent (our way to the root says it is gone), or from anyone who heard a newer
      // beat than we did (one who knows no more may only have lost its own way); with no beat heard,
      // only from the parent: where nodes send no hellos, parts of a tree never hear one (session 28).
      const fromParent = key === t.parentKey();
      const seq = this.watch.seq;
      if (ours && !t.isRoot() && (seq < 0 ? fromParent : fromParent ? !seqNewer(seq, m.rootSeq) : seqNewer(m.rootSeq, seq))) this.rootLost(now, 'poison');
      else if (ours && fromParent && !t.isRoot()) this.parentGaveUp ??= { at: now, parent: key };
      return;
    }
    // Our parent follows a worse root (its poison was lost, or refused): it gave ours up. (A
    // better one is formation: we follow it through its claim, as any neighbour's.)
    if (!ours && key === t.parentKey() && !t.isRoot() && compareBytes(t.scoreOfRoot(m.root), t.rootScore()) > 0 && !this.rejoining(now)) this.parentGaveUp ??= { at: now, parent: key };
    t.claims.touch(key, m.root, m.depth, now);
    if (ours && key === t.parentKey()) {
      if (saysFarRoot(m)) this.#farParent = key;
      else this.nearer(now);
    }
    // Our parent's depth is not ours minus one: it moved (a repair above us) and its SEND did not
    // reach us. Ask it again for an address under its new one (at most once per its period).
    // Its address tag tells a move at the same depth too (a child kept under a stale prefix could
    // share its address with a newcomer's child).
    const mine = t.packager().address;
    const depth = mine?.coords.length ?? 0;
    if (ours && key === t.parentKey() && !t.isRoot() && m.depth !== 255 && this.mayAsk(key, now, m.intervalMs, !parentMoved(m, mine, depth))) {
      t.request(peer.id, t.root(), key);
    }
    // Our parent rebooted and is back at its address with an empty table: our SEND tells it our
    // coordinate now, not at our next round, before a newcomer's REQUEST is given it
    // (tree-coordinates.ts `contested`: churn-100 seed 5, two nodes at one address for 26 s).
    if (this.advertOwed === key && ours && m.depth + 1 === depth && !parentMoved(m, mine, depth)) {
      this.advertOwed = undefined;
      t.advertiseTo(peer.id);
    }
    if (ours && (m.flags & HelloFlag.BEATS) !== 0) {
      if (this.watch.marked) this.watch.isDead(toHex(m.root), now, m.rootSeq); // a newer heartbeat lifts a dead mark
      if (this.watch.advance(m.rootSeq, now)) {
        this.watch.beats = true;
        if (!t.isRoot()) t.refreshed(now);
      }
      if (!below(peer, m.depth, mine)) this.watch.heardAround(m.rootSeq, now);
      return;
    }
    // A neighbour follows a better root: ask it for its claim (it answers our SEND with RESPOND).
    if (!ours && compareBytes(t.scoreOfRoot(m.root), t.rootScore()) < 0 && peer.usable(now)) {
      const beats = (m.flags & HelloFlag.BEATS) !== 0;
      const rootKey = toHex(m.root);
      if (this.watch.isDead(rootKey, now, beats ? m.rootSeq : undefined)) return;
      if (m.depth !== 255) this.newsOf()?.heard(m.root, m.depth + 1);
      if (beats) this.watch.heardAhead(rootKey, m.rootSeq);
      // Its claim is known and its address has no room for us: asking again changes nothing
      // (docs/routing.md "Any diameter"); its next SEND renews the claim if it moves.
      const held = t.claims.of(key);
      if (held?.full && bytesEqual(held.claim.subarray(0, m.root.length), m.root) && held.depth === m.depth) return;
      if (this.mayAsk(key, now, m.intervalMs)) t.advertiseTo(peer.id);
    }
  }

  onNews(blob: Uint8Array, from: Delivery): void { // HelloListener: news of a better root from a neighbour
    this.newsOf()?.receive(blob, from);
  }

  /** News, made with the first while it is on (tree-news.ts). */
  private newsOf(): TreeNews | undefined {
    const event = this.#tree.newsEvent?.();
    return event === undefined ? undefined : (this.news ??= new TreeNews(this.#tree, this.watch, event, this.#params.claim_pace_ms ?? 0, this.#params.address_levels));
  }

  /** How long to wait before joining `claim`'s tree: news of a better root is on its way (0: go). */
  newsWait(claim: Uint8Array, score: Uint8Array, now: number): number { return this.news?.waitBefore(claim, score, now) ?? 0; }

  /** Remember `root` dead (root-watch.ts): numbers our neighbours carry for two hello periods only raise the mark. */
  private markDeadRoot(root: string, seq: number, now: number): void {
    const interval = this.#hello()?.params.interval_ms ?? this.#params.tree_maintenance_delay;
    this.watch.markDead(root, seq, now + this.#params.dead_root_ms, now + 2 * interval);
  }

  /** How long our root may go without a heartbeat reaching us before we give it up (root-watch.ts). */
  private beatTimeout(parentPeriod: number, hello: Hello | undefined): number {
    return beatTimeout(parentPeriod, hello?.params.interval_ms ?? this.#params.tree_maintenance_delay, this.#tree.packager().address?.coords.length ?? 1, this.#params.max_tree_age);
  }

  /** At most one question to a peer per two of its hello periods (the table is capped). */
  private mayAsk(key: string, now: number, intervalMs: number, skip = false): boolean {
    if (skip) return false;
    const asked = this.#asked?.get(key);
    if (asked !== undefined && now - asked < 2 * intervalMs) return false;
    this.#asked?.delete(key);
    (this.#asked ??= new Map()).set(key, now);
    if ((this.#asked?.size ?? 0) > this.#params.claims_limit) this.#asked?.delete((this.#asked as Map<string, number>).keys().next().value as string);
    return true;
  }
}
