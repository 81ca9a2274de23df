/**
 * How far above the receiver's limit a frame arrived: the `+RCV` SNR minus the spreading
 * factor's demodulation floor (SX1261/2 datasheet §6.1.1: −7.5 dB at SF7, 2.5 dB lower per SF
 * step; SF5 −2.5, SF12 −20). A LoRa receiver loses about half its frames at the floor and almost
 * none a few dB above it, so the margin is what a link's delivery rate follows — whatever the SF,
 * where the raw SNR is not (−10 dB is a fine link at SF12 and a dead one at SF7).
 */

export function demodulationFloorDb(sf: number): number {
  return -7.5 - 2.5 * (sf - 7);
}

export function snrMarginDb(snr: number, sf: number): number {
  return snr - demodulationFloorDb(sf);
}
