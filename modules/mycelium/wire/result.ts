/**
 * Results instead of exceptions: every parser and encoder in `wire/` returns a `Result`, so a
 * receive path never has to catch anything. A radio delivers garbage as a matter of course.
 */

/** Why a wire operation was refused. Stable strings: counters and tests key on them. */
export type WireErrorCode =
  | 'unknown_schema' // schema id not one of the 28 defined ids
  | 'bad_version' // version byte newer than PROTOCOL_VERSION
  | 'truncated' // fewer bytes than the fixed fields need
  | 'body_too_large' // body longer than the schema (or message) allows
  | 'field_range' // an integer field outside its width (e.g. packet_id 256 in one byte)
  | 'field_length' // a fixed-size byte field of the wrong length (to_addr must be 16 bytes)
  | 'missing_field' // a field the schema requires was not supplied
  | 'no_checksum_field' // checksum requested on a schema without one
  | 'checksum_mismatch' // CRC32 of the body differs from the checksum field
  | 'bad_sequence' // sequence construction or fragment outside its bounds
  | 'coordinate_range' // tree coordinate outside 0..135
  | 'address_overflow' // coordinates need more than 16 bytes
  | 'bad_address' // address bytes/text that do not denote an address
  | 'bad_message' // an app message that does not parse
  | 'no_schema' // no schema can carry this Package over the given interfaces
  // Packager refusals (a send that cannot go out):
  | 'no_route' // destination is neither a peer nor reachable through a route
  | 'no_address' // routed send while this node has no address in the destination's tree
  | 'no_interface' // no attached interface can reach the destination
  | 'busy' // every outbound sequence slot holds a sequence still in flight: retry later
  | 'bad_argument'; // an API argument of the wrong shape (not something a radio sent)

export interface WireError {
  readonly code: WireErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: WireErrorCode, message: string): Result<T> {
  return { ok: false, error: { code, message } };
}

/** Thrown only by `unwrap`, for callers (apps, tests, consoles) that prefer exceptions. */
export class MeshError extends Error {
  readonly code: WireErrorCode;
  constructor(error: WireError) {
    super(error.message);
    this.name = 'MeshError';
    this.code = error.code;
  }
}

/** Value of a successful result; throws `MeshError` otherwise. Never use on a receive path. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new MeshError(result.error);
}
