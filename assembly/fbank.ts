// AssemblyScript source of sayre's filterbank frame kernel (compiled by assembly/build.mjs
// into src/audio/fbank-kernel.wasm.ts; not part of tsc's build). src/audio/fbank-wasm.ts
// drives it; src/audio/fbank-js.ts computes the same in TypeScript (float64).
//
// Per frame, as Kaldi: DC removal, pre-emphasis, window (times 32768, the int16 scale),
// zero padding to N, power (or magnitude) spectrum, sparse triangular mel filters, log.
// Four frames go through together, one per float32 lane, so every butterfly is plain
// lane-wise arithmetic with no shuffles. Each frame's real FFT of N points is the complex
// FFT of M = N/2 points of z[n] = x[2n] + i x[2n+1], split into the even and odd halves'
// spectra afterwards. (Packing two frames into one complex FFT instead would be as cheap,
// but a quiet frame would then carry its loud partner's rounding.) The FFT is a radix-4
// decimation-in-frequency one (a radix-2 stage last where log2 M is odd) on split real and
// imaginary arrays; its output stays in bit-reversed order and the split reads it through
// an index table. Eight groups of four make a batch, so that the mel filters, whose lengths
// vary, run over 32 frames per FFT bin.
//
// Precision: DC removal, pre-emphasis, window and energies are float64 (pre-emphasis
// cancels most of the low frequencies, so float32 rounding there would stand out near DC);
// the FFT, power spectrum and mel filters are float32, as in Kaldi and torchaudio: a mel
// energy far below its frame's strongest (some 60 dB or more) carries float32 rounding, as
// theirs does.
//
// deltaRows takes deltas of rows already computed, in float64 (Kaldi's filters; the caller
// handles the rows near an utterance's ends, where Kaldi clamps).
//
// Memory (byte offsets from heapBase, laid out by configure()): tables, work arrays, and the
// buffers the caller fills (samples, frame starts) and reads (feature rows).

let N: i32 = 0; // real FFT size (power of two >= 4)
let M: i32 = 0; // complex FFT size, N / 2
let half: i32 = 0; // FFT bins fed to the filters: 0 .. N/2 - 1
let size: i32 = 0; // frame length in samples (<= N)
let bins: i32 = 0; // mel filters
let stride: i32 = 0; // floats per output row
let melCol: i32 = 0; // column of the first mel value in a row
let preemph: f64 = 0; // pre-emphasis coefficient
let removeDc: bool = true;
let energyMode: i32 = 0; // 0 none, 1 raw (after DC removal), 2 windowed
let energyCol: i32 = 0; // column of the log energy in a row
let logFloor: f64 = 0; // floor on the log energy (may be -infinity)
let usePower: bool = true;
let useLog: bool = true;

let pTw: usize = 0; // N x (cos, -sin)(2 pi k / N): f32 pairs
let pIdx: usize = 0; // half x 2 i32: byte offsets of Z[k] and Z[(M - k) mod M] in the bit-reversed output
let pWin: usize = 0; // size f64: window x 32768 (written by the caller)
let pMelStart: usize = 0; // bins i32: first FFT bin of each filter (caller)
let pMelLen: usize = 0; // bins i32: FFT bins of each filter (caller)
let pMelOff: usize = 0; // bins i32: offset of each filter's weights (caller)
let pMelW: usize = 0; // f32 weights (caller)
let pRe: usize = 0; // M v128: real parts (even samples)
let pIm: usize = 0; // M v128: imaginary parts (odd samples)
let pPow: usize = 0; // half x 8 v128: per bin, the spectra of a batch's eight groups (see spectrum)
let pSamples: usize = 0; // f32 samples (caller)
let pStarts: usize = 0; // i32 per frame: index in samples of its first sample (caller)
let pOut: usize = 0; // f32 rows of `stride` (this kernel writes the mel, log energy and delta columns)
let pEnergy: usize = 0; // f64 per frame (energyMode != 0): energies before the log

const EPS: f32 = 1.1920928955078125e-7; // Kaldi's floor inside every log
const GROUP = 4; // frames per FFT
const BATCH = 32; // frames per pass of the mel filters

// @ts-ignore: decorator
@inline function align16(p: usize): usize {
  return (p + 15) & ~15;
}

