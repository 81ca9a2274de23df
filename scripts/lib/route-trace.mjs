// The tracer behind scripts/route-losses.mjs (docs/simulator.md "Where routed messages are
// lost"): one in-process run with a listener on the medium that follows each routed traffic
// message hop by hop, and a look inside the nodes (their addresses and neighbours) through a
// wrapped InprocDriver while they still run. The simulator's modules are passed in (`deps`) so
// that the script loads them bundled and the tests load them through Jest.
import { lastHolder } from './message-trace.mjs';

/** Held without a drop this close to the run's end: counted `late`, perhaps still on its way. */
const LATE_MS = 5000;
/** Counters of a holder that say it dropped a packet (`drop_*` and these). */
const DROP_COUNTERS = Object.freeze(['hop_gave_up', 'send_retry_failed', 'radio_refused', 'outbound_packet_evicted']);
const isDropCounter = (name) => name.startsWith('drop_') || DROP_COUNTERS.includes(name);
const hex = (b) => Buffer.from(b).toString('hex');
const END_TO_END_ACK = 2;

/**
 * deps: { runScenario, InprocDriver, memoHashes, nodeHashes, parsePacket, Address, SimNodeApps, PingOp }.
 * Returns trace(scenario, { examples }) → the seed's row (see route-losses.mjs).
 */
