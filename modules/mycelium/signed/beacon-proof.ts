/**
 * Signed Beacons (issue 20; the spec puts the public key in every Beacon): in signed and mixed
 * modes the node id a Beacon carries IS the sender's Ed25519 key, and the sender broadcasts, on
 * every radio, a *key proof* on the SignedTree app (after answers to nodes not sent one lately,
 * one for all answered within PROOF_GATHER_MS; before a periodic beacon at most every 10 min):
 *
 *   op (4) ‖ node id (32) ‖ signature (64) over "myc-beacon\x01" ‖ node id ‖ that radio's MAC
 *
 * Beacons themselves stay upstream's bytes (upstream parses them as before; it ignores the proof,
 * an app it does not run). A receiver admits a beacon — adds or refreshes the link it came on —
 * only once a proof for that id *from that MAC* verified: a forger beaconing another node's id
 * (the link hijack of issue 19) cannot sign it, and replaying the owner's proof from its own MAC
 * does not verify (the MAC is signed). A beacon without a proof is held (the latest per id) and
 * admitted when the proof arrives. Mixed mode: a beacon that does not list SignedTree is an
 * upstream neighbour's and is admitted as before — unless its id once proved itself here (an
 * id of ours, forged without the app). Proofs are cached per (id, MAC) and cost one
 * verification each, within the sender MAC's verification budget.
 */
import type { BeaconLayer } from '../apps/beacon-layer.js';
import type { BeaconMessage } from '../wire/messages/beacon.js';
import type { Delivery } from '../packager/application.js';
import type { Packager } from '../packager/packager.js';
import type { Platform, Signatures } from '../platform/platform.js';
import { bytesEqual, concatBytes, toHex, utf8Encode } from '../wire/bytes.js';
import type { VerifyBudget } from './verify-budget.js';

export const KEY_PROOF_OP = 4;
const PROOF_BYTES = 1 + 32 + 64;
const PROOF_DOMAIN = 'myc-beacon\x01';
/** (id, MAC) pairs proved, ids proved and beacons held: each at most this many, oldest first out. */
const PROOF_LIMIT = 64;
/**
 * Before a unicast beacon (an answer to a node that just appeared), a proof unless that node was
 * sent one within this many ms: it may have booted after our last proof went out, and without
 * one it would hold our answer until our next periodic beacon (a minute).
 */
const UNICAST_PROOF_MS = 60_000;
/**
 * Before a periodic (broadcast) beacon, a proof only if none went out within this many ms. A
 * neighbour keeps a proved (id, MAC) pair, and a node that appears beacons and gets our answer
 * with a proof (above), so a proof before each periodic beacon (one a node every ~2.5 min,
 * 129 bytes on the air) was mostly for nobody: 613 proofs in signed-100, 400 of them periodic.
 * Still one every 10 min, for a neighbour that lost one (a collision) or evicted ours.
 */
const PERIODIC_PROOF_MS = 600_000;
/**
 * Answers to nodes that appeared are followed by one proof gathered over this many ms, not one
 * proof each: a proof is a broadcast, and every node whose beacon we answered before it goes out
 * was up to hear it (a node holds our answer until the proof comes, so its link waits at most
 * this long). Nodes powered on together appear within a second: in the 300-node bench each node
 * broadcast 4.3 proofs in its first minutes, one per neighbour that booted after it.
 */
export const PROOF_GATHER_MS = 500;

export function keyProofMessage(nodeId: Uint8Array, mac: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(PROOF_DOMAIN), nodeId, mac);
}

export interface BeaconProofHost {
  packager(): Packager;
  readonly appId: Uint8Array;
  readonly mode: 'signed' | 'mixed';
  readonly budget: VerifyBudget;
  signatures(): Signatures | undefined;
  sign(message: Uint8Array): Uint8Array;
  now(): number;
  started(): boolean;
}

/** What a signed layer app offers its beacon proof: read lazily (the app may not be started yet). */
export interface BeaconProofApp {
  readonly packager: Packager;
  readonly id: Uint8Array;
  readonly mode: 'signed' | 'mixed';
  readonly node: { readonly platform: Platform };
  readonly started: boolean;
}

/** The beacon proof of signed layer `app`: its key signs, `budget` bounds what neighbours make it verify. */
export function appBeaconProof(app: BeaconProofApp, budget: VerifyBudget, sign: (message: Uint8Array) => Uint8Array): BeaconProof {
  return new BeaconProof({
    packager: () => app.packager,
    appId: app.id,
    mode: app.mode,
    budget,
    signatures: () => app.node.platform.signatures,
    sign,
    now: () => app.node.platform.now(),
    started: () => app.started,
  });
}

