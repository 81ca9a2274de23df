/**
 * LoRa time on air: how long one packet occupies the channel, from the first preamble chirp to
 * the last payload symbol. Everything airtime-aware (the duty-cycle limiter, the driver's pacing,
 * the simulator's rylr998 profile) derives its timings from this one function.
 *
 * Semtech AN1200.13 "LoRa Modem Designer's Guide" (SX127x) and the SX1261/2 datasheet §6.1.4
 * (SX126x, the RYLR-998's transceiver) give the same formula for SF7–SF12:
 *   Tsym      = 2^SF / BW
 *   Tpreamble = (Npreamble + 4.25) · Tsym
 *   Nsymbols  = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
 * with PL the payload bytes, CRC 1 when the payload CRC is on, IH 1 for an implicit header, DE 1
 * with low-data-rate optimisation, CR 1..4 for coding rate 4/5..4/8. SF5 and SF6 exist only on
 * the SX126x and are different there: the preamble gains 6.25 symbols (not 4.25) and the "+ 8"
 * of the numerator (28 = 8 + 20 header bits) is gone (SX1261/2 datasheet §6.1.4).
 */

export interface LoraAirtimeParams {
  /** Spreading factor 5..12. */
  readonly sf: number;
  /** Bandwidth in Hz (125_000, 250_000, 500_000, ...). */
  readonly bw: number;
  /** Coding rate index 1..4 = 4/5..4/8 (the RYLR's AT+PARAMETER third field). */
  readonly cr: number;
  /** Programmed preamble length in symbols (RYLR default 12). */
  readonly preamble: number;
  /** Bytes in the LoRa payload (what the radio chip sends, not what the host asked for). */
  readonly payloadBytes: number;
  /** Payload CRC on (default true: the RYLR sends one). */
  readonly crc?: boolean;
  /** Explicit header (default true). */
  readonly explicitHeader?: boolean;
  /** Low-data-rate optimisation; default: on when a symbol lasts 16 ms or more (SF11/12 at 125 kHz). */
  readonly lowDataRateOptimize?: boolean;
}

/** Symbol duration in ms. */
export function loraSymbolMs(sf: number, bw: number): number {
  return (2 ** sf / bw) * 1000;
}

/** Symbols of preamble and payload together (the preamble's fractional part included). */
export function loraSymbols(p: LoraAirtimeParams): number {
  const { sf, cr, preamble, payloadBytes } = p;
  const crc = p.crc === false ? 0 : 1;
  const ih = p.explicitHeader === false ? 1 : 0;
  const de = (p.lowDataRateOptimize ?? loraSymbolMs(sf, p.bw) >= 16) ? 1 : 0;
  const low = sf < 7; // SX126x SF5/SF6
  const numerator = 8 * payloadBytes - 4 * sf + (low ? 0 : 8) + 16 * crc + (ih ? 0 : 20);
  const blocks = Math.max(Math.ceil(numerator / (4 * (sf - 2 * de))), 0);
  return preamble + (low ? 6.25 : 4.25) + 8 + blocks * (cr + 4);
}

/** Milliseconds one LoRa packet occupies the channel. */
export function loraAirtimeMs(p: LoraAirtimeParams): number {
  return loraSymbols(p) * loraSymbolMs(p.sf, p.bw);
}