/**
 * Sets the frame geometry and options, lays out memory (growing it as needed) and fills
 * the twiddle and index tables. The caller then writes the window and mel tables at
 * windowPtr() .. melWeightsPtr(). Returns 0, or -1 where memory cannot grow.
 */
export function configure(
  fftSize: i32, frameSize: i32, numBins: i32, numWeights: i32, rowStride: i32, firstMelCol: i32,
  maxFrames: i32, maxSamples: i32, preemphasis: f64, dc: bool, energy: i32, power: bool, log: bool,
  logEnergyCol: i32, logEnergyFloor: f64,
): i32 {
  N = fftSize;
  M = fftSize >> 1;
  half = fftSize >> 1;
  size = frameSize;
  bins = numBins;
  stride = rowStride;
  melCol = firstMelCol;
  preemph = preemphasis;
  removeDc = dc;
  energyMode = energy;
  energyCol = logEnergyCol;
  logFloor = logEnergyFloor;
  usePower = power;
  useLog = log;
  let p = align16(__heap_base);
  pTw = p; p = align16(p + <usize>N * 8);
  pIdx = p; p = align16(p + <usize>half * 8);
  pWin = p; p = align16(p + <usize>size * 8);
  pMelStart = p; p = align16(p + <usize>bins * 4);
  pMelLen = p; p = align16(p + <usize>bins * 4);
  pMelOff = p; p = align16(p + <usize>bins * 4);
  pMelW = p; p = align16(p + <usize>numWeights * 4);
  pRe = p; p += <usize>M * 16;
  pIm = p; p += <usize>M * 16;
  pPow = p; p += <usize>half * 128;
  pStarts = p; p = align16(p + <usize>(maxFrames + BATCH) * 4);
  pEnergy = p; p = align16(p + <usize>(maxFrames + BATCH) * 8);
  pOut = p; p = align16(p + <usize>maxFrames * rowStride * 4);
  pSamples = p; p = align16(p + <usize>maxSamples * 4 + 16);
  const pages = <i32>((p + 65535) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return -1;
  for (let k = 0; k < N; k++) {
    const a = (2.0 * Math.PI * <f64>k) / <f64>N;
    store<f32>(pTw + <usize>k * 8, <f32>Math.cos(a));
    store<f32>(pTw + <usize>k * 8 + 4, <f32>-Math.sin(a));
  }
  let bits = 0;
  while ((1 << bits) < M) bits++;
  for (let k = 0; k < half; k++) {
    store<i32>(pIdx + <usize>k * 8, reverse(k, bits) * 16);
    store<i32>(pIdx + <usize>k * 8 + 4, reverse((M - k) & (M - 1), bits) * 16);
  }
  return 0;
}

function reverse(k: i32, bits: i32): i32 {
  let r = 0;
  for (let b = 0; b < bits; b++) r |= ((k >> b) & 1) << (bits - 1 - b);
  return r;
}

export function windowPtr(): usize { return pWin; }
export function melStartPtr(): usize { return pMelStart; }
export function melLengthPtr(): usize { return pMelLen; }
export function melOffsetPtr(): usize { return pMelOff; }
export function melWeightsPtr(): usize { return pMelW; }
export function samplesPtr(): usize { return pSamples; }
export function startsPtr(): usize { return pStarts; }
export function outPtr(): usize { return pOut; }

/**
 * Features of `count` frames: frame f reads samples[starts[f] ..][0 .. size) and writes the
 * mel columns of out row f, and its log energy where energyMode != 0.
 */
export function run(count: i32): void {
  for (let b = 0; b < count; b += BATCH) {
    for (let g = b; g < count && g < b + BATCH; g += GROUP) {
      windowFour(g, count);
      fft();
      spectrum(pPow + <usize>((g - b) >> 2) * 16);
    }
    melRows(b, count - b < BATCH ? count - b : BATCH);
  }
  if (energyMode != 0) {
    for (let f = 0; f < count; f++) {
      const e = load<f64>(pEnergy + <usize>f * 8);
      const v = Math.log(e > <f64>EPS ? e : <f64>EPS);
      store<f32>(pOut + (<usize>f * stride + energyCol) * 4, <f32>(v > logFloor ? v : logFloor));
    }
  }
}

/**
 * Order-i deltas of out rows [from, to): columns [i dim, (i + 1) dim) from the regression
 * window over columns [(i - 1) dim, i dim) of rows from - window .. to + window - 1, in
 * float64 (src/audio/deltas.ts, deltaInteriorRows, says why this is Kaldi's filter).
 */
export function deltaRows(from: i32, to: i32, dim: i32, i: i32, window: i32): void {
  let norm = 0;
  for (let j = 1; j <= window; j++) norm += 2 * j * j;
  const inv = 1.0 / <f64>norm;
  const vinv = f64x2.splat(inv);
  const rb = <usize>stride * 4;
  const src = <usize>(i - 1) * dim * 4;
  const dst = <usize>i * dim * 4;
  for (let r = from; r < to; r++) {
    const row = pOut + <usize>r * rb;
    let d = 0;
    for (; d + 1 < dim; d += 2) {
      const at = row + src + <usize>d * 4;
      let v = f64x2.splat(0);
      for (let j = 1; j <= window; j++) {
        const o = <usize>j * rb;
        const up = f64x2.promote_low_f32x4(v128.load64_zero(at + o));
        const down = f64x2.promote_low_f32x4(v128.load64_zero(at - o));
        v = f64x2.add(v, f64x2.mul(f64x2.splat(<f64>j), f64x2.sub(up, down)));
      }
      v128.store64_lane(row + dst + <usize>d * 4, f32x4.demote_f64x2_zero(f64x2.mul(v, vinv)), 0);
    }
    for (; d < dim; d++) {
      const at = row + src + <usize>d * 4;
      let v: f64 = 0;
      for (let j = 1; j <= window; j++) {
        const o = <usize>j * rb;
        v += <f64>j * (<f64>load<f32>(at + o) - <f64>load<f32>(at - o));
      }
      store<f32>(row + dst + <usize>d * 4, <f32>(v * inv));
    }
  }
}

/** Address of frame f's first sample (a frame past the last: the last one's, to fill a group). */
// @ts-ignore: decorator
@inline function frameAt(f: i32, count: i32): usize {
  return pSamples + (<usize>load<i32>(pStarts + <usize>(f < count ? f : count - 1) * 4) << 2);
}

/** Mean of the frame at src (float64 sums: two accumulators of two lanes). */
function frameMean(src: usize): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < size; i += 4) {
    const x = v128.load(src + <usize>i * 4);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(x));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < size; i++) t += <f64>load<f32>(src + <usize>i * 4);
  return t / <f64>size;
}

