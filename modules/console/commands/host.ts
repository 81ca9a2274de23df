/** `version`, `reset`, `quit`: what only the host can answer or do. */
import { PROTOCOL_VERSION, VERSION } from '../../mycelium/wire/constants.js';
import type { Session } from '../session.js';

export function runVersion(s: Session): void {
  s.print('MPNode version: ' + (s.host.version ?? 'unknown'));
  s.print('Packager version: ' + VERSION);
  s.print('Protocol version: ' + PROTOCOL_VERSION);
}

export function runReset(s: Session): void {
  if (typeof s.host.reset !== 'function') return s.print('reset is not available on this host');
  s.print('Resetting...');
  s.host.reset();
}

export function runQuit(s: Session): void {
  if (typeof s.host.quit !== 'function') return s.print('There is nothing to quit on this host');
  s.host.quit();
}
