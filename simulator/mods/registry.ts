/**
 * The mesh apps a scenario may name in `apps` (SCENARIOS.md): name → the app module's default
 * export, the same compiled module a board installs as a mod. Pure ECMAScript: the XS runner's
 * worker bundle includes this file and the apps, so both runners start the same code through the
 * same mesh API.
 */
import type { AppMain } from '../../modules/mesh-api/api.js';
import chat from '../../mods/chat/chat.js';
import telemetry from '../../mods/telemetry/telemetry.js';
import echo from './echo.js';

export const SIM_APPS: Readonly<Record<string, AppMain>> = Object.freeze({
  chat,
  telemetry,
  echo,
});

/** The names a scenario may use, sorted. */
export function simAppNames(): string[] {
  return Object.keys(SIM_APPS).sort();
}

/** The app's entry function, or undefined for a name not in the registry. */
export function simApp(name: string): AppMain | undefined {
  return Object.prototype.hasOwnProperty.call(SIM_APPS, name) ? SIM_APPS[name] : undefined;
}
