/**
 * Entry of the step-by-step memory profile (scripts/bench-memory-steps.mjs): one xsnap-worker
 * builds a full node a piece at a time, and the host weighs the live heap after each piece, so
 * the 0-peer figure of scripts/bench-memory.mjs splits into what each part allocates at
 * construction, when attached, when started and while it runs. Input: a step name; `steps`
 * lists them in order. Everything stays reachable from `kept`. A guide, not a target.
 */
import { portableHashes } from '../modules/mycelium/platform/portable.js';
import type { Platform } from '../modules/mycelium/platform/platform.js';
import { PackagerContext } from '../modules/mycelium/packager/context.js';
import { Wiring } from '../modules/mycelium/packager/wiring.js';
import { Neighbours } from '../modules/mycelium/packager/neighbours.js';
import { Datagrams } from '../modules/mycelium/packager/datagrams.js';
import { Forwarding } from '../modules/mycelium/packager/forwarding.js';
import { Reliability } from '../modules/mycelium/packager/reliability.js';
import { Applications } from '../modules/mycelium/packager/applications.js';
import { Fragments } from '../modules/mycelium/packager/fragments.js';
import { Sending } from '../modules/mycelium/packager/sending.js';
import { HopReceipts } from '../modules/mycelium/packager/hop-receipts.js';
import { Receiver } from '../modules/mycelium/packager/receiver.js';
import { DEFAULT_LIMITS, DEFAULT_TIMINGS } from '../modules/mycelium/packager/options.js';
import { Node } from '../modules/mycelium/node.js';
import { LoopbackRadio } from '../modules/mycelium/packager/loopback.js';
import { Beacon } from '../modules/mycelium/apps/beacon.js';
import { Gossip } from '../modules/mycelium/apps/gossip.js';
import { SpanningTree } from '../modules/mycelium/apps/spanning-tree.js';
import { Ping } from '../modules/mycelium/apps/ping.js';
import { DebugApp } from '../modules/mycelium/apps/debug.js';
import { Hello } from '../modules/mycelium/apps/hello.js';
import type { Radio } from '../modules/mycelium/packager/radio.js';
import { ESPNOW_BITRATE, ESPNOW_MTU, ESPNOW_NAME } from '../modules/mycelium/wire/constants.js';
import { ESPNOW_SCHEMA_IDS } from '../modules/mycelium/wire/schemas.js';

declare global {
  var handleInput: (input: string) => string | Promise<string>;
}

interface Timer {
  due: number;
  seq: number;
  cb: (() => void) | undefined;
}

/** A still clock with a sorted timer list: enough for a lone node. */
class StepClock {
  now = 1_000_000;
  seq = 0;
  timers: Timer[] = [];
  platform(): Platform {
    return {
      now: () => this.now,
      setTimeout: (cb, ms) => {
        const t = { due: this.now + Math.max(0, ms), seq: this.seq++, cb };
        this.timers.push(t);
        return t;
      },
      clearTimeout: (h) => {
        (h as Timer).cb = undefined;
      },
      sha256: portableHashes.sha256,
      crc32: portableHashes.crc32,
      randomBytes: (into) => {
        for (let i = 0; i < into.length; i++) into[i] = (i * 37 + this.seq) & 0xff;
        return into;
      },
      log: () => {},
    };
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      this.timers = this.timers.filter((t) => t.cb);
      let next: Timer | undefined;
      for (const t of this.timers) if (t.due <= end && (!next || t.due < next.due || (t.due === next.due && t.seq < next.seq))) next = t;
      if (!next) break;
      const cb = next.cb as () => void;
      next.cb = undefined;
      this.now = next.due;
      cb();
    }
    this.now = end;
    this.timers = this.timers.filter((t) => t.cb);
  }
}

