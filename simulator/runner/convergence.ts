/**
 * Watches the tree: the run samples every node's view at a fixed period and this judges each
 * sample, per connected part of the live radio graph (live-parts.ts). A part is converged when
 * every live node in it has an address, all follow the same root and tree state, addresses are
 * distinct, each follows a live parent of the part (a subtree still following a dead relay has
 * not re-converged), and that root is a live node of the same part (not a dead or cut-off one:
 * survivors still following the old root after a root kill have not). A sample is converged
 * when every part is. Per-event figures are derived from the samples in reconvergence.ts.
 *
 * A mesh wider than a tree's 32 levels never has one tree: it settles as trees joined by borders
 * (docs/routing.md "Any diameter"). A part is *joined* when it is that structure at rest (see
 * `joinedPart`); a converged part is joined, so `joined` comes no later than `converged`.
 */
import type { Parts } from './live-parts.js';
import { eventFigures, type ChurnMark, type Reconvergence, type SampleMark, type WindowDelivery } from './reconvergence.js';
import type { TreeView } from './sim-node.js';

export type { Reconvergence } from './reconvergence.js';

/** One connected part of the live mesh and its tree, as the report shows it. */
export interface PartReport {
  /** Node indices in the part. */
  readonly nodes: readonly number[];
  /** Distinct roots its nodes follow. */
  readonly roots: number;
  /** The root id (hex) when all its nodes follow one root, else null. */
  readonly root: string | null;
  readonly converged: boolean;
  /** One tree, or trees that meet only where the better tree is full (a settled structure). */
  readonly joined: boolean;
}

export interface Judgement {
  readonly converged: boolean;
  /** Every part joined (one tree or trees joined by borders). */
  readonly joined: boolean;
  readonly parts: readonly PartReport[];
  /** Distinct roots followed by live nodes, over all parts. */
  readonly roots: number;
  /** Live nodes whose chain of parents comes back on itself (on a parent loop or hanging from one). */
  readonly looped: number;
  /** Live nodes whose address another live node of the same tree holds too. */
  readonly shared: number;
}

/** Judge one sample: `views` by node index, `parts` of the live nodes, node id hex → index. */
export function judge(views: readonly (TreeView | undefined)[], parts: Parts, indexOfId: ReadonlyMap<string, number>): Judgement {
  const out: PartReport[] = [];
  const all = new Set<string>();
  let shared = 0;
  const loops = loopMarks(views, indexOfId);
  parts.members.forEach((nodes, p) => {
    const roots = new Set<string>();
    // Per root: its tree state and the addresses seen in it (distinct within one tree).
    const trees = new Map<string, { state: number; addresses: Map<string, number> }>();
    let ok = true;
    for (const i of nodes) {
      const v = views[i];
      if (!v) {
        ok = false;
        continue;
      }
      roots.add(v.root);
      all.add(v.root);
      let tree = trees.get(v.root);
      if (!tree) trees.set(v.root, (tree = { state: v.treeState, addresses: new Map() }));
      const holders = v.address === undefined ? 0 : (tree.addresses.get(v.address) ?? 0);
      if (v.address === undefined || holders > 0) ok = false;
      if (v.address !== undefined) tree.addresses.set(v.address, holders + 1);
      if (v.treeState !== tree.state) ok = false;
    }
    // Every node follows a live parent of this part: after a relay's death its subtree may keep
    // following it, and their addresses under it, reachable from nowhere else. (A parent's
    // address may move a moment before its children's follow: that is no break.)
    for (const i of nodes) {
      const parent = views[i]?.parent;
      if (parent === undefined) continue;
      const at = indexOfId.get(parent);
      if (at === undefined || parts.of[at] !== p) ok = false;
    }
    // ... and the parents lead to a root: two live nodes may follow each other, each with a
    // distinct address of the tree (a relay that rebooted took an address under its old child,
    // which still followed it: churn-100 seed 4, for a minute and more), cut off from the root.
    for (const i of nodes) if (loops[i] === LOOPED) ok = false;
    // Every tree's root is a live node of this part (not a dead or cut-off one).
    for (const r of roots) {
      const home = indexOfId.get(r);
      if (home === undefined || parts.of[home] !== p) ok = false;
    }
    for (const t of trees.values()) for (const n of t.addresses.values()) if (n > 1) shared += n;
    const root = roots.size === 1 ? [...roots][0] : null;
    const converged = ok && root !== null;
    const joined = converged || (ok && joinedPart(views, nodes, parts.adj));
    out.push({ nodes, roots: roots.size, root, converged, joined });
  });
  let looped = 0;
  for (const mark of loops) if (mark === LOOPED) looped++;
  return { converged: out.length > 0 && out.every((p) => p.converged), joined: out.length > 0 && out.every((p) => p.joined), parts: out, roots: all.size, looped, shared };
}

/** A loopMarks mark: the node's chain of parents comes back on itself (it is on a loop or hangs from one). */
const LOOPED = 3;

/**
 * By node index: LOOPED when the node's chain of parents comes back on itself, 2 when it ends (at
 * a root, or at a parent that is not running: the live-parent rule judges that), 0 for a node not
 * running. One pass: each node is walked once (1 while on the chain walked now).
 */
