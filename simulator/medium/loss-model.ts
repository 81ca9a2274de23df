/**
 * Distance → frame loss probability. A model has a `reach`: beyond it a frame never arrives
 * (and the spatial grid does not even look), within it each frame is lost independently with
 * probability `lossAt(d)`. See MEDIUM.md for the shapes.
 */

export type LossModelSpec =
  /** Every frame arrives within `range` (minus `baseLoss`), none beyond. */
  | { readonly model: 'unit-disk'; readonly range: number; readonly baseLoss?: number }
  /** `baseLoss` up to r0, then a straight ramp to certain loss at r1 (the reach). */
  | { readonly model: 'linear'; readonly r0: number; readonly r1: number; readonly baseLoss?: number }
  /**
   * A logistic curve: loss is ½ (above baseLoss) at `d50`, and `width` sets how sharp the edge
   * is (loss goes from ≈12 % to ≈88 % over d50 ± 2·width). Reach: where it passes 99 %.
   */
  | { readonly model: 'logistic'; readonly d50: number; readonly width: number; readonly baseLoss?: number };

export interface LossModel {
  readonly spec: LossModelSpec;
  /** Distance beyond which nothing is received. */
  readonly reach: number;
  /** Loss probability at distance d ≤ reach, in [0, 1]. */
  lossAt(d: number): number;
}

export function makeLossModel(spec: LossModelSpec): LossModel {
  const base = spec.baseLoss ?? 0;
  switch (spec.model) {
    case 'unit-disk':
      return { spec, reach: spec.range, lossAt: () => base };
    case 'linear': {
      const { r0, r1 } = spec;
      return {
        spec,
        reach: r1,
        lossAt: (d) => (d <= r0 ? base : d >= r1 ? 1 : base + ((1 - base) * (d - r0)) / (r1 - r0)),
      };
    }
    case 'logistic': {
      const { d50, width } = spec;
      // 1/(1+e^-x) = 0.99 at x = ln 99
      const reach = d50 + width * Math.log(99);
      return {
        spec,
        reach,
        lossAt: (d) => base + (1 - base) / (1 + Math.exp(-(d - d50) / width)),
      };
    }
  }
}

/**
 * A rough RSSI for the hub's RECV (dBm, log-distance path loss, exponent 2.7, −40 dBm at 1 m).
 * Only indicative: the medium decides delivery from the loss model, not from this figure, except
 * which of two overlapping frames a receiver keeps when capture is on (MediumOptions.captureDb).
 */
export function rssiAt(d: number): number {
  const r = Math.round(-40 - 27 * Math.log10(Math.max(d, 1)));
  return r < -127 ? -127 : r;
}