/** Sum of (x - mean)^2 over the frame at src, times 32768^2: Kaldi's raw energy. */
function rawEnergy(src: usize, mean: f64): f64 {
  const vm = f64x2.splat(mean);
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 1 < size; i += 2) {
    const v = f64x2.sub(f64x2.promote_low_f32x4(v128.load64_zero(src + <usize>i * 4)), vm);
    s = f64x2.add(s, f64x2.mul(v, v));
  }
  let e = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < size; i++) {
    const v = <f64>load<f32>(src + <usize>i * 4) - mean;
    e += v * v;
  }
  return e * (32768.0 * 32768.0);
}

/** Samples i of the frames at a and b as the float64 lanes (a[i], b[i]). */
// @ts-ignore: decorator
@inline function samplePair(a: usize, b: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load32_lane(b + <usize>i * 4, v128.load32_zero(a + <usize>i * 4), 1));
}

/**
 * Frames f .. f + 3 into the four lanes of the FFT input, even samples to pRe and odd ones
 * to pIm, zero-padded to N: DC removal, pre-emphasis (x[-1] taken as x[0], as Kaldi),
 * window, in float64 (two frames a vector) and then rounded: in float32, the rounding of
 * x[i] - c x[i-1] - (1 - c) mean would stand out in the weakest bands, near DC.
 * Stores their energies (energyMode != 0).
 */
