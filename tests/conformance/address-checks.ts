/** Checks of the address category: encode/decode, text form, distances. */
import * as W from '../../modules/mycelium/wire/index.js';
import { type Check, type Context, Mismatch, hex, refused, same, value } from './util.js';

/** Why upstream's encoding of these coordinates is garbage, judged independently of our code. */
function badCoordsReason(coords: readonly number[], upstreamLossless: boolean): string | undefined {
  if (coords.some((c) => !Number.isInteger(c) || c < 0 || c > W.MAX_COORDINATE)) return 'coordinate outside 0..135 (upstream wraps)';
  const nibbles = coords.reduce((n, c) => n + (c < 8 ? 1 : 2), 0);
  if (nibbles > 32 && !upstreamLossless) return `${nibbles} nibbles (upstream truncates to 32, losing coordinates)`;
  return undefined;
}

function trimmed(coords: readonly number[]): number[] {
  let end = coords.length;
  while (end > 0 && coords[end - 1] === 0) end--;
  return coords.slice(0, end);
}

/** Tree state used for a case's text form: the number before the dash. */
function stateOf(text: string): number {
  const ts = Number(text.slice(0, text.indexOf('-')));
  if (!Number.isInteger(ts)) throw new Mismatch(`cannot read the tree state of "${text}"`);
  return ts;
}

function expectRefusal(ctx: Context, coords: readonly number[], upstreamLossless: boolean): void {
  const reason = badCoordsReason(coords, upstreamLossless);
  if (!reason) throw new Mismatch(`encode of [${coords.join(',')}] was refused but the coordinates are valid`);
  refused(`encode [${coords.join(',')}] (${reason})`, W.encodeCoords(coords));
  ctx.deliberate++;
}

export const address: Check = (c, ctx) => {
  switch (c.kind) {
    case 'encode': {
      const coords = c.coords as number[];
      const encoded = W.encodeCoords(coords);
      const lossless = JSON.stringify(c.decode_of_encoded) === JSON.stringify(trimmed(coords));
      if (!encoded.ok) {
        expectRefusal(ctx, coords, lossless);
        return undefined;
      }
      if (badCoordsReason(coords, lossless)) throw new Mismatch(`encode of invalid [${coords.join(',')}] was accepted`);
      same('encode', W.toHex(encoded.value), c.encode);
      const decoded = value('decode', W.decodeAddress(encoded.value));
      same('decode of encoded', decoded, c.decode_of_encoded);
      same('roundtrip', W.toHex(value('re-encode', W.encodeCoords(decoded))) === W.toHex(encoded.value) && decoded.length === coords.length, c.roundtrip_equal);
      const a = value('fromCoords', W.Address.fromCoords(stateOf(c.str), coords));
      same('str', a.toString(), c.str);
      const zero = a.coords.indexOf(0);
      same("dTree coords (up to the first zero)", zero < 0 ? a.coords : a.coords.slice(0, zero), c.dTree_coords);
      const back = value('parse str', W.Address.parse(c.str));
      same('from_str address', W.toHex(back.bytes), c.from_str_address);
      same('from_str coords', back.coords, c.from_str_coords);
      return undefined;
    }
    case 'decode': {
      const bytes = hex(c.address);
      const coords = value('decode', W.decodeAddress(bytes));
      same('coords', coords, c.coords);
      const re = W.encodeCoords(coords);
      if (re.ok) same('re-encoded', W.toHex(re.value), c.reencoded);
      else if (c.reencoded === c.address) throw new Mismatch('re-encode refused although upstream round-trips');
      else expectRefusal(ctx, coords, false);
      same('str', value('fromBytes', W.Address.fromBytes(stateOf(c.str), bytes)).toString(), c.str);
      return undefined;
    }
    case 'from_str': {
      const a = value('parse', W.Address.parse(c.input));
      same('tree_state', a.treeState, c.tree_state);
      same('address', W.toHex(a.bytes), c.address);
      same('coords', a.coords, c.coords);
      same('str', a.toString(), c.str);
      return undefined;
    }
    case 'distance': {
      same('cpl', W.cpl(c.a, c.b), c.cpl);
      same('dTree', W.dTree(c.a, c.b), c.dTree);
      same('dCPL', W.dCPL(c.a, c.b), Number(c.dCPL));
      return undefined;
    }
    case 'coords_vs_address_equality': {
      const a = value('fromCoords', W.Address.fromCoords(0, c.coords));
      const b = value('fromBytes', W.Address.fromBytes(0, a.bytes));
      same('equal', a.equals(b), c.equal);
      same('coords from bytes', b.coords, c.coords_from_bytes);
      return undefined;
    }
    default:
      throw new Mismatch(`unknown address case kind ${c.kind}`);
  }
};
