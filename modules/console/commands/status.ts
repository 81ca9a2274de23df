/** `status`: one short block about this node (the status screen's page 0, in full). */
import { statusInputOf } from '../../status/input.js';
import { formatUptime } from '../../status/format.js';
import type { Session } from '../session.js';

export function runStatus(s: Session): void {
  const host = s.host;
  // The tree app may be on the node without being named by the host.
  const input = statusInputOf({ node: host.node, tree: s.tree(), battery: () => host.battery?.() });
  s.print('Node ID: ' + input.nodeId);
  s.print('Addresses: ' + (input.addresses.length ? input.addresses.join(', ') : 'none'));
  s.print('Root: ' + (input.root === undefined ? 'none' : input.root + (input.root === input.nodeId ? ' (this node)' : '')));
  s.print('Peers: ' + input.peers.length);
  s.print('Routes: ' + input.routes);
  s.print(`Frames: tx ${input.tx}, rx ${input.rx}, dropped ${input.drop}`);
  s.print('Uptime: ' + (input.running ? formatUptime(input.uptimeMs) : 'stopped'));
  if (input.battery !== undefined) s.print(`Battery: ${input.battery}%`);
  s.print('Modem sleep: ' + (input.modemSleep === 'off' ? 'off' : 'on, ' + input.modemSleep));
}
