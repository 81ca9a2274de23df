/**
 * The scenario's radio power fields (`radio.current_ma`, `radio.supply_v`,
 * `radio.duty_cycle_limit`, `radio.link_retries`, and the RYLR-998's `radio.lora`,
 * `radio.room_notices`): read, checked and filled from the
 * interface's defaults (medium/current-profiles.ts, medium/profiles.ts). See SCENARIOS.md.
 */
import { powerProfileOf, type CurrentProfile } from '../medium/current-profiles.js';
import { profileOf, type InterfaceKind } from '../medium/profiles.js';
import { FACTORY_CONFIG } from '../../modules/rylr998/config.js';

export interface RadioPowerSpec {
  /** mA in each radio state (defaults per interface, each overridable alone). */
  readonly current_ma: CurrentProfile;
  readonly supply_v: number;
  /** Largest share of any hour a node may transmit; null = none. */
  readonly duty_cycle_limit: number | null;
  /** Link-layer retransmissions of an unacknowledged unicast (ESP-NOW 7, RYLR-998 0). */
  readonly link_retries: number;
  /** Battery of every node, mAh (battery days in the report); default the M5StickC-PLUS2's 200 mAh. */
  readonly battery_mah: number;
  /** RYLR-998 AT+PARAMETER settings of every node (factory 9, 7, 1, 12); undefined for espnow. */
  readonly lora?: LoraSettings;
  /** RYLR-998 room notices on every node (modules/rylr998/room-notices.ts); absent = off. */
  readonly room_notices?: boolean;
}

/** AT+PARAMETER's four fields: spreading factor, bandwidth code (7 = 125 kHz), coding rate, preamble. */
export interface LoraSettings {
  readonly sf: number;
  readonly bw: number;
  readonly cr: number;
  readonly preamble: number;
}

export const RADIO_POWER_FIELDS = ['current_ma', 'supply_v', 'duty_cycle_limit', 'link_retries', 'battery_mah', 'lora', 'room_notices'] as const;
/** The M5StickC-PLUS2's built-in cell: the project's usual board. */
export const DEFAULT_BATTERY_MAH = 200;
const STATES = ['tx', 'rx', 'listen', 'sleep'] as const;

/** What the reader needs of validate.ts's Checker. */
interface Checker {
  readonly errors: string[];
  fail(path: string, what: string, got: unknown): void;
  object(path: string, v: unknown, allowed: readonly string[]): Record<string, unknown> | undefined;
  int(path: string, v: unknown, min: number, max: number, fallback: number): number;
  num(path: string, v: unknown, min: number, max: number, fallback: number, minExclusive?: boolean): number;
}

export function radioPowerDefaults(iface: InterfaceKind): RadioPowerSpec {
  const p = powerProfileOf(iface);
  const base = { current_ma: { ...p.current_ma }, supply_v: p.supply_v, duty_cycle_limit: p.duty_cycle_limit, link_retries: profileOf(iface).linkRetries, battery_mah: DEFAULT_BATTERY_MAH };
  const f = FACTORY_CONFIG;
  return iface === 'rylr998' ? { ...base, lora: { sf: f.sf, bw: f.bw, cr: f.cr, preamble: f.preamble } } : base;
}

/** Reads the power fields of the `radio` object `o` (undefined: no radio object). */
export function readRadioPower(c: Checker, o: Record<string, unknown> | undefined, iface: InterfaceKind): RadioPowerSpec {
  const d = radioPowerDefaults(iface);
  if (!o) return d;
  let current = d.current_ma;
  if (o.current_ma !== undefined) {
    const cur = c.object('radio.current_ma', o.current_ma, STATES);
    if (cur) {
      const read = (k: (typeof STATES)[number]) => (cur[k] === undefined ? d.current_ma[k] : c.num(`radio.current_ma.${k}`, cur[k], 0, 100_000, d.current_ma[k]));
      current = { tx: read('tx'), rx: read('rx'), listen: read('listen'), sleep: read('sleep') };
    }
  }
  const supply = o.supply_v === undefined ? d.supply_v : c.num('radio.supply_v', o.supply_v, 0, 1000, d.supply_v, true);
  let limit = d.duty_cycle_limit;
  if (o.duty_cycle_limit === null) limit = null;
  else if (o.duty_cycle_limit !== undefined) limit = c.num('radio.duty_cycle_limit', o.duty_cycle_limit, 0, 1, 0.01, true);
  let retries = d.link_retries;
  if (o.link_retries !== undefined) {
    retries = c.int('radio.link_retries', o.link_retries, 0, 255, d.link_retries);
    // The module's AT+SEND has no acknowledgement: a retry count would model a MAC it does not have.
    if (iface === 'rylr998' && retries !== 0) c.fail('radio.link_retries', 'must be 0 for "rylr998" (the module does not acknowledge frames)', o.link_retries);
  }
  let lora = d.lora;
  if (o.lora !== undefined) {
    const l = c.object('radio.lora', o.lora, ['sf', 'bw', 'cr', 'preamble']);
    if (iface !== 'rylr998') c.fail('radio.lora', 'is for "rylr998" only', o.lora);
    else if (l && lora) {
      const f = lora;
      lora = {
        sf: l.sf === undefined ? f.sf : c.int('radio.lora.sf', l.sf, 5, 11, f.sf),
        bw: l.bw === undefined ? f.bw : c.int('radio.lora.bw', l.bw, 7, 9, f.bw),
        cr: l.cr === undefined ? f.cr : c.int('radio.lora.cr', l.cr, 1, 4, f.cr),
        preamble: l.preamble === undefined ? f.preamble : c.int('radio.lora.preamble', l.preamble, 4, 24, f.preamble),
      };
    }
  }
  const battery = o.battery_mah === undefined ? d.battery_mah : c.num('radio.battery_mah', o.battery_mah, 0, 1_000_000, d.battery_mah, true);
  const spec = { current_ma: current, supply_v: supply, duty_cycle_limit: limit, link_retries: retries, battery_mah: battery };
  let room: boolean | undefined;
  if (o.room_notices !== undefined) {
    if (typeof o.room_notices !== 'boolean') c.fail('radio.room_notices', 'must be true or false', o.room_notices);
    else if (iface !== 'rylr998') c.fail('radio.room_notices', 'is for "rylr998" only', o.room_notices);
    else room = o.room_notices;
  }
  return { ...spec, ...(lora && { lora }), ...(room !== undefined && { room_notices: room }) };
}
