/**
 * Resends go around the hop their copies died beyond (docs/routing.md "Resends go another way").
 * A neighbour can ack every frame at the link layer and still drop the packets it should relay:
 * a blackhole, or a node whose routes or queues are broken. Nothing on the link shows it, but the
 * origin's end-to-end resends do: a resend is the same packet with the same ttl, so a relay that
 * sees one again after more than a loop round (loop-guard.ts) knows the copy it handed on never
 * made the round trip; the origin knows it of its own copies. Once `AROUND_AFTER` copies in a
 * row died through one hop, the next goes another way (forwarding.ts), if a clean one leads on.
 *
 * A lossy link loses a copy now and then, and the way after the best is often worse: the first
 * failure keeps the way. Nothing outlives the packet: no neighbour is marked or avoided for other
 * traffic, so a dead target (every way fails) or a lost ack (the way back failed) costs a copy
 * sent around, never an honest neighbour's traffic. The state is the loop guard's record of the
 * packet (relays) or its outbound entry (our own), both already bounded.
 */

/** Copies in a row that must die through one hop before the next goes around it. */
export const AROUND_AFTER = 2;

/**
 * A resend's decision, given `fails`: how many copies before the last one died in a row through
 * the hop the last one took. Returns the failures through that hop counting the last copy, and
 * whether this copy goes around it.
 */
export function resendWay(fails: number): { readonly fails: number; readonly around: boolean } {
  const now = fails + 1;
  return { fails: now, around: now >= AROUND_AFTER };
}
