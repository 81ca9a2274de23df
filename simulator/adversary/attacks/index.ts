/** Every attack by name (attack.ts ATTACK_NAMES). */
import type { Attack, AttackName } from '../attack.js';
import { beaconFlood } from './beacon-flood.js';
import { blackhole } from './blackhole.js';
import { gossipFlood } from './gossip-flood.js';
import { linkHijack } from './link-hijack.js';
import { pingFlood } from './ping-flood.js';
import { replay } from './replay.js';
import { rogueParent } from './rogue-parent.js';
import { routePoison } from './route-poison.js';
import { sequenceBomb } from './sequence-bomb.js';

export const ATTACKS: Readonly<Record<AttackName, Attack>> = {
  beacon_flood: beaconFlood,
  link_hijack: linkHijack,
  sequence_bomb: sequenceBomb,
  ping_flood: pingFlood,
  gossip_flood: gossipFlood,
  route_poison: routePoison,
  replay,
  rogue_parent: rogueParent,
  blackhole,
};
