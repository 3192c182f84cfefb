// AssemblyScript source of sayre's filterbank frame kernel (compiled by assembly/build.mjs
// into src/audio/fbank-kernel.wasm.ts; not part of tsc's build). src/audio/fbank-wasm.ts
// drives it; src/audio/fbank-js.ts computes the same in TypeScript.
//
// Per frame, as Kaldi: DC removal, pre-emphasis, window (times 32768, the int16 scale),
// zero padding to N, power (or magnitude) spectrum, sparse triangular mel filters, log.
// Four frames go through together, in float64: each v128 lane carries a pair of frames
// packed as one complex signal (frame 0 + i frame 1 in lane 0, frame 2 + i frame 3 in
// lane 1), so one two-lane complex FFT of N points transforms four real frames and every
// butterfly is plain lane-wise arithmetic, with no shuffles. The FFT is a radix-4
// decimation-in-frequency one (a radix-2 stage last where log2 N is odd) on split real and
// imaginary arrays; its output stays in bit-reversed order and the spectrum split reads it
// through an index table. Only the log is float32 (four frames' values of one mel bin at a
// time; Cephes's logf, a few 1e-7 relative): the features are float32 anyway.
//
// Memory (byte offsets from heapBase, laid out by configure()): tables, work arrays, and the
// buffers the caller fills (samples, frame starts) and reads (features, energies).

let N: i32 = 0; // FFT size (power of two >= 4)
let half: i32 = 0; // FFT bins fed to the filters: 0 .. N/2 - 1
let size: i32 = 0; // frame length in samples (<= N)
let bins: i32 = 0; // mel filters
let stride: i32 = 0; // floats per output row
let melCol: i32 = 0; // column of the first mel value in a row
let preemph: f64 = 0; // pre-emphasis coefficient
let removeDc: bool = true;
let energyMode: i32 = 0; // 0 none, 1 raw (after DC removal), 2 windowed
let usePower: bool = true;
let useLog: bool = true;

let pTw: usize = 0; // N x (cos, -sin)(2 pi k / N): f64 pairs
let pIdx: usize = 0; // half x 2 i32: byte offsets of Z[k] and Z[N - k] in the bit-reversed output
let pWin: usize = 0; // size f64: window x 32768 (written by the caller)
let pMelStart: usize = 0; // bins i32: first FFT bin of each filter (caller)
let pMelLen: usize = 0; // bins i32: FFT bins of each filter (caller)
let pMelOff: usize = 0; // bins i32: offset of each filter's weights (caller)
let pMelW: usize = 0; // f64 weights (caller)
let pRe: usize = 0; // N v128: real parts
let pIm: usize = 0; // N v128: imaginary parts
let pPow: usize = 0; // half x 8 v128: per bin, the spectra of a batch's four groups (see spectrum)
let pSamples: usize = 0; // f32 samples (caller)
let pStarts: usize = 0; // i32 per frame: index in samples of its first sample (caller)
let pOut: usize = 0; // f32 rows of `stride` (this kernel writes the mel columns)
let pEnergy: usize = 0; // f64 per frame (energyMode != 0)

