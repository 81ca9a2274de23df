/**
 * How fast a root's claim spreads while a tree forms (docs/routing.md "Formation: better roots
 * travel faster"). A mesh powered on at once starts with every node its own root; each locally
 * best claim then spreads as a wave, and a node re-joins once for every wave that reaches it
 * before a better one does (a REQUEST, an ASSIGN, a refresh advert and its answers each time,
 * sealed and chained in signed mode). Waiting before acting on a better claim for a time that
 * grows with how bad the claim is lets the best root's wave overtake the intermediate ones: a
 * claim's wave advances one hop per `base + claim_pace_ms × pace`, so a worse root loses ground
 * at every hop and reaches fewer nodes before the best one. It is a timer-based election (the
 * better candidate's timer runs out first) applied per hop; only the timing changes, never which
 * root wins, so nothing on the air changes and upstream neighbours are unaffected.
 */

/** The leading 32 bits of `bytes` as a fraction in [0, 1): where a score lies among all scores. */
export function leadingFraction(bytes: Uint8Array): number {
  let x = 0;
  for (let i = 0; i < 4; i++) x = x * 256 + (bytes[i] ?? 0);
  return x / 2 ** 32;
}

/**
 * The wait before acting on a claim of pace `pace` (0 best … 1 worst): the jitter that spreads
 * neighbours' requests, plus `paceMs` × how far the pace lies above FREE_PACE (0 … 1). `jitter`
 * is a random draw in [0, 1); an unknown pace (NaN) waits longest.
 */
export function considerDelay(pace: number, jitterMs: number, paceMs: number, jitter: number): number {
  const p = Math.min(1, Math.max(0, Number.isFinite(pace) ? pace : 1));
  return 1 + Math.floor(jitter * jitterMs) + Math.floor((Math.max(0, p - FREE_PACE) / (1 - FREE_PACE)) * paceMs);
}

/**
 * Claims this good go at the jitter's pace: the best root's wave is not slowed in small meshes
 * (of 36 nodes the best claim's pace is about 1/37), where there are few waves to overtake.
 */
export const FREE_PACE = 0.03;