function silentRadio(): Radio {
  return { name: ESPNOW_NAME, bitrate: ESPNOW_BITRATE, schemaIds: ESPNOW_SCHEMA_IDS, mtu: ESPNOW_MTU, send: () => true, broadcast: () => true, onReceive: undefined };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const kept: Record<string, any> = {};
(globalThis as { kept?: unknown }).kept = kept;
const id = new Uint8Array(32).fill(5);

/** The Packager's parts as its constructor builds them, one step each; then a Node and its apps. */
const STEPS: Readonly<Record<string, () => void>> = Object.freeze({
  setup: () => {
    portableHashes.sha256(new Uint8Array(1));
    kept.clock = new StepClock();
    kept.platform = kept.clock.platform();
    kept.radio = silentRadio();
  },
  'PackagerContext (counters, hooks, scheduler, id leases)': () => {
    kept.ctx = new PackagerContext(kept.platform, 'aa'.repeat(32), DEFAULT_TIMINGS, DEFAULT_LIMITS);
  },
  'Wiring + Neighbours (routes, link index, learned paths, borders)': () => {
    kept.wiring = new Wiring();
    kept.neighbours = new Neighbours(kept.ctx, kept.wiring);
  },
  'Datagrams (hop custody)': () => {
    kept.datagrams = new Datagrams(kept.ctx, kept.wiring);
  },
  'Forwarding (loop guard, relay limit)': () => {
    kept.forwarding = new Forwarding(kept.ctx, kept.neighbours, kept.datagrams);
  },
  'Reliability (packet and sequence caches)': () => {
    kept.reliability = new Reliability(kept.ctx, kept.forwarding, kept.datagrams, kept.wiring);
  },
  Applications: () => {
    kept.applications = new Applications(kept.ctx);
  },
  'Fragments (inbound table, completed)': () => {
    kept.fragments = new Fragments(kept.ctx, kept.wiring, kept.forwarding, kept.datagrams);
  },
  'Sending (wake queue, broadcast pacer)': () => {
    kept.sending = new Sending(kept.ctx, kept.neighbours, kept.forwarding, kept.reliability, true);
  },
  HopReceipts: () => {
    kept.hopReceipts = new HopReceipts(kept.ctx, kept.datagrams);
  },
  'Receiver (delivered messages)': () => {
    const k = kept;
    kept.receiver = new Receiver(k.ctx, { neighbours: k.neighbours, datagrams: k.datagrams, forwarding: k.forwarding, reliability: k.reliability, fragments: k.fragments, applications: k.applications, hopReceipts: k.hopReceipts });
  },
  'Node (its Packager), no radio': () => {
    kept.node = new Node({ platform: kept.platform, nodeId: id, loopback: false });
  },
  'loopback attached': () => kept.node.packager.addInterface(new LoopbackRadio(kept.platform)),
  'radio attached': () => kept.node.addRadio(kept.radio),
  'Beacon built': () => (kept.beacon = new Beacon(portableHashes)),
  'Gossip built': () => (kept.gossip = new Gossip(portableHashes)),
  'SpanningTree built': () => (kept.tree = new SpanningTree(portableHashes)),
  'Ping built': () => (kept.ping = new Ping(portableHashes)),
  'DebugApp built': () => (kept.debug = new DebugApp(portableHashes)),
  'Hello built': () => (kept.hello = new Hello(portableHashes)),
  'node started, no apps': () => kept.node.start(),
  'Beacon added and started': () => kept.node.addApp(kept.beacon),
  'Gossip added and started': () => kept.node.addApp(kept.gossip),
  'SpanningTree added and started': () => kept.node.addApp(kept.tree),
  'Ping added and started': () => kept.node.addApp(kept.ping),
  'DebugApp added and started': () => kept.node.addApp(kept.debug),
  'Hello added and started': () => kept.node.addApp(kept.hello),
  'ran 100 ms': () => kept.clock.advance(100),
  'ran 1 s': () => kept.clock.advance(900),
  'ran 30 s': () => kept.clock.advance(29_000),
  'ran 120 s': () => kept.clock.advance(90_000),
});

/** With `count`: where Maps, Sets and typed arrays are made (call sites from XS stacks). */
const made: Record<string, number> = {};
const tables: [string, WeakRef<Map<unknown, unknown> | Set<unknown>>][] = [];
function countAllocations(): void {
  const site = (kind: string): string => {
    const lines = (new Error().stack ?? '').split('\n').slice(2, 5).map((l) => l.trim().replace(/\(.*\/modules\/mycelium\//, '('));
    const k = kind + ' ' + lines.join(' < ');
    made[k] = (made[k] ?? 0) + 1;
    return k;
  };
  const G = globalThis as Record<string, unknown>;
  const M = Map;
  const S = Set;
  const U = Uint8Array;
  G.Map = class extends M<unknown, unknown> {
    constructor(i?: Iterable<readonly [unknown, unknown]>) {
      super(i as never);
      tables.push([site('Map'), new WeakRef(this)]);
    }
  };
  G.Set = class extends S<unknown> {
    constructor(i?: Iterable<unknown>) {
      super(i as never);
      tables.push([site('Set'), new WeakRef(this)]);
    }
  };
  void U;
}

globalThis.handleInput = (input: string) => {
  if (input === 'count') {
    countAllocations();
    return '';
  }
  if (input === 'made') return JSON.stringify(made);
  if (input === 'sizes') {
    const out: Record<string, unknown> = { ...kept.node.packager.sizes(), counters: Object.keys(kept.node.packager.counters.snapshot()).length };
    for (const a of kept.node.apps) if (typeof a.cacheEntries === 'number') out.gossipCache = a.cacheEntries;
    return JSON.stringify(out);
  }
  if (input === 'empty') {
    (globalThis as { gc?: () => void }).gc?.();
    const out: Record<string, string> = {};
    for (const [k, ref] of tables) {
      const t = ref.deref();
      if (!t) continue;
      out[k] = (out[k] ? out[k] + ',' : '') + t.size;
    }
    return JSON.stringify(out);
  }
  if (input === 'steps') return JSON.stringify(Object.keys(STEPS));
  if (input === 'timers') return `${kept.clock.timers.length}: ${(kept.node?.packager.scheduledIds() ?? []).map((i: string) => i.replace(/^[0-9a-f]{32}/, (h) => kept.node.apps.find((a: { idHex: string }) => a.idHex === h)?.name ?? h)).join(', ')}`;
  STEPS[input]?.();
  (globalThis as { gc?: () => void }).gc?.();
  return '';
};