export class BeaconProof implements BeaconLayer {
  readonly #host: BeaconProofHost;
  /** `${id}/${mac}` → the signature that proved it (a repeated proof costs no verification). */
  readonly #proved = new Map<string, Uint8Array>();
  readonly #provedIds = new Set<string>();
  readonly #held = new Map<string, { mac: string; retry: () => void }>();
  /** Our proof per radio MAC (signed once). */
  readonly #mine = new Map<string, Uint8Array>();
  /** When each recent unicast target was last sent our proof (at most PROOF_LIMIT). */
  readonly #proofSentTo = new Map<string, number>();
  /** When our proof last went out before a periodic beacon. */
  #periodicAt = -Infinity;

  constructor(host: BeaconProofHost) {
    this.#host = host;
  }

  beforeBeacon(to: Uint8Array | undefined): void {
    const h = this.#host;
    if (!h.started()) return;
    const now = h.now();
    const gather = toHex(h.appId) + 'p';
    if (to !== undefined) {
      const key = toHex(to);
      const last = this.#proofSentTo.get(key);
      if (last !== undefined && now - last < UNICAST_PROOF_MS) return;
      remember(this.#proofSentTo, key, now);
      // After the answer: its receiver holds it until the proof comes (admit).
      if (!h.packager().isScheduled(gather)) h.packager().schedule(gather, PROOF_GATHER_MS, BeaconProof.#gathered, this);
      return;
    }
    if (now - this.#periodicAt < PERIODIC_PROOF_MS) return;
    this.#periodicAt = now;
    h.packager().cancel(gather); // this one reaches the nodes answered meanwhile too
    this.#broadcastProof();
  }

  static #gathered(self: BeaconProof): void {
    if (self.#host.started()) self.#broadcastProof();
  }

  /** Our key proof, on every radio (each signs its own MAC). */
  #broadcastProof(): void {
    const h = this.#host;
    for (const i of h.packager().interfaces) {
      const mac = i.radio.mac;
      if (!mac) continue;
      const key = toHex(mac);
      let proof = this.#mine.get(key);
      if (!proof) {
        const id = h.packager().nodeId;
        proof = concatBytes(Uint8Array.of(KEY_PROOF_OP), id, h.sign(keyProofMessage(id, mac)));
        this.#mine.set(key, proof);
      }
      h.packager().broadcast(h.appId, proof, i.radio);
    }
  }

  admit(m: BeaconMessage, from: Delivery, retry: () => void): boolean {
    const h = this.#host;
    if (!from.mac) return true; // the loopback
    const id = toHex(m.nodeId);
    const mac = toHex(from.mac);
    if (this.#proved.has(`${id}/${mac}`)) return true;
    if (h.mode === 'mixed' && !m.apps.some((a) => bytesEqual(a, h.appId)) && !this.#provedIds.has(id)) return true; // upstream
    h.packager().counters.inc('signed_beacon_unproved');
    remember(this.#held, id, { mac, retry });
    return false;
  }

  /** A key proof heard: verify it for the MAC it came from, then admit that sender's held beacon. */
  onProof(blob: Uint8Array, from: Delivery): void {
    const h = this.#host;
    if (!from.mac) return; // our own, back through the loopback
    if (blob.length !== PROOF_BYTES) return void h.packager().counters.inc('signed_bad_message');
    const nodeId = blob.subarray(1, 33);
    const signature = blob.subarray(33);
    const id = toHex(nodeId);
    const mac = toHex(from.mac);
    const pair = `${id}/${mac}`;
    const known = this.#proved.get(pair);
    if (!known || !bytesEqual(known, signature)) {
      const ed = h.signatures();
      if (!ed) return void h.packager().counters.inc('signed_no_signatures');
      if (!h.budget.take(`mac:${mac}`, 1, h.now())) return void h.packager().counters.inc('signed_budget_exceeded');
      h.packager().counters.inc('signed_verify');
      if (!ed.verify(nodeId, keyProofMessage(nodeId, from.mac), signature)) return void h.packager().counters.inc('signed_beacon_bad_proof');
      remember(this.#proved, pair, signature.slice());
      this.#provedIds.delete(id);
      this.#provedIds.add(id);
      if (this.#provedIds.size > PROOF_LIMIT) this.#provedIds.delete(this.#provedIds.values().next().value as string);
    }
    const held = this.#held.get(id);
    if (held && held.mac === mac) {
      this.#held.delete(id);
      held.retry();
    }
  }
}

function remember<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > PROOF_LIMIT) map.delete(map.keys().next().value as string);
}
