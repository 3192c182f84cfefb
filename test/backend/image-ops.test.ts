/**
 * Every CPU backend's ImageOps against the TypeScript loops (the js backend's), bit for
 * bit: im2col and col2im, max pooling forward and backward, ReLU forward and backward,
 * bias-gradient row sums and batched transposes, on random shapes (padding columns with
 * garbage right of each sample's width, strides, overlapping windows), with ties in the
 * pooling windows, NaN, infinities, signed zeros and subnormals in the values, and sizes
 * large enough that the native backend shares the work over its threads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Backend, JsBackend, type PatchGeometry, type PoolGeometry } from '../../src/backend/index.js';
import { convOutSize } from '../../src/nn/conv2d.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { rng } from '../helpers/compare.js';

const ref = new JsBackend();

/** An integer in [lo, hi]. */
const int = (r: () => number, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));

/** Values that tie (a grid of quarters) with NaN, infinities, signed zeros and subnormals among them. */
function awkward(n: number, r: () => number): Float32Array {
  const specials = [NaN, Infinity, -Infinity, 0, -0, 1e-40, -1e-40];
  return Float32Array.from({ length: n }, () => (r() < 0.1 ? specials[int(r, 0, specials.length - 1)]! : Math.round(8 * r() - 4) / 4));
}

/** Values of very different sizes, so that any other summation order rounds differently. */
function spread(n: number, r: () => number): Float32Array {
  return Float32Array.from({ length: n }, () => (2 * r() - 1) * 10 ** int(r, -4, 6));
}

/** Runs `op` on a copy of `outputs` on each backend; asserts each result equals the reference's bit for bit (NaN equal to NaN). */
function sameAsReference(what: string, be: Backend, outputs: Float32Array[], op: (backend: Backend, outs: Float32Array[]) => void): void {
  const want = outputs.map((o) => o.slice()), got = outputs.map((o) => o.slice());
  op(ref, want);
  op(be, got);
  got.forEach((g, i) => assert.deepStrictEqual(g, want[i], `${what}: output ${i} differs from the TypeScript loops`));
}

/** A random convolution window over one sample, its real width often short of W. */
function randomPatch(r: () => number, big: boolean): PatchGeometry {
  const kh = int(r, 1, 4), kw = int(r, 1, 4);
  const C = big ? int(r, 6, 10) : int(r, 1, 4), H = big ? int(r, 24, 40) : int(r, 1, 9), W = big ? int(r, 200, 320) : int(r, 1, 14);
  const sh = int(r, 1, 3), sw = int(r, 1, 3), ph = int(r, 0, kh), pw = int(r, 0, kw);
  const width = r() < 0.3 ? W : int(r, 0, W);
  return { C, H, W, kh, kw, sh, sw, ph, pw, Ho: convOutSize(H, kh, sh, ph), Wo: convOutSize(width, kw, sw, pw), width };
}

/** A random pooling window (padding at most half the kernel) over a batch of per-sample widths, some zero. */
function randomPool(r: () => number, big: boolean): PoolGeometry {
  const kh = int(r, 1, 3), kw = int(r, 1, 3);
  const B = big ? int(r, 3, 5) : int(r, 1, 4), C = big ? int(r, 8, 16) : int(r, 1, 4);
  const H = big ? int(r, 16, 32) : int(r, 1, 9), W = big ? int(r, 150, 300) : int(r, 1, 14);
  const sh = int(r, 1, 3), sw = int(r, 1, 3), ph = int(r, 0, kh >> 1), pw = int(r, 0, kw >> 1);
  const widths = Int32Array.from({ length: B }, (_, b) => (b === 0 ? W : int(r, 0, W)));
  return {
    B, C, H, W, kh, kw, sh, sw, ph, pw, Ho: convOutSize(H, kh, sh, ph), Wo: convOutSize(W, kw, sw, pw),
    widths, outWidths: widths.map((w) => convOutSize(w, kw, sw, pw)),
  };
}

/**
 * Images [planes, H, W] of awkward values with garbage right of each plane's real width
 * (large values that would win any pooling window, or leak into any column they reached).
 */
