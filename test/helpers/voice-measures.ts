/**
 * Slow, plain measures of speech for the corpus perturbation tests: median F0 by
 * autocorrelation over voiced frames, and the mean spectral centroid (naive DFT) of the
 * loud frames. Frames within 20 dB of the loudest count; silence does not.
 */

function frames(x: Float32Array, sampleRate: number, seconds: number): { start: number; size: number; energy: number }[] {
  const size = Math.round(sampleRate * seconds);
  const hop = Math.round(sampleRate * 0.01);
  const out: { start: number; size: number; energy: number }[] = [];
  for (let start = 0; start + size <= x.length; start += hop) {
    let e = 0;
    for (let i = start; i < start + size; i++) e += x[i]! * x[i]!;
    out.push({ start, size, energy: e });
  }
  const max = Math.max(0, ...out.map((f) => f.energy));
  return out.filter((f) => f.energy >= max * 0.01);
}

/** F0 in Hz (60-450 Hz) of every frame whose normalised autocorrelation peak is above 0.5, sorted. */
export function f0Values(x: Float32Array, sampleRate: number): number[] {
  const f0s: number[] = [];
  const lo = Math.floor(sampleRate / 450);
  const hi = Math.ceil(sampleRate / 60);
  for (const f of frames(x, sampleRate, 0.04)) {
    let mean = 0;
    for (let i = 0; i < f.size; i++) mean += x[f.start + i]!;
    mean /= f.size;
    const fr = Float64Array.from({ length: f.size }, (_, i) => x[f.start + i]! - mean);
    let r0 = 0;
    for (const v of fr) r0 += v * v;
    let best = 0;
    let bestLag = 0;
    for (let lag = lo; lag <= hi; lag++) {
      let r = 0;
      for (let i = 0; i + lag < f.size; i++) r += fr[i]! * fr[i + lag]!;
      if (r > best) { best = r; bestLag = lag; }
    }
    if (r0 > 0 && best / r0 > 0.5) f0s.push(sampleRate / bestLag);
  }
  if (f0s.length === 0) throw new Error('f0Values: no voiced frame');
  return f0s.sort((a, b) => a - b);
}

/** The q-quantile of sorted values. */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Median F0 in Hz over the voiced frames. */
export function medianF0(x: Float32Array, sampleRate: number): number {
  return quantile(f0Values(x, sampleRate), 0.5);
}

/** Magnitude spectra (Hann window, naive DFT) of every fourth loud 32 ms frame; bin b is b * sampleRate / size Hz. */
function spectra(x: Float32Array, sampleRate: number): { size: number; mags: Float64Array[] } {
  const all = frames(x, sampleRate, 0.032);
  const size = all[0]?.size ?? 0;
  const mags: Float64Array[] = [];
  for (let k = 0; k < all.length; k += 4) {
    const f = all[k]!;
    const w = Float64Array.from({ length: size }, (_, i) => x[f.start + i]! * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1))));
    const mag = new Float64Array(size / 2);
    for (let bin = 1; bin < size / 2; bin++) {
      let re = 0;
      let im = 0;
      const step = (2 * Math.PI * bin) / size;
      for (let i = 0; i < size; i++) {
        re += w[i]! * Math.cos(step * i);
        im -= w[i]! * Math.sin(step * i);
      }
      mag[bin] = Math.hypot(re, im);
    }
    mags.push(mag);
  }
  return { size, mags };
}

/** Mean spectral centroid in Hz of the loud frames. */
export function spectralCentroid(x: Float32Array, sampleRate: number): number {
  const { size, mags } = spectra(x, sampleRate);
  let sum = 0;
  for (const mag of mags) {
    let num = 0;
    let den = 0;
    for (let bin = 1; bin < mag.length; bin++) {
      num += mag[bin]! * ((bin * sampleRate) / size);
      den += mag[bin]!;
    }
    sum += den > 0 ? num / den : 0;
  }
  return sum / mags.length;
}

/** Share of the loud frames' energy above `hz`. */
export function energyAbove(x: Float32Array, sampleRate: number, hz: number): number {
  const { size, mags } = spectra(x, sampleRate);
  let above = 0;
  let total = 0;
  for (const mag of mags) {
    for (let bin = 1; bin < mag.length; bin++) {
      const p = mag[bin]! * mag[bin]!;
      total += p;
      if ((bin * sampleRate) / size > hz) above += p;
    }
  }
  return above / total;
}
