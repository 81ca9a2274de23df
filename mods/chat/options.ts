/**
 * The chat app's options (its manifest `config` on a board, the scenario's entry in the
 * simulator), checked once at start: a bad value throws a TypeError naming the option, which
 * stops the app and is reported by the host, instead of a chat that half works.
 * Options it does not know (such as the host's `app`) are left alone.
 */
import { cutUtf8 } from '../common/bytes.js';
import { MAX_NAME_BYTES, type TextCodec } from './codec.js';

export interface ChatOptions {
  /** Display name sent with SAY and HELLO. */
  readonly name: string;
  /** Gossip topic for SAY and HELLO. */
  readonly topic: string;
  /** Presence interval, ms; 0: never announce. */
  readonly announceMs: number;
  /** Received messages kept. */
  readonly inbox: number;
}

export const MAX_INBOX = 64;
const MAX_TOPIC_CHARS = 64;
const MIN_ANNOUNCE_S = 10;
const MAX_ANNOUNCE_S = 86_400;

/** Where the defaults come from: the node (its name setting, its id) and the API's UTF-8. */
export interface ChatDefaults extends TextCodec {
  readonly nodeName: string;
  readonly nodeId: string;
}

export function chatOptions(options: Readonly<Record<string, unknown>>, node: ChatDefaults): ChatOptions {
  return {
    name: nameOption(options.name, node),
    topic: topicOption(options.topic),
    announceMs: announceOption(options.announce_s) * 1000,
    inbox: inboxOption(options.inbox),
  };
}

function nameOption(value: unknown, node: ChatDefaults): string {
  if (value === undefined || value === null) {
    // The board's name may be longer than a chat name: cut it where a character ends.
    const own = node.decodeText(cutUtf8(node.encodeText(node.nodeName), MAX_NAME_BYTES));
    return own !== '' ? own : node.nodeId.slice(0, 8);
  }
  if (typeof value !== 'string' || value.trim() === '' || node.encodeText(value).length > MAX_NAME_BYTES) {
    throw new TypeError(`chat: option "name" must be a non-empty string of at most ${MAX_NAME_BYTES} UTF-8 bytes`);
  }
  return value;
}

function topicOption(value: unknown): string {
  if (value === undefined || value === null) return 'chat';
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOPIC_CHARS) {
    throw new TypeError(`chat: option "topic" must be a string of 1-${MAX_TOPIC_CHARS} characters`);
  }
  return value;
}

function announceOption(value: unknown): number {
  if (value === undefined || value === null) return 120;
  if (typeof value !== 'number' || !(value === 0 || (value >= MIN_ANNOUNCE_S && value <= MAX_ANNOUNCE_S))) {
    throw new TypeError(`chat: option "announce_s" must be 0 (never) or ${MIN_ANNOUNCE_S}-${MAX_ANNOUNCE_S} seconds, not ${String(value)}`);
  }
  return value;
}

function inboxOption(value: unknown): number {
  if (value === undefined || value === null) return 16;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_INBOX) {
    throw new TypeError(`chat: option "inbox" must be an integer 1-${MAX_INBOX}, not ${String(value)}`);
  }
  return value;
}
