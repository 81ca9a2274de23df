/**
 * What one attacker knows, all of it heard on the air: its own id, address and root (from the
 * frames its own node sends through the TapRadio), its neighbours' ids and MACs (their beacons),
 * nodes' tree addresses (adverts), and recorded frames to replay later (tree ASSIGNs, Gossip
 * PUBLISHes). Every table is capped, oldest out.
 */
import { BeaconOp, parseBeacon } from '../../modules/mycelium/wire/messages/beacon.js';
import { GossipOp } from '../../modules/mycelium/wire/messages/gossip.js';
import { TreeOp, parseTree } from '../../modules/mycelium/wire/messages/tree.js';
import { toHex } from '../../modules/mycelium/wire/bytes.js';
import { isApp, type AppIds, type Heard } from './frames.js';

const NEIGHBOURS = 64;
const ADDRESSES = 256;
/** Recordings kept per kind. */
const RECORDED = 32;

export interface Neighbour {
  readonly id: Uint8Array;
  readonly mac: Uint8Array;
}

export interface TreePlace {
  readonly id: Uint8Array;
  readonly claim: Uint8Array;
  readonly address: Uint8Array;
}

/** A frame heard on the air, kept to be sent again. */
export interface Recording {
  readonly at: number;
  readonly kind: 'assign' | 'publish';
  readonly frame: Uint8Array;
  readonly srcMac: Uint8Array;
  /** Undefined: it was a broadcast. */
  readonly destMac: Uint8Array | undefined;
}

export class Knowledge {
  readonly #apps: AppIds;
  ownId: Uint8Array | undefined;
  /** Own tree address and root, from our node's last advert. */
  own: TreePlace | undefined;
  readonly neighbours = new Map<string, Neighbour>();
  readonly places = new Map<string, TreePlace>();
  readonly recorded: Recording[] = [];
  readonly #recordedKeys = new Set<string>();

  constructor(apps: AppIds) {
    this.#apps = apps;
  }

  /** A frame our own node sends. */
  ownFrame(h: Heard): void {
    if (isApp(h, this.#apps.beacon)) {
      const b = parseBeacon(h.blob);
      if (b.ok) this.ownId = b.value.nodeId.slice();
    } else if (isApp(h, this.#apps.tree)) {
      const t = parseTree(h.blob);
      if (t.ok && (t.value.op === TreeOp.SEND || t.value.op === TreeOp.RESPOND)) {
        this.own = { id: t.value.nodeId.slice(), claim: t.value.claim.slice(), address: t.value.address.slice() };
      }
    }
  }

  /** A frame another node sent within our reach (promiscuous listening). */
  overheard(h: Heard, frame: Uint8Array, srcMac: Uint8Array, destMac: Uint8Array | undefined, now: number): void {
    if (isApp(h, this.#apps.beacon)) {
      const b = parseBeacon(h.blob);
      if (b.ok && b.value.op !== BeaconOp.DISCONNECT) put(this.neighbours, toHex(b.value.nodeId), { id: b.value.nodeId.slice(), mac: srcMac.slice() }, NEIGHBOURS);
    } else if (isApp(h, this.#apps.tree)) {
      const t = parseTree(h.blob);
      if (!t.ok) return;
      const m = t.value;
      if (m.op === TreeOp.SEND || m.op === TreeOp.RESPOND) put(this.places, toHex(m.nodeId), { id: m.nodeId.slice(), claim: m.claim.slice(), address: m.address.slice() }, ADDRESSES);
      else if (m.op === TreeOp.ASSIGN_ADDRESS && destMac) this.#record({ at: now, kind: 'assign', frame: frame.slice(), srcMac: srcMac.slice(), destMac: destMac.slice() });
    } else if (isApp(h, this.#apps.gossip) && h.blob.length > 0 && h.blob[0] === GossipOp.PUBLISH && !destMac) {
      this.#record({ at: now, kind: 'publish', frame: frame.slice(), srcMac: srcMac.slice(), destMac: undefined });
    }
  }

  /**
   * Keep the first hearing of each frame, RECORDED per kind: a busy kind (every node echoes
   * each publish) must not push the other out, nor its copies the older frames a replay wants.
   */
  #record(r: Recording): void {
    const key = toHex(r.frame);
    if (this.#recordedKeys.has(key)) return;
    this.#recordedKeys.add(key);
    this.recorded.push(r);
    const same = this.recorded.filter((x) => x.kind === r.kind);
    if (same.length > RECORDED) {
      const oldest = same[0];
      this.recorded.splice(this.recorded.indexOf(oldest), 1);
      this.#recordedKeys.delete(toHex(oldest.frame));
    }
  }
}

function put<V>(m: Map<string, V>, k: string, v: V, cap: number): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > cap) m.delete(m.keys().next().value as string);
}
