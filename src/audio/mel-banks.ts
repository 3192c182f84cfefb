/** Kaldi's mel filterbank (as torchaudio.compliance.kaldi.get_mel_banks, no VTLN warping). */

/** Kaldi's mel scale: 1127 ln(1 + f / 700). */
export function melScale(freq: number): number {
  return 1127 * Math.log(1 + freq / 700);
}

/** Inverse of {@link melScale}. */
export function inverseMelScale(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/**
 * Triangular filters stored sparsely: filter m covers FFT bins start[m] .. start[m] +
 * length[m] - 1 with weights weights[offset[m] + k].
 */
export interface MelBanks {
  numBins: number;
  start: Int32Array;
  length: Int32Array;
  offset: Int32Array;
  weights: Float64Array;
  /** Centre frequency of each filter in Hz. */
  centreFreqs: Float64Array;
}

/**
 * Builds `numBins` triangular filters, equally spaced in mel between lowFreq and highFreq,
 * over the first paddedWindow/2 FFT bins; as in Kaldi, the Nyquist bin gets no weight.
 * A highFreq <= 0 is an offset from the Nyquist frequency.
 */
export function melBanks(numBins: number, paddedWindow: number, sampleRate: number, lowFreq: number, highFreq: number): MelBanks {
  if (!Number.isInteger(numBins) || numBins <= 3) throw new Error(`fbank: numMelBins must be an integer > 3, got ${numBins}`);
  const nyquist = sampleRate / 2;
  const high = highFreq <= 0 ? highFreq + nyquist : highFreq;
  if (!(lowFreq >= 0 && lowFreq < nyquist && high > 0 && high <= nyquist && lowFreq < high)) {
    throw new Error(`fbank: bad lowFreq ${lowFreq} / highFreq ${highFreq} for Nyquist ${nyquist}`);
  }
  const fftBins = paddedWindow / 2;
  const binWidth = sampleRate / paddedWindow;
  const melLow = melScale(lowFreq);
  const melDelta = (melScale(high) - melLow) / (numBins + 1);
  const mels = new Float64Array(fftBins);
  for (let k = 0; k < fftBins; k++) mels[k] = melScale(binWidth * k);
  const start = new Int32Array(numBins);
  const length = new Int32Array(numBins);
  const offset = new Int32Array(numBins);
  const centreFreqs = new Float64Array(numBins);
  const all: number[] = [];
  for (let m = 0; m < numBins; m++) {
    const left = melLow + m * melDelta;
    const centre = left + melDelta;
    const right = centre + melDelta;
    centreFreqs[m] = inverseMelScale(centre);
    let first = -1;
    let last = -1;
    const w: number[] = [];
    for (let k = 0; k < fftBins; k++) {
      const up = (mels[k]! - left) / (centre - left);
      const down = (right - mels[k]!) / (right - centre);
      const v = Math.max(0, Math.min(up, down));
      if (v > 0) {
        if (first < 0) first = k;
        last = k;
      }
      if (first >= 0) w.push(v);
    }
    if (first < 0) throw new Error(`fbank: mel filter ${m} covers no FFT bin; use fewer mel bins or a longer window`);
    start[m] = first;
    length[m] = last - first + 1;
    offset[m] = all.length;
    for (let k = 0; k < length[m]!; k++) all.push(w[k]!);
  }
  return { numBins, start, length, offset, weights: Float64Array.from(all), centreFreqs };
}
