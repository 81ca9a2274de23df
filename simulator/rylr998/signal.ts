/**
 * The SNR the twin reports in `+RCV` for a frame: the figure an SX1262 would show on a link that
 * loses frames as often as the medium's loss model says this one does. It is a function of the
 * link (its distance and the model), never of whether this frame's loss draw succeeded, so a
 * receiver learns how good a link is from the figure and not from a glimpse of the dice.
 *
 * A LoRa receiver's packet error rate is a steep curve of SNR around the spreading factor's
 * demodulation floor (modules/rylr998/link-margin.ts): about half the frames are lost at the
 * floor, almost none a few dB above. We model that curve as a
 * logistic of width `SNR_WIDTH_DB` and invert it: loss p ↦ floor + width · ln((1 − p) / p),
 * rounded to whole dB as the module prints it and clamped to the range it reports.
 */

import { demodulationFloorDb } from '../../modules/rylr998/link-margin.js';

/** dB of SNR over which the modelled loss goes from ½ to 1/(1 + e) ≈ 27 %. */
export const SNR_WIDTH_DB = 1;
/** The range the module reports (a strong link reads at the top). */
const SNR_MIN_DB = -30;
const SNR_MAX_DB = 12;

export function snrForLoss(loss: number, sf: number): number {
  const floor = demodulationFloorDb(sf);
  if (!(loss > 0)) return SNR_MAX_DB;
  if (loss >= 1) return SNR_MIN_DB;
  const snr = Math.round(floor + SNR_WIDTH_DB * Math.log((1 - loss) / loss));
  return Math.max(SNR_MIN_DB, Math.min(SNR_MAX_DB, snr));
}
