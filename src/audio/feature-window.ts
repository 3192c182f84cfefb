/** Kaldi's analysis windows (symmetric, as torchaudio.compliance.kaldi builds them). */

/** Window shapes Kaldi offers; 'povey' (Hann to the power 0.85) is its default. */
export type WindowType = 'povey' | 'hanning' | 'hamming' | 'rectangular' | 'blackman';

/** The window of `size` samples. */
export function featureWindow(type: WindowType, size: number, blackmanCoeff = 0.42): Float64Array {
  const w = new Float64Array(size);
  const a = (2 * Math.PI) / (size - 1);
  for (let i = 0; i < size; i++) {
    const hann = 0.5 - 0.5 * Math.cos(a * i);
    switch (type) {
      case 'povey': w[i] = Math.pow(hann, 0.85); break;
      case 'hanning': w[i] = hann; break;
      case 'hamming': w[i] = 0.54 - 0.46 * Math.cos(a * i); break;
      case 'rectangular': w[i] = 1; break;
      case 'blackman': w[i] = blackmanCoeff - 0.5 * Math.cos(a * i) + (0.5 - blackmanCoeff) * Math.cos(2 * a * i); break;
      default: throw new Error(`fbank: unknown window type ${JSON.stringify(type)}`);
    }
  }
  return w;
}
