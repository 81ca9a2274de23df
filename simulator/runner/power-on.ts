/**
 * When each node powers on (scenario `power_on`): an explicit time, or a random one in
 * [0, spread_ms). One draw per node in index order whatever the node's explicit time, so
 * giving one node a time leaves every other node's time as it was (and the default, spread
 * 1000 ms, gives the same times as before `power_on` existed).
 */
import type { SeededRandom } from '../engine/random.js';
import type { PowerOn } from '../scenario/types.js';

export function powerOnTimes(p: PowerOn, n: number, random: SeededRandom, spreadOverride?: number): number[] {
  const starts = random.fork('start');
  const spread = spreadOverride ?? p.spread_ms;
  return Array.from({ length: n }, (_, i) => {
    const drawn = spread > 0 ? starts.int(spread) : 0;
    return p.at_ms[i] ?? drawn;
  });
}