function windowFour(f: i32, count: i32): void {
  const a = frameAt(f, count), b = frameAt(f + 1, count), c = frameAt(f + 2, count), d = frameAt(f + 3, count);
  const ma = removeDc ? frameMean(a) : 0.0, mb = removeDc ? frameMean(b) : 0.0;
  const mc = removeDc ? frameMean(c) : 0.0, md = removeDc ? frameMean(d) : 0.0;
  const e = pEnergy + <usize>f * 8;
  if (energyMode == 1) {
    store<f64>(e, rawEnergy(a, ma));
    store<f64>(e + 8, rawEnergy(b, mb));
    store<f64>(e + 16, rawEnergy(c, mc));
    store<f64>(e + 24, rawEnergy(d, md));
  }
  const k = f64x2.splat(preemph);
  const k1 = f64x2.splat(1 - preemph);
  const mean01 = f64x2.replace_lane(f64x2.splat(ma), 1, mb);
  const mean23 = f64x2.replace_lane(f64x2.splat(mc), 1, md);
  const dc01 = f64x2.mul(mean01, k1), dc23 = f64x2.mul(mean23, k1);
  let prev01 = samplePair(a, b, 0), prev23 = samplePair(c, d, 0);
  const w0 = v128.load64_splat(pWin);
  let y01 = f64x2.mul(f64x2.mul(w0, f64x2.sub(prev01, mean01)), k1);
  let y23 = f64x2.mul(f64x2.mul(w0, f64x2.sub(prev23, mean23)), k1);
  v128.store(pRe, v128.shuffle<f32>(f32x4.demote_f64x2_zero(y01), f32x4.demote_f64x2_zero(y23), 0, 1, 4, 5));
  let sq01 = f64x2.mul(y01, y01), sq23 = f64x2.mul(y23, y23);
  for (let i = 1; i < size; i++) {
    const w = v128.load64_splat(pWin + <usize>i * 8);
    const x01 = samplePair(a, b, i), x23 = samplePair(c, d, i);
    y01 = f64x2.mul(w, f64x2.sub(f64x2.sub(x01, f64x2.mul(k, prev01)), dc01));
    y23 = f64x2.mul(w, f64x2.sub(f64x2.sub(x23, f64x2.mul(k, prev23)), dc23));
    v128.store((i & 1 ? pIm : pRe) + <usize>(i >> 1) * 16, v128.shuffle<f32>(f32x4.demote_f64x2_zero(y01), f32x4.demote_f64x2_zero(y23), 0, 1, 4, 5));
    if (energyMode == 2) {
      sq01 = f64x2.add(sq01, f64x2.mul(y01, y01));
      sq23 = f64x2.add(sq23, f64x2.mul(y23, y23));
    }
    prev01 = x01;
    prev23 = x23;
  }
  if (energyMode == 2) {
    store<f64>(e, f64x2.extract_lane(sq01, 0));
    store<f64>(e + 8, f64x2.extract_lane(sq01, 1));
    store<f64>(e + 16, f64x2.extract_lane(sq23, 0));
    store<f64>(e + 24, f64x2.extract_lane(sq23, 1));
  }
  for (let i = size; i < N; i++) v128.store((i & 1 ? pIm : pRe) + <usize>(i >> 1) * 16, f32x4.splat(0));
}

// @ts-ignore: decorator
@inline function cmulRe(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f32x4.sub(f32x4.mul(xr, wr), f32x4.mul(xi, wi));
}

// @ts-ignore: decorator
@inline function cmulIm(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f32x4.add(f32x4.mul(xr, wi), f32x4.mul(xi, wr));
}

