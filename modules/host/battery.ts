/**
 * A battery gauge from an ADC pin behind a voltage divider, as on the M5StickC-PLUS2 (GPIO 38,
 * ADC1 channel 2, a 1:2 divider; the board has no power-management chip to ask). Pure: the host
 * passes in its `embedded:io/analog` reader, tests a stand-in.
 *
 * Moddable's ESP32 analog driver reads calibrated millivolts at 12 dB attenuation and rescales
 * them to `0 .. 2^resolution - 1` over 0..2450 mV (modules/io/analog/esp32/_analog.c), so the pin
 * voltage is `read() * 2450 / (2^resolution - 1)`. The percentage follows M5Stack's own library
 * (M5Unified Power_Class::getBatteryLevel): linear from 3.30 V (0 %) to 4.10 V (100 %).
 */

export interface AnalogInput {
  read(): number;
  readonly resolution: number;
}

export interface DividerGauge {
  /** Millivolts the ADC's full scale stands for (Moddable ESP32, 12 dB: 2450). */
  readonly fullScaleMv: number;
  /** Battery voltage / pin voltage (the PLUS2: 2). */
  readonly divider: number;
  readonly emptyMv: number;
  readonly fullMv: number;
  /** Readings averaged per call: one ADC sample is noisy by a few percent. */
  readonly samples: number;
}

export const PLUS2_GAUGE: DividerGauge = Object.freeze({ fullScaleMv: 2450, divider: 2, emptyMv: 3300, fullMv: 4100, samples: 8 });

/** Battery millivolts for one averaged ADC reading. */
export function batteryMv(reading: number, resolution: number, g: DividerGauge): number {
  return (reading * g.fullScaleMv * g.divider) / (2 ** resolution - 1);
}

/** 0..100 for a battery voltage; undefined for nonsense. */
export function batteryPercent(mv: number, g: DividerGauge): number | undefined {
  if (!Number.isFinite(mv) || mv <= 0) return undefined;
  return Math.min(100, Math.max(0, Math.round(((mv - g.emptyMv) * 100) / (g.fullMv - g.emptyMv))));
}

/** A `battery` option for MeshHost: the charge in percent, or undefined when the ADC fails. */
export function dividerGauge(adc: AnalogInput, g: DividerGauge = PLUS2_GAUGE): () => number | undefined {
  return () => {
    let sum = 0;
    for (let i = 0; i < g.samples; i++) {
      const v = adc.read();
      if (typeof v !== 'number' || !Number.isFinite(v)) return undefined;
      sum += v;
    }
    return batteryPercent(batteryMv(sum / g.samples, adc.resolution, g), g);
  };
}