export function routeTracer(deps) {
  const apps = new deps.SimNodeApps(deps.nodeHashes).all;
  const idOf = (name) => hex(apps.find((a) => a.name === name).id);
  const ping = idOf('Ping');
  const blob = idOf('SimTraffic');

  return async function trace(scenario, { examples = 0 } = {}) {
    const traffic = scenario.traffic ?? [];
    const start = traffic.length > 0 ? Math.min(...traffic.map((t) => t.start_ms ?? 0)) : 0;
    const lateFrom = scenario.duration_ms - LATE_MS;
    let driver;
    let nodes = 0;
    const messages = new Map(); // Package hex → message
    let pending = []; // receipts whose holder's drop counters are compared at the next event

    const packagerOf = (i) => driver?.node(i)?.node?.packager;
    const addressText = (a) => (a ? `${a.treeState}:${a.toString()}` : 'none');
    const isTarget = (i, treeState, bytes) => (packagerOf(i)?.addresses ?? []).some((a) => a.treeState === treeState && hex(a.bytes) === bytes);
    const dropsOf = (i) => {
      const all = packagerOf(i)?.counters.snapshot() ?? {};
      return Object.fromEntries(Object.entries(all).filter(([k]) => isDropCounter(k)));
    };
    // Whether routing may use `peer` now, read on a copy of its link estimate: reading the
    // estimate itself moves its good/bad hysteresis (LinkEstimate.figures), and looking changed
    // the run (session 35: --examples gave the dumbbell's seed 2 90.2 % where the run gave 96.7 %).
    const usable = (peer, now) => {
      const link = peer.link;
      if (!link) return peer.usable(now);
      const copy = link.detached();
      return copy.good(now) && !copy.slowAndSilent(now) && !peer.gone(now, copy);
    };
    const neighboursIn = (i, treeState, now) => {
      const out = [];
      for (const peer of packagerOf(i)?.peers ?? []) {
        const inTree = peer.addrs.filter((a) => a.treeState === treeState).map((a) => a.toString());
        if (inTree.length > 0) out.push(inTree.join('|') + (usable(peer, now) ? '' : '(unusable)'));
      }
      return out;
    };

    // What a holder outside the target's tree routes by (borders.ts): its gateways in its own
    // tree with their tree distance, and the trees its usable neighbours are in now. Read from
    // the table's columns, so that looking does not expire entries early.
    const borderView = (i, now) => {
      const pk = packagerOf(i);
      const b = pk?.borders;
      const own = pk?.address;
      if (!b || !own) return undefined;
      const gateways = [];
      for (let k = 0; k < (b.count ?? 0); k++) {
        if (b.expires[k] <= now || b.near[k] !== own.treeState) continue;
        const gw = deps.Address.fromBytes(b.near[k], b.gateways.slice(k * 16, k * 16 + 16));
        if (gw.ok) gateways.push(`${b.far[k]}<${gw.value.toString()}(d${treeDistance(own.coords, gw.value.coords)})`);
      }
      const across = new Set();
      for (const peer of pk.peers) {
        const a = peer.addrs[peer.addrs.length - 1];
        if (a && a.treeState !== own.treeState && usable(peer, now)) across.add(a.treeState);
      }
      return `gateways [${gateways.join(' ')}] across [${[...across].join(' ')}]`;
    };

    /** The drop counters that rose at holders since their receipts: credited to the message. */
    const settle = (now) => {
      const keep = [];
      for (const p of pending) {
        if (p.time >= now) {
          keep.push(p);
          continue;
        }
        const after = dropsOf(p.node);
        p.receipt.rose = Object.keys(after).filter((k) => after[k] > (p.before[k] ?? 0));
      }
      pending = keep;
    };

    const onFrame = (e) => {
      if (pending.length > 0) settle(e.time);
      if (e.time < start - 1000 || e.broadcast) return;
      const p = deps.parsePacket(e.frame);
      if (!p.ok || p.value.toAddr === undefined || ((p.value.flags >> 3) & 7) === END_TO_END_ACK) return;
      const body = p.value.body;
      if (body.length < 33) return;
      const app = hex(body.subarray(0, 16));
      if (app !== blob && !(app === ping && body[32] === deps.PingOp.REQUEST)) return;
      const key = hex(body);
      let m = messages.get(key);
      if (!m) {
        const bytes = hex(p.value.toAddr);
        let dst = -1;
        for (let i = 0; i < nodes && dst < 0; i++) if (isTarget(i, p.value.treeState, bytes)) dst = i;
        const target = deps.Address.fromBytes(p.value.treeState, p.value.toAddr);
        m = { target: target.ok ? addressText(target.value) : `${p.value.treeState}:${bytes}`, src: e.from, dst, treeState: p.value.treeState, bytes, frames: [], firstFrom: new Map([[e.from, -1]]), loop: false, done: false };
        messages.set(key, m);
      }
      if (m.done) return;
      const frame = { time: e.time, from: e.from, to: e.to, outcome: e.outcome };
      m.frames.push(frame);
      if (examples > 0) {
        frame.from_address = addressText(packagerOf(e.from)?.address);
        frame.to_address = e.to >= 0 ? addressText(packagerOf(e.to)?.address) : 'none';
      }
      if (e.outcome !== 'delivered' || e.to < 0) return;
      if (isTarget(e.to, m.treeState, m.bytes)) {
        m.done = true;
        m.frames = []; // a long run keeps only the lost messages' frames
        return;
      }
      if (!m.loop) m.loop = returned(m, e.from, e.to);
      // A border holds an address in each tree it joins: any of them in the target's tree counts.
      frame.inTargetTree = (packagerOf(e.to)?.addresses ?? []).some((a) => a.treeState === m.treeState);
      pending.push({ time: e.time, node: e.to, before: dropsOf(e.to), receipt: frame });
      if (examples > 0) frame.neighbours = neighboursIn(e.to, m.treeState, e.time);
      if (examples > 0 && !frame.inTargetTree) {
        // How the sender saw the receiver: the addresses it routed on (the newest last).
        const key = packagerOf(e.to)?.nodeKey;
        const seen = [...(packagerOf(e.from)?.peers ?? [])].find((q) => q.key === key);
        frame.border = `${borderView(e.to, e.time)}; ${e.from} saw ${e.to} as ${seen ? seen.addrs.map(addressText).join(' then ') : 'no peer'}`;
      }
    };

    const result = await deps.runScenario(scenario, {
      driver: (setup) => {
        nodes = setup.radios.length;
        driver = new deps.InprocDriver(setup, deps.memoHashes(deps.nodeHashes));
        const close = driver.close.bind(driver);
        // Look at the holders' counters before the nodes shut down.
        driver.close = async () => {
          settle(Infinity);
          return close();
        };
        return driver;
      },
      onWorld: (world) => world.medium.onFrame(onFrame),
    });
    if (!result.ok) throw new Error(`seed ${scenario.seed}: ${result.error?.message ?? 'run failed'}`);
    return rowOf(scenario.seed, result.report, messages, examples, lateFrom);
  };
}