/** In-place DIF FFT of the M four-lane complex values at pRe/pIm; output in bit-reversed order. */
function fft(): void {
  let m = M;
  let tw: usize = 16; // bytes between twiddles W_m^j and W_m^(j+1) in the W_N table (W_M^j = W_N^2j)
  // Radix-4 stages down to m = 4 (log2 M even) or m = 8 (odd; a radix-2 stage follows).
  while (m >= 8 || (m == 4)) {
    const q = m >> 2;
    const qb = <usize>q * 16;
    for (let j = 0; j < q; j++) {
      const t1 = pTw + <usize>j * tw;
      const t2 = pTw + <usize>j * 2 * tw;
      const t3 = pTw + <usize>j * 3 * tw;
      const w1r = v128.load32_splat(t1), w1i = v128.load32_splat(t1 + 4);
      const w2r = v128.load32_splat(t2), w2i = v128.load32_splat(t2 + 4);
      const w3r = v128.load32_splat(t3), w3i = v128.load32_splat(t3 + 4);
      for (let b = 0; b < M; b += m) {
        const r0 = pRe + <usize>(b + j) * 16;
        const i0 = pIm + <usize>(b + j) * 16;
        const ar = v128.load(r0), ai = v128.load(i0);
        const br = v128.load(r0 + qb), bi = v128.load(i0 + qb);
        const cr = v128.load(r0 + 2 * qb), ci = v128.load(i0 + 2 * qb);
        const dr = v128.load(r0 + 3 * qb), di = v128.load(i0 + 3 * qb);
        const s0r = f32x4.add(ar, cr), s0i = f32x4.add(ai, ci);
        const s1r = f32x4.sub(ar, cr), s1i = f32x4.sub(ai, ci);
        const s2r = f32x4.add(br, dr), s2i = f32x4.add(bi, di);
        // -i (b - d)
        const s3r = f32x4.sub(bi, di), s3i = f32x4.sub(dr, br);
        v128.store(r0, f32x4.add(s0r, s2r));
        v128.store(i0, f32x4.add(s0i, s2i));
        const ur = f32x4.sub(s0r, s2r), ui = f32x4.sub(s0i, s2i);
        v128.store(r0 + qb, cmulRe(ur, ui, w2r, w2i));
        v128.store(i0 + qb, cmulIm(ur, ui, w2r, w2i));
        const vr = f32x4.add(s1r, s3r), vi = f32x4.add(s1i, s3i);
        v128.store(r0 + 2 * qb, cmulRe(vr, vi, w1r, w1i));
        v128.store(i0 + 2 * qb, cmulIm(vr, vi, w1r, w1i));
        const xr = f32x4.sub(s1r, s3r), xi = f32x4.sub(s1i, s3i);
        v128.store(r0 + 3 * qb, cmulRe(xr, xi, w3r, w3i));
        v128.store(i0 + 3 * qb, cmulIm(xr, xi, w3r, w3i));
      }
    }
    m = q;
    tw <<= 2;
  }
  if (m == 2) {
    for (let b = 0; b < M; b += 2) {
      const r0 = pRe + <usize>b * 16;
      const i0 = pIm + <usize>b * 16;
      const ar = v128.load(r0), ai = v128.load(i0);
      const br = v128.load(r0 + 16), bi = v128.load(i0 + 16);
      v128.store(r0, f32x4.add(ar, br));
      v128.store(i0, f32x4.add(ai, bi));
      v128.store(r0 + 16, f32x4.sub(ar, br));
      v128.store(i0 + 16, f32x4.sub(ai, bi));
    }
  }
}

/**
 * The frames' spectra from Z = FFT_M(x[2n] + i x[2n+1]): with E and O the spectra of the
 * even and odd samples, E[k] = (Z[k] + conj Z[M-k]) / 2, O[k] = (Z[k] - conj Z[M-k]) / 2i
 * and X[k] = E[k] + W_N^k O[k]. Stores |2 X[k]|^2 (its square root for a magnitude
 * spectrum; melRows applies the 1/4 or 1/2) at dst + k * 128, frames 0 .. 3 in the lanes.
 */
function spectrum(dst: usize): void {
  for (let k = 0; k < half; k++) {
    const zk = <usize>load<i32>(pIdx + <usize>k * 8);
    const zn = <usize>load<i32>(pIdx + <usize>k * 8 + 4);
    const ar = v128.load(pRe + zk), ai = v128.load(pIm + zk);
    const cr = v128.load(pRe + zn), ci = v128.load(pIm + zn);
    // S = Z[k] + conj Z[M-k] = 2E, D = Z[k] - conj Z[M-k] = 2i O; 2X = S - i W D.
    const sr = f32x4.add(ar, cr), si = f32x4.sub(ai, ci);
    const dr = f32x4.sub(ar, cr), di = f32x4.add(ai, ci);
    const wr = v128.load32_splat(pTw + <usize>k * 8), wi = v128.load32_splat(pTw + <usize>k * 8 + 4);
    const xr = f32x4.add(sr, f32x4.add(f32x4.mul(wr, di), f32x4.mul(wi, dr)));
    const xi = f32x4.sub(si, f32x4.sub(f32x4.mul(wr, dr), f32x4.mul(wi, di)));
    let pw = f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi));
    if (!usePower) pw = f32x4.sqrt(pw);
    v128.store(dst + <usize>k * 128, pw);
  }
}

/**
 * Mel filters over a batch's spectra: (log) values of each filter for its 32 frames, into
 * out rows r .. r + live - 1.
 */