const EPS: f32 = 1.1920928955078125e-7; // Kaldi's floor inside every log

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
): i32 {
  N = fftSize;
  half = fftSize >> 1;
  size = frameSize;
  bins = numBins;
  stride = rowStride;
  melCol = firstMelCol;
  preemph = preemphasis;
  removeDc = dc;
  energyMode = energy;
  usePower = power;
  useLog = log;
  let p = align16(__heap_base);
  pTw = p; p = align16(p + <usize>N * 16);
  pIdx = p; p = align16(p + <usize>half * 8);
  pWin = p; p = align16(p + <usize>size * 8);
  pMelStart = p; p = align16(p + <usize>bins * 4);
  pMelLen = p; p = align16(p + <usize>bins * 4);
  pMelOff = p; p = align16(p + <usize>bins * 4);
  pMelW = p; p = align16(p + <usize>numWeights * 8);
  pRe = p; p += <usize>N * 16;
  pIm = p; p += <usize>N * 16;
  pPow = p; p += <usize>half * 128;
  pStarts = p; p = align16(p + <usize>(maxFrames + 4) * 4);
  pEnergy = p; p = align16(p + <usize>(maxFrames + 4) * 8);
  pOut = p; p = align16(p + <usize>maxFrames * rowStride * 4);
  pSamples = p; p = align16(p + <usize>maxSamples * 4 + 16);
  const pages = <i32>((p + 65535) >> 16);
  const have = memory.size();
  if (pages > have && memory.grow(pages - have) < 0) return -1;
  for (let k = 0; k < N; k++) {
    const a = (2.0 * Math.PI * <f64>k) / <f64>N;
    store<f64>(pTw + <usize>k * 16, Math.cos(a));
    store<f64>(pTw + <usize>k * 16 + 8, -Math.sin(a));
  }
  let bits = 0;
  while ((1 << bits) < N) bits++;
  for (let k = 0; k < half; k++) {
    store<i32>(pIdx + <usize>k * 8, reverse(k, bits) * 16);
    store<i32>(pIdx + <usize>k * 8 + 4, reverse((N - k) & (N - 1), bits) * 16);
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
export function energyPtr(): usize { return pEnergy; }

/**
 * Features of `count` frames: frame f reads samples[starts[f] ..][0 .. size) and writes the
 * mel columns of out row f (and energy[f] where energyMode != 0). Frames go in batches of
 * 16 (four groups of four through the FFT), so that the mel filters, whose lengths vary,
 * run over 16 frames per bin.
 */
export function run(count: i32): void {
  for (let b = 0; b < count; b += 16) {
    for (let g = b; g < count && g < b + 16; g += 4) {
      // A short last group repeats its last frame.
      const f1 = g + 1 < count ? g + 1 : count - 1;
      const f2 = g + 2 < count ? g + 2 : count - 1;
      const f3 = g + 3 < count ? g + 3 : count - 1;
      windowPair(g, f2, pRe, pEnergy + <usize>g * 8, pEnergy + <usize>(g + 2) * 8);
      windowPair(f1, f3, pIm, pEnergy + <usize>(g + 1) * 8, pEnergy + <usize>(g + 3) * 8);
      for (let i = size; i < N; i++) {
        v128.store(pRe + <usize>i * 16, f64x2.splat(0));
        v128.store(pIm + <usize>i * 16, f64x2.splat(0));
      }
      fft();
      spectrum(pPow + <usize>(g - b) * 8);
    }
    melRows(b, count - b < 16 ? count - b : 16);
  }
}

/** Address of frame f's first sample. */
// @ts-ignore: decorator
@inline function frameAt(f: i32): usize {
  return pSamples + (<usize>load<i32>(pStarts + <usize>f * 4) << 2);
}

/** Mean of the frame at src (float64 sums, two lanes of two). */
function frameMean(src: usize): f64 {
  let s = f64x2.splat(0);
  let i = 0;
  for (; i + 3 < size; i += 4) {
    const x = v128.load(src + <usize>i * 4);
    s = f64x2.add(s, f64x2.add(f64x2.promote_low_f32x4(x), f64x2.promote_low_f32x4(v128.shuffle<f32>(x, x, 2, 3, 0, 1))));
  }
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

/** Samples i of frames at a and b as the float64 lanes (a[i], b[i]). */
// @ts-ignore: decorator
@inline function samplePair(a: usize, b: usize, i: i32): v128 {
  return f64x2.promote_low_f32x4(v128.load32_lane(b + <usize>i * 4, v128.load32_zero(a + <usize>i * 4), 1));
}

/**
 * Frames fa and fb into lanes 0 and 1 of the v128 array at dst: DC removal, pre-emphasis
 * (x[-1] taken as x[0], as Kaldi), window. Stores their energies at ea and eb (energyMode != 0).
 */
function windowPair(fa: i32, fb: i32, dst: usize, ea: usize, eb: usize): void {
  const a = frameAt(fa), b = frameAt(fb);
  const ma = removeDc ? frameMean(a) : 0.0;
  const mb = removeDc ? frameMean(b) : 0.0;
  if (energyMode == 1) {
    store<f64>(ea, rawEnergy(a, ma));
    store<f64>(eb, rawEnergy(b, mb));
  }
  const c = preemph;
  const vc = f64x2.splat(c);
  const mean = f64x2.replace_lane(f64x2.splat(ma), 1, mb);
  const dc = f64x2.mul(mean, f64x2.splat(1 - c));
  let prev = samplePair(a, b, 0);
  let y = f64x2.mul(f64x2.mul(v128.load64_splat(pWin), f64x2.sub(prev, mean)), f64x2.splat(1 - c));
  v128.store(dst, y);
  let sq = f64x2.mul(y, y);
  for (let i = 1; i < size; i++) {
    const x = samplePair(a, b, i);
    y = f64x2.mul(v128.load64_splat(pWin + <usize>i * 8), f64x2.sub(f64x2.sub(x, f64x2.mul(vc, prev)), dc));
    v128.store(dst + <usize>i * 16, y);
    sq = f64x2.add(sq, f64x2.mul(y, y));
    prev = x;
  }
  if (energyMode == 2) {
    store<f64>(ea, f64x2.extract_lane(sq, 0));
    store<f64>(eb, f64x2.extract_lane(sq, 1));
  }
}

// @ts-ignore: decorator
@inline function cmulRe(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.sub(f64x2.mul(xr, wr), f64x2.mul(xi, wi));
}

// @ts-ignore: decorator
@inline function cmulIm(xr: v128, xi: v128, wr: v128, wi: v128): v128 {
  return f64x2.add(f64x2.mul(xr, wi), f64x2.mul(xi, wr));
}

/** In-place DIF FFT of the N two-lane complex values at pRe/pIm; output in bit-reversed order. */
function fft(): void {
  let m = N;
  let tw: usize = 16; // bytes between twiddles W_m^j and W_m^(j+1) in the W_N table
  // Radix-4 stages down to m = 4 (log2 N even) or m = 8 (odd; a radix-2 stage follows).
  while (m >= 8 || (m == 4)) {
    const q = m >> 2;
    const qb = <usize>q * 16;
    for (let j = 0; j < q; j++) {
      const t1 = pTw + <usize>j * tw;
      const t2 = pTw + <usize>j * 2 * tw;
      const t3 = pTw + <usize>j * 3 * tw;
      const w1r = v128.load64_splat(t1), w1i = v128.load64_splat(t1 + 8);
      const w2r = v128.load64_splat(t2), w2i = v128.load64_splat(t2 + 8);
      const w3r = v128.load64_splat(t3), w3i = v128.load64_splat(t3 + 8);
      for (let b = 0; b < N; b += m) {
        const r0 = pRe + <usize>(b + j) * 16;
        const i0 = pIm + <usize>(b + j) * 16;
        const ar = v128.load(r0), ai = v128.load(i0);
        const br = v128.load(r0 + qb), bi = v128.load(i0 + qb);
        const cr = v128.load(r0 + 2 * qb), ci = v128.load(i0 + 2 * qb);
        const dr = v128.load(r0 + 3 * qb), di = v128.load(i0 + 3 * qb);
        const s0r = f64x2.add(ar, cr), s0i = f64x2.add(ai, ci);
        const s1r = f64x2.sub(ar, cr), s1i = f64x2.sub(ai, ci);
        const s2r = f64x2.add(br, dr), s2i = f64x2.add(bi, di);
        // -i (b - d)
        const s3r = f64x2.sub(bi, di), s3i = f64x2.sub(dr, br);
        v128.store(r0, f64x2.add(s0r, s2r));
        v128.store(i0, f64x2.add(s0i, s2i));
        const ur = f64x2.sub(s0r, s2r), ui = f64x2.sub(s0i, s2i);
        v128.store(r0 + qb, cmulRe(ur, ui, w2r, w2i));
        v128.store(i0 + qb, cmulIm(ur, ui, w2r, w2i));
        const vr = f64x2.add(s1r, s3r), vi = f64x2.add(s1i, s3i);
        v128.store(r0 + 2 * qb, cmulRe(vr, vi, w1r, w1i));
        v128.store(i0 + 2 * qb, cmulIm(vr, vi, w1r, w1i));
        const xr = f64x2.sub(s1r, s3r), xi = f64x2.sub(s1i, s3i);
        v128.store(r0 + 3 * qb, cmulRe(xr, xi, w3r, w3i));
        v128.store(i0 + 3 * qb, cmulIm(xr, xi, w3r, w3i));
      }
    }
    m = q;
    tw <<= 2;
  }
  if (m == 2) {
    for (let b = 0; b < N; b += 2) {
      const r0 = pRe + <usize>b * 16;
      const i0 = pIm + <usize>b * 16;
      const ar = v128.load(r0), ai = v128.load(i0);
      const br = v128.load(r0 + 16), bi = v128.load(i0 + 16);
      v128.store(r0, f64x2.add(ar, br));
      v128.store(i0, f64x2.add(ai, bi));
      v128.store(r0 + 16, f64x2.sub(ar, br));
      v128.store(i0 + 16, f64x2.sub(ai, bi));
    }
  }
}

/**
 * Splits Z = FFT(a + i b) into the spectra of its two real frames, A[k] = (Z[k] + conj
 * Z[N-k]) / 2 and B[k] = (Z[k] - conj Z[N-k]) / 2i, and stores 4 |A[k]|^2 and 4 |B[k]|^2
 * (their square roots for a magnitude spectrum; melRows applies the 1/4 or 1/2) at dst +
 * k * 128 and dst + k * 128 + 16: lanes (frame 0, frame 2) and (frame 1, frame 3) of the group.
 */
function spectrum(dst: usize): void {
  for (let k = 0; k < half; k++) {
    const zk = <usize>load<i32>(pIdx + <usize>k * 8);
    const zn = <usize>load<i32>(pIdx + <usize>k * 8 + 4);
    const a = v128.load(pRe + zk), b = v128.load(pIm + zk);
    const c = v128.load(pRe + zn), d = v128.load(pIm + zn);
    const s1 = f64x2.add(a, c), d1 = f64x2.sub(b, d);
    const s2 = f64x2.add(b, d), d2 = f64x2.sub(a, c);
    let pa = f64x2.add(f64x2.mul(s1, s1), f64x2.mul(d1, d1));
    let pb = f64x2.add(f64x2.mul(s2, s2), f64x2.mul(d2, d2));
    if (!usePower) {
      pa = f64x2.sqrt(pa);
      pb = f64x2.sqrt(pb);
    }
    v128.store(dst + <usize>k * 128, pa);
    v128.store(dst + <usize>k * 128 + 16, pb);
  }
}

/**
 * Mel filters over a batch's spectra: (log) values of each filter for the 16 frames,
 * into out rows r .. r + live - 1.
 */
function melRows(r: i32, live: i32): void {
  const scale = f64x2.splat(usePower ? 0.25 : 0.5);
  const rb = <usize>stride * 4;
  for (let m = 0; m < bins; m++) {
    const start = <usize>load<i32>(pMelStart + <usize>m * 4);
    const len = load<i32>(pMelLen + <usize>m * 4);
    const wp = pMelW + (<usize>load<i32>(pMelOff + <usize>m * 4) << 3);
    let s0 = f64x2.splat(0), s1 = f64x2.splat(0), s2 = f64x2.splat(0), s3 = f64x2.splat(0);
    let s4 = f64x2.splat(0), s5 = f64x2.splat(0), s6 = f64x2.splat(0), s7 = f64x2.splat(0);
    for (let k = 0; k < len; k++) {
      const w = v128.load64_splat(wp + <usize>k * 8);
      const p = pPow + (start + <usize>k) * 128;
      s0 = f64x2.add(s0, f64x2.mul(v128.load(p), w));
      s1 = f64x2.add(s1, f64x2.mul(v128.load(p, 16), w));
      s2 = f64x2.add(s2, f64x2.mul(v128.load(p, 32), w));
      s3 = f64x2.add(s3, f64x2.mul(v128.load(p, 48), w));
      s4 = f64x2.add(s4, f64x2.mul(v128.load(p, 64), w));
      s5 = f64x2.add(s5, f64x2.mul(v128.load(p, 80), w));
      s6 = f64x2.add(s6, f64x2.mul(v128.load(p, 96), w));
      s7 = f64x2.add(s7, f64x2.mul(v128.load(p, 112), w));
    }
    const o = pOut + (<usize>r * stride + melCol + m) * 4;
    storeFour(o, rb, live, melValues(s0, s1, scale));
    if (live > 4) storeFour(o + 4 * rb, rb, live - 4, melValues(s2, s3, scale));
    if (live > 8) storeFour(o + 8 * rb, rb, live - 8, melValues(s4, s5, scale));
    if (live > 12) storeFour(o + 12 * rb, rb, live - 12, melValues(s6, s7, scale));
  }
}

/** One filter's sums for a group, lanes (frame 0, 2) and (1, 3), as (log) values of frames 0 .. 3. */
// @ts-ignore: decorator
@inline function melValues(sa: v128, sb: v128, scale: v128): v128 {
  const v = v128.shuffle<f32>(f32x4.demote_f64x2_zero(f64x2.mul(sa, scale)), f32x4.demote_f64x2_zero(f64x2.mul(sb, scale)), 0, 4, 1, 5);
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
