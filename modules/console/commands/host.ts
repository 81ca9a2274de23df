/** `version`, `reset`, `quit`: what only the host can answer or do. */
import { PROTOCOL_VERSION, VERSION } from '../../mycelium/wire/constants.js';
import { textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export function runVersion(s: Session): CommandResult {
  return { kind: 'version', firmware: s.host.version ?? 'unknown', packager: VERSION, protocol: PROTOCOL_VERSION };
}

export function runReset(s: Session): CommandResult | undefined {
  if (typeof s.host.reset !== 'function') return textResult('reset is not available on this host');
  // Printed before resetting: after reset() nothing may be left to print it.
  s.show(textResult('Resetting...'));
  s.host.reset();
  return undefined;
}

export function runQuit(s: Session): CommandResult | undefined {
  if (typeof s.host.quit !== 'function') return textResult('There is nothing to quit on this host');
  s.host.quit();
  return undefined;
}