function melRows(r: i32, live: i32): void {
  const scale = f32x4.splat(usePower ? 0.25 : 0.5);
  const rb = <usize>stride * 4;
  for (let m = 0; m < bins; m++) {
    const start = <usize>load<i32>(pMelStart + <usize>m * 4);
    const len = load<i32>(pMelLen + <usize>m * 4);
    const wp = pMelW + (<usize>load<i32>(pMelOff + <usize>m * 4) << 2);
    let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
    let s4 = f32x4.splat(0), s5 = f32x4.splat(0), s6 = f32x4.splat(0), s7 = f32x4.splat(0);
    for (let k = 0; k < len; k++) {
      const w = v128.load32_splat(wp + <usize>k * 4);
      const p = pPow + (start + <usize>k) * 128;
      s0 = f32x4.add(s0, f32x4.mul(v128.load(p), w));
      s1 = f32x4.add(s1, f32x4.mul(v128.load(p, 16), w));
      s2 = f32x4.add(s2, f32x4.mul(v128.load(p, 32), w));
      s3 = f32x4.add(s3, f32x4.mul(v128.load(p, 48), w));
      s4 = f32x4.add(s4, f32x4.mul(v128.load(p, 64), w));
      s5 = f32x4.add(s5, f32x4.mul(v128.load(p, 80), w));
      s6 = f32x4.add(s6, f32x4.mul(v128.load(p, 96), w));
      s7 = f32x4.add(s7, f32x4.mul(v128.load(p, 112), w));
    }
    const o = pOut + (<usize>r * stride + melCol + m) * 4;
    storeFour(o, rb, live, melValues(s0, scale));
    if (live > 4) storeFour(o + 4 * rb, rb, live - 4, melValues(s1, scale));
    if (live > 8) storeFour(o + 8 * rb, rb, live - 8, melValues(s2, scale));
    if (live > 12) storeFour(o + 12 * rb, rb, live - 12, melValues(s3, scale));
    if (live > 16) storeFour(o + 16 * rb, rb, live - 16, melValues(s4, scale));
    if (live > 20) storeFour(o + 20 * rb, rb, live - 20, melValues(s5, scale));
    if (live > 24) storeFour(o + 24 * rb, rb, live - 24, melValues(s6, scale));
    if (live > 28) storeFour(o + 28 * rb, rb, live - 28, melValues(s7, scale));
  }
}

/** One filter's sums for four frames as their (log) values. */
// @ts-ignore: decorator
@inline function melValues(s: v128, scale: v128): v128 {
  const v = f32x4.mul(s, scale);
  return useLog ? log4(f32x4.pmax(v, f32x4.splat(EPS))) : v;
}

/** The first min(live, 4) lanes of v to o, o + rb, ... */
// @ts-ignore: decorator
@inline function storeFour(o: usize, rb: usize, live: i32, v: v128): void {
  store<f32>(o, f32x4.extract_lane(v, 0));
  if (live > 1) store<f32>(o + rb, f32x4.extract_lane(v, 1));
  if (live > 2) store<f32>(o + 2 * rb, f32x4.extract_lane(v, 2));
  if (live > 3) store<f32>(o + 3 * rb, f32x4.extract_lane(v, 3));
}

/** Natural log of four positive normal float32 lanes (Cephes logf). */
// @ts-ignore: decorator
@inline function log4(x: v128): v128 {
  // x = m 2^e with m in [0.5, 1); where m < sqrt(1/2), use 2m and e - 1 instead.
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.splat(126)));
  let m = v128.or(v128.and(x, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const small = f32x4.lt(m, f32x4.splat(0.707106781186547524));
  e = f32x4.sub(e, v128.and(small, f32x4.splat(1.0)));
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), f32x4.splat(1.0));
  const z = f32x4.mul(m, m);
  let y = f32x4.splat(7.0376836292e-2);
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.1514610310e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.1676998740e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.2420140846e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(1.4249322787e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-1.6668057665e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(2.0000714765e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(-2.4999993993e-1));
  y = f32x4.add(f32x4.mul(y, m), f32x4.splat(3.3333331174e-1));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  return f32x4.add(f32x4.add(m, y), f32x4.mul(e, f32x4.splat(0.693359375)));
}

/** log4 on one value (exported for tests). */
export function logScalar32(x: f32): f32 {
  return f32x4.extract_lane(log4(f32x4.splat(x)), 0);
}
