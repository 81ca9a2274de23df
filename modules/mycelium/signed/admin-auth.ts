/**
 * Signed admin (issue 20; issue 19 class 9): in signed mode a DebugApp admin op (REQUIRE_*) is
 * accepted only when signed by an operator key the node trusts, with a counter above the last
 * one accepted from that key. The counter is kept in platform storage (Preferences on a board),
 * so a request captured on the air fails after the node reboots too — a timestamp window cannot
 * do that, since the node's clock restarts. No password crosses the air.
 *
 * The op's data (upstream's u8(len) ‖ more ‖ password) becomes:
 *   u8(len) ‖ more ‖ counter u64 BE ‖ signature (64)
 *   signed bytes = "myc-admin\x01" ‖ target node id (32) ‖ op (1) ‖ counter u64 BE ‖ more
 * The target id is signed so a request for one node cannot be replayed at another.
 */
import type { AdminCheck, AdminChecker } from '../apps/debug.js';
import type { Platform } from '../platform/platform.js';
import { bytesEqual, concatBytes, toHex, utf8Encode } from '../wire/bytes.js';
import { SIGNATURE_BYTES } from './tree-chain.js';

const ADMIN_DOMAIN = 'myc-admin\x01';
const COUNTER_BYTES = 8;
/** Operator keys a node trusts (each has its stored counter). */
export const OPERATORS_LIMIT = 4;

function u64be(n: bigint): Uint8Array {
  const out = new Uint8Array(COUNTER_BYTES);
  new DataView(out.buffer).setBigUint64(0, n);
  return out;
}

export function adminMessage(target: Uint8Array, op: number, counter: bigint, more: Uint8Array): Uint8Array {
  return concatBytes(utf8Encode(ADMIN_DOMAIN), target, Uint8Array.of(op), u64be(counter), more);
}

/** The data field of a signed admin op (what the operator's console sends). */
export function signedAdminData(sign: (m: Uint8Array) => Uint8Array, target: Uint8Array, op: number, counter: bigint, more: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(more.length), more, u64be(counter), sign(adminMessage(target, op, counter, more)));
}

/** Storage key of an operator's last accepted counter (≤ 15 characters: ESP-IDF NVS). */
export function counterKey(operator: Uint8Array): string {
  return 'adm_' + toHex(operator.subarray(0, 5));
}

/** What DebugApp asks in signed mode instead of the password check and the replay window. */
export class AdminAuth implements AdminChecker {
  readonly #platform: Platform;
  readonly #operators: Uint8Array[];
  /** Counters not yet stored (a platform without storage: kept while the node runs). */
  readonly #counters = new Map<string, bigint>();

  constructor(platform: Platform, operators: readonly Uint8Array[]) {
    if (operators.length > OPERATORS_LIMIT) throw new RangeError(`at most ${OPERATORS_LIMIT} operator keys`);
    this.#platform = platform;
    this.#operators = operators.map((k) => k.slice());
  }

  /** Check an admin op addressed to `self`; on success the counter is stored before the op runs. */
  check(self: Uint8Array, op: number, data: Uint8Array): AdminCheck {
    const ed = this.#platform.signatures;
    const len = data.length > 0 ? data[0] : -1;
    if (!ed || len < 0 || data.length !== 1 + len + COUNTER_BYTES + SIGNATURE_BYTES) return { ok: false, why: 'bad_data' };
    const more = data.slice(1, 1 + len);
    const counter = new DataView(data.buffer, data.byteOffset + 1 + len, COUNTER_BYTES).getBigUint64(0);
    const signature = data.subarray(1 + len + COUNTER_BYTES);
    const message = adminMessage(self, op, counter, more);
    const operator = this.#operators.find((k) => ed.verify(k, message, signature));
    if (!operator) return { ok: false, why: 'untrusted' };
    const key = counterKey(operator);
    if (counter <= this.#last(key)) return { ok: false, why: 'replay' };
    this.#counters.set(key, counter);
    this.#platform.storage?.set(key, u64be(counter));
    return { ok: true, more };
  }

  #last(key: string): bigint {
    const stored = this.#platform.storage?.get(key);
    const fromStorage = stored && stored.length === COUNTER_BYTES ? new DataView(stored.buffer, stored.byteOffset, COUNTER_BYTES).getBigUint64(0) : -1n;
    const held = this.#counters.get(key) ?? -1n;
    return fromStorage > held ? fromStorage : held;
  }

  trusts(key: Uint8Array): boolean {
    return this.#operators.some((k) => bytesEqual(k, key));
  }
}
