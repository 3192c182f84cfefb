import { Random } from '../../math/random.js';

/** Noise spectra: flat, 1/f, 1/f^2. */
export type NoiseColour = 'white' | 'pink' | 'brown';

/**
 * Mean power of the active part of `x`: the mean over 20 ms frames whose power is within
 * 30 dB of the loudest, so that the engines' leading and trailing silence does not lower
 * the speech level an SNR is measured against.
 */
export function activePower(x: Float32Array, sampleRate: number): number {
  const size = Math.max(1, Math.round(sampleRate * 0.02));
  const powers: number[] = [];
  for (let start = 0; start < x.length; start += size) {
    let s = 0;
    const end = Math.min(x.length, start + size);
    for (let i = start; i < end; i++) s += x[i]! * x[i]!;
    powers.push(s / (end - start));
  }
  const max = Math.max(0, ...powers);
  const active = powers.filter((p) => p >= max * 1e-3);
  return active.length ? active.reduce((a, b) => a + b, 0) / active.length : 0;
}

/** `n` samples of unit-power noise of `colour`. */
export function colouredNoise(n: number, colour: NoiseColour, rng: Random): Float32Array {
  const out = new Float32Array(n);
  rng.fillNormal(out);
  if (colour === 'pink') {
    // Paul Kellett's economy pink filter over the white samples.
    let b0 = 0, b1 = 0, b2 = 0;
    for (let i = 0; i < n; i++) {
      const w = out[i]!;
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      out[i] = b0 + b1 + b2 + w * 0.1848;
    }
  } else if (colour === 'brown') {
    let y = 0;
    for (let i = 0; i < n; i++) {
      y = 0.995 * y + out[i]!; // leaky integration keeps it from drifting
      out[i] = y;
    }
  }
  return toUnitPower(out);
}

/** Scales `x` in place to unit mean power (all zeros stay zeros); returns it. */
export function toUnitPower(x: Float32Array): Float32Array {
  let p = 0;
  for (let i = 0; i < x.length; i++) p += x[i]! * x[i]!;
  const k = p > 0 ? 1 / Math.sqrt(p / x.length) : 0;
  for (let i = 0; i < x.length; i++) x[i]! *= k;
  return x;
}

/** Adds noise to `x` (in place) at `snrDb` below its active speech power. */
export function addNoise(x: Float32Array, sampleRate: number, snrDb: number, colour: NoiseColour, seed: number): Float32Array {
  const noise = colouredNoise(x.length, colour, new Random(seed));
  const gain = Math.sqrt(activePower(x, sampleRate) / 10 ** (snrDb / 10));
  for (let i = 0; i < x.length; i++) x[i]! += gain * noise[i]!;
  return x;
}
