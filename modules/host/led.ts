/**
 * Upstream's LED language (protocol.md §8.3), as data: which colour the M5Stamp's NeoPixel shows
 * for 100 ms per activity, and when the M5StickC-PLUS2's red LED blinks.
 */
import type { Activity } from './activity.js';

export type Rgb = readonly [number, number, number];

const BLUE: Rgb = Object.freeze([0, 0, 255]) as Rgb;
const RED: Rgb = Object.freeze([255, 0, 0]) as Rgb;
const GREEN: Rgb = Object.freeze([0, 255, 0]) as Rgb;
const PURPLE: Rgb = Object.freeze([128, 0, 128]) as Rgb;
const WHITE: Rgb = Object.freeze([255, 255, 255]) as Rgb;
const PINK: Rgb = Object.freeze([255, 105, 180]) as Rgb;
const ORANGE: Rgb = Object.freeze([255, 165, 0]) as Rgb;

const PING_ANSWERED: readonly Rgb[] = Object.freeze([RED, WHITE, BLUE, RED, WHITE, BLUE]);

/** How long each colour of a sequence stays on, ms. */
export const LED_FLASH_MS = 100;

const BEACON_RESPONSE = 0x01;
const PING_RESPOND = 0x01;

/**
 * The M5Stamp's colours (upstream's M5stamp-Pico main): Beacon receive blue, broadcast red,
 * respond green; Gossip receive or respond purple; SpanningTree receive white, broadcast pink,
 * send orange; a Ping answer red, white, blue twice. Undefined: no flash.
 */
export function stampColours(a: Activity): readonly Rgb[] | undefined {
  switch (a.app) {
    case 'Beacon':
      if (a.kind === 'receive') return [BLUE];
      if (a.kind === 'broadcast') return [RED];
      return a.op === BEACON_RESPONSE ? [GREEN] : undefined;
    case 'Gossip':
      return a.kind === 'broadcast' ? undefined : [PURPLE];
    case 'SpanningTree':
      return a.kind === 'receive' ? [WHITE] : a.kind === 'broadcast' ? [PINK] : [ORANGE];
    case 'Ping':
      return a.kind === 'send' && a.op === PING_RESPOND ? PING_ANSWERED : undefined;
    default:
      return undefined;
  }
}

const TREE_REQUEST = 0xf0;
const TREE_ASSIGN = 0xff;

/** The PLUS2's LED on G19 blinks on Beacon and Gossip receive and on address requests/assignments. */
export function plus2Blinks(a: Activity): boolean {
  if (a.kind === 'receive' && (a.app === 'Beacon' || a.app === 'Gossip')) return true;
  return a.app === 'SpanningTree' && (a.op === TREE_REQUEST || a.op === TREE_ASSIGN);
}
