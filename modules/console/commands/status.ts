/** `status`: one short block about this node (the status screen's page 0, in full). */
import { statusFigures, withBattery } from '../../status/input.js';
import { formatUptime } from '../../status/format.js';
import type { Session } from '../session.js';

export function runStatus(s: Session): void {
  const host = s.host;
  const state = withBattery(host.node.state(), host.battery && (() => host.battery?.()));
  const f = statusFigures(state);
  s.print('Node ID: ' + state.nodeId);
  s.print('Addresses: ' + (state.addresses.length ? state.addresses.join(', ') : 'none'));
  s.print('Root: ' + (f.root === undefined ? 'none' : f.root + (f.root === state.nodeId ? ' (this node)' : '')));
  s.print('Peers: ' + state.peers.length);
  s.print('Routes: ' + state.routes.length);
  s.print(`Frames: tx ${f.tx}, rx ${f.rx}, dropped ${f.drop}`);
  s.print('Uptime: ' + (state.running ? formatUptime(state.uptimeMs) : 'stopped'));
  if (state.battery !== undefined) s.print(`Battery: ${state.battery}%`);
  s.print('Modem sleep: ' + (state.modemSleep === 'off' ? 'off' : 'on, ' + state.modemSleep));
}