export function loopMarks(views: readonly (TreeView | undefined)[], indexOfId: ReadonlyMap<string, number>): Uint8Array {
  const marks = new Uint8Array(views.length);
  const next = (i: number): number | undefined => {
    const parent = views[i]?.parent;
    return parent === undefined ? undefined : indexOfId.get(parent);
  };
  for (let start = 0; start < views.length; start++) {
    if (marks[start] !== 0 || !views[start]?.running) continue;
    let i: number | undefined = start;
    while (i !== undefined && marks[i] === 0 && views[i]?.running) {
      marks[i] = 1;
      i = next(i);
    }
    const mark = i !== undefined && (marks[i] === 1 || marks[i] === LOOPED) ? LOOPED : 2;
    for (let k: number | undefined = start; k !== undefined && marks[k] === 1; k = next(k)) marks[k] = mark;
  }
  return marks;
}

/**
 * Trees that meet only at borders: across every usable link between two trees, the node on the
 * better root's side (lower claim score) is full, or near full while the other is settled in its
 * tree (tree-claims.ts mayCross), so the other could not join it (docs/routing.md "Any diameter",
 * rule 1). A node next to a better tree with room would still move: not at rest.
 */
function joinedPart(views: readonly (TreeView | undefined)[], nodes: readonly number[], adj: readonly (readonly number[])[]): boolean {
  for (const u of nodes) {
    const a = views[u]!;
    for (const w of adj[u]) {
      const b = views[w];
      if (!b || b.root === a.root) continue;
      const [better, worse] = b.score < a.score ? [b, a] : a.score < b.score ? [a, b] : [undefined, undefined];
      if (better === undefined || !(better.full || (better.nearFull && worse.settled))) return false;
    }
  }
  return true;
}

/** Distinct roots followed by live nodes. */
export function rootsOf(views: readonly (TreeView | undefined)[]): Map<string, number> {
  const roots = new Map<string, number>();
  for (const v of views) if (v?.running) roots.set(v.root, (roots.get(v.root) ?? 0) + 1);
  return roots;
}

export class ConvergenceWatch {
  readonly #indexOfId: ReadonlyMap<string, number>;
  #first: number | null = null;
  #firstJoined: number | null = null;
  #last: Judgement = { converged: false, joined: false, parts: [], roots: 0, looped: 0, shared: 0 };
  /** Live nodes on or under a parent loop, times the ms to the next sample, summed. */
  #loopedNodeMs = 0;
  /** Live nodes sharing their address with another of their tree, times the ms to the next sample, summed. */
  #sharedNodeMs = 0;
  readonly #samples: SampleMark[] = [];
  readonly #events: ChurnMark[] = [];
  #latest: readonly (TreeView | undefined)[] = [];

  constructor(indexOfId: ReadonlyMap<string, number>) {
    this.#indexOfId = indexOfId;
  }

  /** A sample at `time`: every node's view and the live parts at that moment. */
  observe(time: number, views: readonly (TreeView | undefined)[], parts: Parts): void {
    this.#latest = views;
    const j = judge(views, parts, this.#indexOfId);
    const prev = this.#samples.at(-1);
    if (prev && prev.t < time) {
      // The previous sample's, until this one.
      this.#loopedNodeMs += this.#last.looped * (time - prev.t);
      this.#sharedNodeMs += this.#last.shared * (time - prev.t);
    }
    this.#last = j;
    // The run's last sample may fall on a regular one: keep one per instant (the later).
    if (prev && prev.t === time) this.#samples.pop();
    this.#samples.push({ t: time, converged: j.converged, roots: j.roots, parts: j.parts.length });
    if (j.converged && this.#first === null) this.#first = time;
    if (j.joined && this.#firstJoined === null) this.#firstJoined = time;
  }

  /** A churn event was applied now (`node`: the node it took down or up, `name`: a partition's). */
  churn(time: number, action: string, detail: { node?: number; name?: string } = {}): void {
    this.#events.push({ event_ms: time, action, ...detail });
  }

  /** The last sample (a run's view of addresses and roots between samples). */
  get latest(): readonly (TreeView | undefined)[] {
    return this.#latest;
  }

  get convergedMs(): number | null {
    return this.#first;
  }

  get convergedNow(): boolean {
    return this.#last.converged;
  }

  /** First sample at which every part was one tree or trees joined by borders; null = never. */
  get joinedMs(): number | null {
    return this.#firstJoined;
  }

  get joinedNow(): boolean {
    return this.#last.joined;
  }

  /** Node-seconds spent on or under a parent loop: each sample's such live nodes times the time to the next sample. */
  get loopedNodeS(): number {
    return Math.round(this.#loopedNodeMs / 1000);
  }

  /** Node-seconds live nodes spent at an address another live node of their tree held too. */
  get sharedAddressNodeS(): number {
    return Math.round(this.#sharedNodeMs / 1000);
  }

  /** Distinct roots followed by live nodes at the last sample. */
  get roots(): number {
    return this.#last.roots;
  }

  /** The parts of the last sample. */
  get parts(): readonly PartReport[] {
    return this.#last.parts;
  }

  /** Per churn event figures; `delivery` counts the traffic sent in a window (ledger.window). */
  reconvergence(endMs: number, delivery: (fromMs: number, toMs: number) => WindowDelivery): Reconvergence[] {
    return eventFigures(this.#events, this.#samples, endMs, delivery);
  }
}
