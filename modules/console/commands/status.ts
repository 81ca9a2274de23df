/** `status`: one short block about this node (the status screen's page 0, in full) and its traffic rates. */
import { withBattery } from '../../status/input.js';
import type { CommandResult } from '../results.js';
import type { Session } from '../session.js';

export function runStatus(s: Session): CommandResult {
  const host = s.host;
  const rates = s.traffic.rates();
  return { kind: 'status', state: withBattery(host.node.state(), host.battery && (() => host.battery?.())), ...(rates && { rates }) };
}