function withPadding(planes: number, H: number, W: number, width: (plane: number) => number, r: () => number): Float32Array {
  const x = awkward(planes * H * W, r);
  for (let p = 0; p < planes; p++) for (let y = 0; y < H; y++) x.fill(1000, (p * H + y) * W + width(p), (p * H + y + 1) * W);
  return x;
}

for (const be of await availableBackends()) {
  describe(`backend ${backendLabel(be)}: image ops equal the TypeScript loops bit for bit`, () => {
    for (const big of [false, true]) {
      const size = big ? 'large (shared over threads)' : 'small';
      it(`im2col and col2im, ${size} random windows with padding columns`, () => {
        const r = rng(big ? 21 : 20);
        for (let t = 0; t < (big ? 4 : 60); t++) {
          const g = randomPatch(r, big);
          const img = withPadding(g.C, g.H, g.W, () => g.width, r);
          const K = g.C * g.kh * g.kw, N = g.Ho * g.Wo;
          sameAsReference(`im2col ${JSON.stringify(g)}`, be, [new Float32Array(K * N).fill(9)], (k, [cols]) => k.im2col(g, img, cols!));
          const cols = spread(K * N, r);
          sameAsReference(`col2im ${JSON.stringify(g)}`, be, [spread(g.C * g.H * g.W, r)], (k, [out]) => k.col2im(g, cols, out!));
        }
      });

      it(`max pooling forward and backward, ${size} random windows with ties, NaN and padding columns`, () => {
        const r = rng(big ? 31 : 30);
        for (let t = 0; t < (big ? 4 : 60); t++) {
          const g = randomPool(r, big);
          const x = withPadding(g.B * g.C, g.H, g.W, (p) => g.widths[Math.floor(p / g.C)]!, r), dy = spread(g.B * g.C * g.Ho * g.Wo, r);
          sameAsReference(`maxPoolForward ${JSON.stringify(g)}`, be, [new Float32Array(dy.length).fill(9)], (k, [y]) => k.maxPoolForward(g, x, y!));
          sameAsReference(`maxPoolBackward ${JSON.stringify(g)}`, be, [new Float32Array(x.length).fill(9)], (k, [dx]) => k.maxPoolBackward(g, x, dy, dx!));
        }
      });
    }

    it('ReLU forward and backward, in place and not, NaN, signed zeros and subnormals, tails left alone', () => {
      const r = rng(40);
      for (const n of [0, 1, 7, 1000, 40000, 100003]) {
        const x = awkward(n + 5, r), dy = spread(n + 5, r), y = new Float32Array(n + 5).fill(9);
        sameAsReference(`reluForward n=${n}`, be, [y], (k, [out]) => k.reluForward(n, x, out!));
        sameAsReference(`reluForward in place n=${n}`, be, [x], (k, [inout]) => k.reluForward(n, inout!, inout!));
        const act = x.slice();
        ref.reluForward(n, act, act);
        sameAsReference(`reluBackward n=${n}`, be, [y], (k, [out]) => k.reluBackward(n, act, dy, out!));
        sameAsReference(`reluBackward in place n=${n}`, be, [dy], (k, [inout]) => k.reluBackward(n, act, inout!, inout!));
      }
    });

    it('row sums add in float64 in the loops\' order (values of very different sizes)', () => {
      const r = rng(50);
      for (const [rows, cols] of [[1, 1], [3, 17], [0, 5], [5, 0], [64, 5000], [37, 2001]] as const) {
        const a = spread(rows * cols, r);
        sameAsReference(`addRowSums ${rows}x${cols}`, be, [spread(rows, r)], (k, [out]) => k.addRowSums(rows, cols, a, out!));
      }
    });

    it('batched transposes, sizes off the tile edges', () => {
      const r = rng(60);
      for (const [batch, rows, cols] of [[1, 1, 1], [2, 3, 5], [3, 33, 65], [1, 512, 175], [16, 96, 150], [2, 0, 4]] as const) {
        const src = awkward(batch * rows * cols, r);
        sameAsReference(`transposeBatch ${batch}x${rows}x${cols}`, be, [new Float32Array(batch * rows * cols).fill(9)],
          (k, [dst]) => k.transposeBatch(batch, rows, cols, src, dst!));
      }
    });
  });
}
