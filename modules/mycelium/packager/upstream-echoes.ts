/**
 * Copies of our broadcasts for upstream neighbours in modem sleep (docs/sleep.md "On the air and
 * with upstream"). Upstream nodes sleep in their own free-running 90/40 cycle and hear one
 * broadcast with probability 40/130: while one is around, each of our broadcasts is sent 3 more
 * times 36 ms apart (as upstream's RNS probes), so one copy meets its listen. Our own neighbours
 * drop the copies as repeats (same hello number, same gossip id, same tree claim).
 */
import { MODEM_INTERSECT_INTERVAL, MODEM_INTERSECT_RTX_TIMES } from '../wire/constants.js';
import type { Packager } from './packager.js';

const ECHO_EVENT = 'modem-echo';
/** Copies of a broadcast after the first, near an upstream neighbour (its RNS count less one). */
const MODEM_ECHOES = MODEM_INTERSECT_RTX_TIMES - 1;

/** A neighbour known only by its Beacon (no hello): an upstream node, which probes with RNS. */
export function upstreamNeighbour(packager: Packager): boolean {
  return packager.peers.some((p) => p.link === undefined);
}

export class UpstreamEchoes {
  #echoes = 0;
  /** Set while a broadcast that needs no upstream echoes goes out (`without`). */
  #off = false;

  /** Schedule the copies of what `send` broadcasts; `sleep` keeps our radio on for them. */
  echo(packager: Packager, send: () => void, sleep: { keepAwakeUntil(t: number): void }): void {
    if (this.#off || !upstreamNeighbour(packager)) return;
    sleep.keepAwakeUntil(packager.platform.now() + MODEM_ECHOES * MODEM_INTERSECT_INTERVAL + 1);
    for (let k = 1; k <= MODEM_ECHOES; k++) {
      this.#echoes = (this.#echoes + 1) % 64;
      packager.schedule(`${ECHO_EVENT}${this.#echoes}`, k * MODEM_INTERSECT_INTERVAL, send);
    }
  }

  /**
   * Run `send` with no upstream echoes of what it broadcasts now: for frames upstream nodes ignore
   * (our hellos, an app they do not know). An echo goes 36-108 ms after the frame was built, so a
   * hello's copy announced a phase that late: a neighbour that heard only the copy took a
   * schedule a window away from ours.
   */
  without(send: () => void): void {
    this.#off = true;
    try {
      send();
    } finally {
      this.#off = false;
    }
  }
}
