/**
 * Counter and event names are checked by `tsc` (tsconfig includes tests/): each
 * `@ts-expect-error` line below must fail to type-check, or `npm run typecheck` reports the
 * directive as unused. At run time they show what a misspelt name used to do silently.
 */
import { nodeIdOf, virtualPlatform } from '../support/mesh.js';
import { VirtualClock } from '../../simulator/engine/virtual-clock.js';
import { Packager } from '../../modules/mycelium/packager/packager.js';
import { Counters } from '../../modules/mycelium/packager/counters.js';
import type { Address } from '../../modules/mycelium/wire/address.js';

test('a misspelt counter name does not type-check', () => {
  const counters = new Counters();
  counters.inc('tx_frames');
  counters.inc('drop_truncated'); // drop_<wire error code>
  counters.inc('send_refused_no_route');
  // @ts-expect-error: 'tx_frmes' is not a counter
  counters.inc('tx_frmes');
  // @ts-expect-error: no wire error is called 'no_such_code'
  counters.inc('drop_no_such_code');
  expect(counters.snapshot()).toEqual({ drop_no_such_code: 1, drop_truncated: 1, send_refused_no_route: 1, tx_frames: 1, tx_frmes: 1 });
});

test('a misspelt event name or a wrong hook signature does not type-check', () => {
  const p = new Packager(virtualPlatform(new VirtualClock(0)), { nodeId: nodeIdOf(1) });
  const seen: string[] = [];
  p.addHook('set_addr', (a: Address) => seen.push(a.toString()));
  // @ts-expect-error: the event is 'set_addr'
  p.addHook('set_address', () => seen.push('never'));
  // @ts-expect-error: set_addr hooks get an Address, not a number
  p.addHook('set_addr', (n: number) => seen.push(String(n + 1)));
  // @ts-expect-error: 'stop' takes no arguments
  p.callHook('stop', 1);
  p.callHook('stop');
  expect(seen).toEqual([]);
});
