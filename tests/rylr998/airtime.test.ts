import { loraAirtimeMs, loraSymbolMs, loraSymbols } from '../../modules/rylr998/airtime.js';

describe('loraAirtimeMs (Semtech AN1200.13 / SX1261/2 §6.1.4)', () => {
  it('matches the AN1200.13 worked example: 13 bytes, SF9, BW125, CR4/5, preamble 8 → 164.864 ms', () => {
    // Published in "LoRa airtime calculator" (Google sheet 1voGAtQAjC1qBmaVuP1ApNKs1ekgUjavHuVQIXyYSvNc,
    // "Formulas taken from AN1200.13"): Tsym 4.096 ms, Tpreamble 50.176 ms, 28 payload symbols,
    // Tpayload 114.688 ms, Tpacket 164.864 ms.
    const p = { sf: 9, bw: 125_000, cr: 1, preamble: 8, payloadBytes: 13, crc: true, explicitHeader: true, lowDataRateOptimize: false };
    expect(loraSymbolMs(9, 125_000)).toBeCloseTo(4.096, 9);
    expect(loraSymbols(p) - 12.25).toBe(28);
    expect(loraAirtimeMs(p)).toBeCloseTo(164.864, 6);
  });

  it('turns low-data-rate optimisation on by itself at SF12/BW125 (symbol ≥ 16 ms)', () => {
    // 51 bytes at SF12/BW125, CR4/5, preamble 8: by the formula, 8 + ceil(404/40)·5 = 63 payload
    // symbols + 12.25 preamble = 75.25 × 32.768 ms = 2465.792 ms (the usual "2465.8 ms" figure).
    const p = { sf: 12, bw: 125_000, cr: 1, preamble: 8, payloadBytes: 51 };
    expect(loraAirtimeMs(p)).toBeCloseTo(2465.792, 6);
    expect(loraAirtimeMs({ ...p, lowDataRateOptimize: false })).toBeLessThan(loraAirtimeMs(p));
  });

  it('SF7/BW125 51 bytes: 102.656 ms', () => {
    expect(loraAirtimeMs({ sf: 7, bw: 125_000, cr: 1, preamble: 8, payloadBytes: 51 })).toBeCloseTo(102.656, 6);
  });

  it('a full RYLR-998 frame at its defaults (SF9/BW125/CR4/5, preamble 12) takes over a second', () => {
    // 240 data bytes + the 8 bytes the module adds (REYAX AT guide) = 248 LoRa payload bytes.
    const ms = loraAirtimeMs({ sf: 9, bw: 125_000, cr: 1, preamble: 12, payloadBytes: 248 });
    expect(ms).toBeGreaterThan(1200);
    expect(ms).toBeLessThan(1300);
  });

  it('SF5/SF6 (SX126x only) use 6.25 preamble symbols and no "+8" in the numerator', () => {
    // SF6, BW125, CR4/5, preamble 8, 10 bytes, CRC on, explicit header:
    // 8·10 − 24 + 16 + 20 = 92 → ceil(92/24) = 4 blocks · 5 = 20 → 8 + 20 + 14.25 = 42.25 symbols.
    expect(loraSymbols({ sf: 6, bw: 125_000, cr: 1, preamble: 8, payloadBytes: 10 })).toBe(42.25);
  });

  it('grows with payload, coding rate and preamble, and shrinks with bandwidth', () => {
    const base = { sf: 9, bw: 125_000, cr: 1, preamble: 12, payloadBytes: 50 };
    const t = loraAirtimeMs(base);
    expect(loraAirtimeMs({ ...base, payloadBytes: 100 })).toBeGreaterThan(t);
    expect(loraAirtimeMs({ ...base, cr: 4 })).toBeGreaterThan(t);
    expect(loraAirtimeMs({ ...base, preamble: 24 })).toBeGreaterThan(t);
    expect(loraAirtimeMs({ ...base, bw: 500_000 })).toBeCloseTo(t / 4, 9);
  });
});
