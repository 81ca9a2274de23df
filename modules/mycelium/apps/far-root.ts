/**
 * A root "far" from us (docs/routing.md "Fast tree repair", "Mixed meshes with upstream nodes"):
 * our parent is across a link that keeps Hello off (a bridge's LoRa link), or it sends no hellos
 * at all (upstream's nodes), so no heartbeat of our root comes through it and its silence proves
 * nothing. The state lives in tree-repair.ts; these are the questions it asks.
 */
import type { Packager } from '../packager/packager.js';
import type { AttachedInterface } from '../packager/attached.js';
import type { Hello } from './hello.js';

/**
 * Broadcast spacings of a slow link (a bridge's LoRa) without our parent's advert before a far
 * root is given up, beyond the tree age: a lost advert is only heard again a spacing later, and
 * LoRa bridges lose some to collisions: with two spacings, lora-bridge seed 1 gave its far
 * island up once in 40 min and split for 40 s; with four it stays one tree.
 */
const SLOW_SPACINGS_MISSED = 4;

/**
 * The interface our parent (`parentKey`: we are not the root) is reached on when that one keeps
 * Hello off: its hellos, and their heartbeat, never cross it. With no app quiet on any interface
 * (no bridge) there is none, and the parent's links are not walked (twice a tick, issue 21).
 */
export function slowParentInterface(packager: Packager, parentKey: string, hello: Hello | undefined): AttachedInterface | undefined {
  if (!hello) return undefined;
  const ifaces = packager.interfaces;
  let i = 0;
  while (i < ifaces.length && ifaces[i].quietApps.length === 0) i++; // the first with a quiet app
  const iface = i < ifaces.length ? packager.peerByKey(parentKey)?.bestLink()?.iface : undefined;
  return iface && iface.quietApps.includes(hello.idHex) ? iface : undefined;
}

/**
 * Our parent is across `slow`: its adverts arrive at most once per that interface's broadcast
 * spacing. While its last word about our root (`parentWordAt`) is within the tree age plus
 * SLOW_SPACINGS_MISSED such spacings, the root is alive for us and for our subtree: our tree stays
 * fresh, so the adverts we send on carry a young age and nodes below us keep the node's usual tree
 * age. Past that our own tree age runs out and we start over, as upstream would.
 */
export function farRootFresh(parentWordAt: number, now: number, maxTreeAgeS: number, slow: AttachedInterface): boolean {
  return now - parentWordAt <= maxTreeAgeS * 1000 + SLOW_SPACINGS_MISSED * slow.timings.broadcastSpacingMs;
}

/**
 * How long our root has been silent for us: since its last heartbeat, or since it stopped being
 * far (`nearSince`) if that is later. While it was far no beat could come, so that time is no
 * silence: counted, a child whose parent under an upstream node moved to a Hello-speaking one
 * gave its live root up at once and poisoned it (session 50, the stand-in copy of lossy-50 seed 9).
 */
export function silentFor(lastBeat: number, nearSince: number | undefined, now: number): number {
  return now - Math.max(lastBeat, nearSince ?? -Infinity);
}