/**
 * Whether `to` receiving the message from `from` closes a loop: `to` is on the path by which
 * `from` first got it (a node's first receipt names its predecessor; the source has none). A
 * hop resent by the same sender, or a copy that reached a node again along another path, is not.
 * `m.firstFrom`: node → the sender of its first receipt, seeded with the source → -1.
 */
export function returned(m, from, to) {
  if (!m.firstFrom.has(to)) {
    m.firstFrom.set(to, from);
    return false;
  }
  for (let n = from, steps = 0; n >= 0 && steps <= m.firstFrom.size; n = m.firstFrom.get(n) ?? -1, steps++) if (n === to) return true;
  return false;
}

function rowOf(seed, report, messages, examples, lateFrom) {
  const refused = { ...(report.send_failed ?? {}) };
  const row = {
    seed,
    sent: report.sent,
    delivered: report.delivered,
    delivered_pct: report.delivery_ratio * 100,
    lost: report.sent - report.delivered,
    refused,
    no_frame: 0,
    loop: 0,
    held_in_target_tree: 0,
    held_in_other_tree: 0,
    radio: {},
    late: 0,
    lost_on_hop: {},
    holder_counters: {},
    examples: [],
  };
  let traced = 0;
  const lostOnes = [];
  for (const m of messages.values()) {
    if (m.done) continue;
    traced++;
    const { holder, sent, hop } = lastHolder(m.frames, m.src);
    const receipt = m.frames.findLast((f) => f.outcome === 'delivered' && f.to === holder);
    // Nothing sent after it arrived: the holder dropped it, or still held it as the run ended.
    const kept = sent.length === 0 || sent[sent.length - 1].time < (receipt?.time ?? -1);
    if (kept) for (const c of receipt?.rose ?? []) row.holder_counters[c] = (row.holder_counters[c] ?? 0) + 1;
    let cls;
    if (m.loop) cls = 'loop';
    else if (kept) {
      if (receipt && receipt.time >= lateFrom && !(receipt.rose?.length > 0)) cls = 'late';
      else cls = (receipt?.inTargetTree ?? true) ? 'held_in_target_tree' : 'held_in_other_tree';
    } else cls = `radio:${sent[sent.length - 1].outcome}`;
    if (cls.startsWith('radio:')) row.radio[cls.slice(6)] = (row.radio[cls.slice(6)] ?? 0) + 1;
    else row[cls]++;
    row.lost_on_hop[hop] = (row.lost_on_hop[hop] ?? 0) + 1;
    if (examples > 0) lostOnes.push(exampleOf(m, cls, holder, receipt));
  }
  // One example per kind of loss and flow first: a flow stuck in one loop should not fill them all.
  const seen = new Set();
  const firsts = lostOnes.filter((x) => !seen.has(`${x.class}/${x.src}/${x.dst}`) && seen.add(`${x.class}/${x.src}/${x.dst}`));
  row.examples = [...firsts, ...lostOnes.filter((x) => !firsts.includes(x))].slice(0, examples);
  const refusedCount = Object.values(refused).reduce((a, b) => a + b, 0);
  row.no_frame = Math.max(0, row.lost - traced - refusedCount);
  return row;
}

/** Hops between two coordinate lists through their deepest common ancestor (wire/address.ts dTree). */
function treeDistance(a, b) {
  let common = 0;
  while (common < a.length && common < b.length && a[common] === b[common]) common++;
  return a.length + b.length - 2 * common;
}

function exampleOf(m, cls, holder, receipt) {
  return {
    class: cls,
    src: m.src,
    dst: m.dst,
    target: m.target,
    frames: m.frames.length,
    // The nodes that received it, in order (a repeat of the one before left out), the first 16.
    path: [m.src, ...m.frames.filter((f) => f.outcome === 'delivered').map((f) => f.to)].filter((n, i, all) => i === 0 || n !== all[i - 1]).slice(0, 16),
    // Addresses and neighbours as each frame went (the nodes are shut down by now).
    last_hops: m.frames.slice(-4).map((f) => ({ time_ms: Math.round(f.time), from: f.from, from_address: f.from_address, to: f.to, to_address: f.to_address, outcome: f.outcome, border: f.border })),
    holder: { index: holder, address: receipt?.to_address ?? m.frames[0].from_address, neighbours: receipt?.neighbours ?? [] },
  };
}
