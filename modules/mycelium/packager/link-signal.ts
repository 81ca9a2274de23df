/**
 * Link quality from the radio's own signal figures, for neighbours that send no hellos
 * (docs/routing.md "Link quality", docs/lora.md "Link quality without Hello"). A LoRa module
 * reports each received frame's SNR; its margin over the spreading factor's demodulation floor
 * (modules/rylr998/link-margin.ts) tells how close the link is to losing frames: about half are
 * lost at the floor, almost none a few dB above. One frame is enough to tell a link at the edge
 * of range from a clean one, where counting hellos needs many periods — and LoRa's periods are
 * minutes long.
 *
 * Delivery is estimated from the smoothed margin as a logistic of width ESTIMATE_WIDTH_DB (wider,
 * so more cautious, than the sharpest receivers), and taken as the same both ways: the two ends of
 * a LoRa link share its path loss and, in a mesh of one radio setting, its power and floor. ETX =
 * 1 / delivery², ranked and judged like a hello-measured link (GOOD_ETX / BAD_ETX hysteresis).
 */
import { BAD_ETX, GOOD_ETX } from './link-quality.js';

/** dB over which the estimated delivery goes from ½ to 1/(1 + e^-1) ≈ 73 %. */
const ESTIMATE_WIDTH_DB = 1.5;
/** Weight of a new frame's margin in the smoothed figure (a few frames settle it). */
const SMOOTHING = 0.25;

export class LinkSignal {
  // TS-private, not #private: on XS an object's first #private field costs a slot of its own
  // (issue 21: one per LoRa neighbour).
  private smoothedDb: number;
  private frameCount = 1;
  private isGood = false;

  constructor(marginDb: number) {
    this.smoothedDb = marginDb;
  }

  /** Another frame arrived with this margin (dB over the demodulation floor). */
  add(marginDb: number): void {
    if (!Number.isFinite(marginDb)) return;
    this.smoothedDb += SMOOTHING * (marginDb - this.smoothedDb);
    if (this.frameCount < 0xffff) this.frameCount++;
  }

  get marginDb(): number {
    return this.smoothedDb;
  }

  get frames(): number {
    return this.frameCount;
  }

  /** Estimated share of frames that get through, each way. */
  delivery(): number {
    return 1 / (1 + Math.exp(-this.smoothedDb / ESTIMATE_WIDTH_DB));
  }

  /** Expected transmissions per frame and its answer; updates the good/bad state (hysteresis). */
  etx(): number {
    const d = this.delivery();
    const etx = 1 / (d * d);
    if (this.isGood ? etx > BAD_ETX : etx <= GOOD_ETX) this.isGood = !this.isGood;
    return etx;
  }

  good(): boolean {
    this.etx();
    return this.isGood;
  }
}
