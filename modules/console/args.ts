/** Parsers for command arguments: node ids, addresses, counts, metrics. None throws. */
import { Address } from '../mycelium/wire/address.js';
import { fromHex } from '../mycelium/wire/bytes.js';
import { Metric, NODE_ID_BYTES } from '../mycelium/wire/constants.js';

/** A node id given as 64 hex digits. */
export function parseNodeId(text: string | undefined): Uint8Array | undefined {
  if (text === undefined || text.length !== NODE_ID_BYTES * 2) return undefined;
  return fromHex(text);
}

/** An address in upstream's text form (`1-10::`, also `Address(1-10::)`). */
export function parseAddress(text: string | undefined): Address | undefined {
  if (text === undefined) return undefined;
  const a = Address.parse(text);
  return a.ok ? a.value : undefined;
}

/** A decimal integer within [min, max]. */
export function parseIntIn(text: string, min: number, max: number): number | undefined {
  if (!/^-?[0-9]{1,9}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** A decimal number (seconds) within [min, max]. */
export function parseNumberIn(text: string, min: number, max: number): number | undefined {
  if (!/^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(text)) return undefined;
  const n = Number(text);
  return n >= min && n <= max ? n : undefined;
}

/** Upstream's rule: a metric word containing "cpl" means dCPL, anything else dTree. */
export function parseMetric(text: string | undefined): Metric {
  return text !== undefined && text.toLowerCase().includes('cpl') ? Metric.dCPL : Metric.dTree;
}

/**
 * An `app … invoke` argument: `0x…` hex is bytes, a decimal integer is a number, true/false are
 * booleans, anything else stays a string. (Our callbacks take bytes where upstream's took them.)
 */
export function parseInvokeArg(text: string): unknown {
  if (/^0x([0-9a-fA-F]{2})*$/.test(text)) return fromHex(text.slice(2));
  if (/^-?[0-9]{1,15}$/.test(text)) return Number(text);
  if (text === 'true') return true;
  if (text === 'false') return false;
  return text;
}
