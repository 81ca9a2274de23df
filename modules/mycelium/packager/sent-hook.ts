/**
 * A radio's `onSent` (radio.ts) pointed at the Packager: each frame's fate goes to Datagrams
 * (`frameDone`: routing's unacked unicasts, then the sleep's count of our frames in the radio).
 * Set only where someone listens, a radio that reports (`reportsSent`) or a node that
 * modem-sleeps: the callback is a closure, about 200 B on XS (issue 21), and a node with neither
 * (the 0-peer figure of `npm run bench`) needs none.
 */
import type { AttachedInterface } from './attached.js';

/** What the callback calls (datagrams.ts). */
export interface SentSink {
  frameDone(iface: AttachedInterface, mac: Uint8Array | undefined, delivered: boolean): void;
}

export function hookSent(iface: AttachedInterface, sink: SentSink): void {
  const radio = iface.radio;
  if (radio.onSent === undefined) radio.onSent = (mac, delivered) => sink.frameDone(iface, mac, delivered);
}
