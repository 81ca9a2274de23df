/**
 * `app APP_ID start|stop|invoke NAME [ARGS…]`: drive one app by hand. APP_ID is the hex id
 * (32 digits, or a unique prefix of at least 4), or the app's name.
 */
import type { NodeApp } from '../../mycelium/node.js';
import { toHex } from '../../mycelium/wire/bytes.js';
import { parseInvokeArg } from '../args.js';
import { errorResult, textResult, type CommandResult } from '../results.js';
import type { Session } from '../session.js';

export const APP_USAGE = 'APP_ID start|stop|invoke NAME [ARGS...]';
const MIN_PREFIX = 4;

/** The app `text` names, or why none does. */
function findApp(s: Session, text: string): NodeApp | string {
  const all = s.node.apps;
  const lower = text.toLowerCase();
  const byName = all.filter((a) => (a.name ?? '').toLowerCase() === lower);
  if (byName.length === 1) return byName[0];
  if (!/^[0-9a-f]+$/.test(lower) || lower.length < MIN_PREFIX) return `no app is named "${text}" (give its name or at least ${MIN_PREFIX} hex digits of its id)`;
  const byId = all.filter((a) => toHex(a.id).startsWith(lower));
  if (byId.length === 1) return byId[0];
  return byId.length === 0 ? `no app id starts with ${lower}` : `${byId.length} apps match ${lower}; give more digits`;
}

interface Startable extends NodeApp {
  readonly started?: boolean;
}

interface Invocable {
  available(name?: string): string[] | boolean;
  invoke(name: string, ...args: unknown[]): unknown;
}

function isInvocable(app: unknown): app is Invocable {
  const a = app as Partial<Invocable>;
  return typeof a.available === 'function' && typeof a.invoke === 'function';
}

export function runApp(s: Session, args: readonly string[]): CommandResult {
  if (args.length < 2) return errorResult('usage: app ' + APP_USAGE);
  const found = findApp(s, args[0]);
  if (typeof found === 'string') return errorResult(found);
  const app = found as Startable;
  const name = app.name ?? toHex(app.id);
  const action = args[1].toLowerCase();
  if (action === 'start') {
    if (typeof app.start !== 'function') return errorResult(`${name} cannot be started`);
    if (app.started === true) return textResult(`${name} is already running`);
    app.start(s.node);
    return textResult(`Started ${name}`);
  }
  if (action === 'stop') {
    if (typeof app.stop !== 'function') return errorResult(`${name} cannot be stopped`);
    if (app.started === false) return textResult(`${name} is not running`);
    app.stop();
    return textResult(`Stopped ${name}`);
  }
  if (action === 'invoke') {
    if (!isInvocable(app)) return errorResult(`${name} has no callbacks`);
    const callback = args[2];
    if (callback === undefined || app.available(callback) !== true) {
      const names = app.available();
      return errorResult(`${name} has no callback "${callback ?? ''}" (available: ${Array.isArray(names) ? names.join(', ') : '?'})`);
    }
    return { kind: 'invoke', value: app.invoke(callback, ...args.slice(3).map(parseInvokeArg)) };
  }
  return errorResult(`unknown app action "${args[1]}" (start, stop or invoke)`);
}
