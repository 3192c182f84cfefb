/**
 * The convolution layers' kernels on webgpu (SwiftShader here) against the js backend:
 * im2col + GEMM convolution forward and backward (strides, padding, per-sample widths with
 * garbage in the padding), max pooling forward and backward (overlapping and padded
 * windows, ties), ReLU forward and backward (in place and not), and the batched transposes,
 * each on views at offsets into larger arrays. The layer code is the same on both.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsBackend, type Backend } from '../../src/backend/index.js';
import { type Conv2dGeometry, conv2dBackward, conv2dForward, conv2dOutputShape } from '../../src/nn/conv2d.js';
import { type MaxPool2dGeometry, maxPool2dBackward, maxPool2dForward, maxPool2dOutputShape } from '../../src/nn/max-pool2d.js';
import { reluBackward, reluForward } from '../../src/nn/relu.js';
import { Workspace } from '../../src/nn/workspace.js';
import { fromBackend, onBackend } from '../helpers/backends.js';
import { assertClose, rng } from '../helpers/compare.js';
import { webgpuBackendForTests } from '../helpers/webgpu.js';

const { backend: gpu, skip } = await webgpuBackendForTests();
const js = new JsBackend();

/** Values in [-1, 1), or on a grid of quarters (`ties`) so that pooling windows tie. */
const rand = (n: number, r: () => number, ties = false): Float32Array =>
  Float32Array.from({ length: n }, () => (ties ? Math.round(8 * r() - 4) / 4 : 2 * r() - 1));

/** `data` at element offset `off` of a longer backend array (the view a layer would get). */
function viewOn(be: Backend, data: Float32Array, off = 3): Float32Array {
  const a = onBackend(be, new Float32Array(off + data.length + 2).fill(7));
  const v = a.subarray(off, off + data.length);
  v.set(data);
  be.upload(v);
  return v;
}

const read = (a: Float32Array): Promise<Float32Array> => fromBackend(gpu!, a);

/** Conv geometries: 'same' 3x3, a strided 5x3 with uneven padding, a 1x1. */
const CONVS: Conv2dGeometry[] = [
  { inChannels: 2, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1 },
  { inChannels: 3, outChannels: 4, kernelH: 5, kernelW: 3, padH: 2, padW: 0, strideH: 2, strideW: 2 },
  { inChannels: 1, outChannels: 5, kernelH: 1, kernelW: 1 },
];

/** Pool geometries: the CRNN's 2x2 and 2x1, an overlapping 3x3 stride 1 with padding. */
const POOLS: MaxPool2dGeometry[] = [
  { kernelH: 2, kernelW: 2 },
  { kernelH: 2, kernelW: 1 },
  { kernelH: 3, kernelW: 3, strideH: 1, strideW: 1, padH: 1, padW: 1 },
  { kernelH: 2, kernelW: 3, strideH: 2, strideW: 2, padW: 1 },
];

describe('conv, pool and ReLU kernels on webgpu (SwiftShader)', { skip }, () => {
  for (const [gi, g] of CONVS.entries()) {
    it(`conv2d ${gi} forward and backward match the js backend (per-sample widths, bias and none)`, async () => {
      const r = rng(11 + gi);
      const B = 3, C = g.inChannels, O = g.outChannels, H = 7, W = 13, widths = [13, 8, 2];
      const shape = { B, H, W, widths };
      const { Ho, Wo } = conv2dOutputShape(g, shape);
      const K = C * g.kernelH * g.kernelW;
      const x = rand(B * C * H * W, r), w = rand(O * K, r), bias = rand(O, r), up = rand(B * O * Ho * Wo, r);
      for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) for (let y = 0; y < H; y++) {
        for (let xx = widths[b]!; xx < W; xx++) x[((b * C + c) * H + y) * W + xx] = 50; // padding reads as zero
      }
      for (const withBias of [true, false]) {
        const want = { y: new Float32Array(up.length), dw: rand(O * K, rng(3)), db: rand(O, rng(4)), dx: new Float32Array(x.length) };
        const wsJ = new Workspace(js);
        conv2dForward(js, wsJ, g, shape, x, w, withBias ? bias : null, want.y);
        conv2dBackward(js, wsJ, g, shape, x, w, up, want.dw, withBias ? want.db : null, want.dx);
        const ws = new Workspace(gpu!);
        const gx = viewOn(gpu!, x), gw = viewOn(gpu!, w), gb = viewOn(gpu!, bias), gup = viewOn(gpu!, up);
        const gy = viewOn(gpu!, new Float32Array(up.length).fill(NaN)), gdx = viewOn(gpu!, new Float32Array(x.length).fill(NaN));
        const gdw = viewOn(gpu!, rand(O * K, rng(3))), gdb = viewOn(gpu!, rand(O, rng(4)));
        conv2dForward(gpu!, ws, g, shape, gx, gw, withBias ? gb : null, gy);
        conv2dBackward(gpu!, ws, g, shape, gx, gw, gup, gdw, withBias ? gdb : null, gdx);
        assertClose(await read(gy), want.y, 1e-5, `y (bias ${withBias})`);
        assertClose(await read(gdx), want.dx, 1e-5, 'dx');
        assertClose(await read(gdw), want.dw, 1e-4, 'dw (accumulated)');
        assertClose(await read(gdb), want.db, 1e-4, 'dbias (accumulated)');
      }
    });
  }

  for (const [gi, g] of POOLS.entries()) {
    it(`max pool ${gi} forward and backward match the js backend exactly (ties, padding, per-sample widths)`, async () => {
      const r = rng(21 + gi);
      const B = 3, C = 2, H = 6, W = 9, widths = [9, 5, 1];
      const shape = { B, H, W, widths };
      const { Ho, Wo } = maxPool2dOutputShape(g, shape);
      const x = rand(B * C * H * W, r, true), dy = rand(B * C * Ho * Wo, r);
      const y = new Float32Array(dy.length), dx = new Float32Array(x.length);
      maxPool2dForward(js, g, shape, C, x, y);
      maxPool2dBackward(js, g, shape, C, x, dy, dx);
      const gx = viewOn(gpu!, x), gy = viewOn(gpu!, new Float32Array(y.length).fill(NaN), 5);
      const gdx = viewOn(gpu!, new Float32Array(x.length).fill(NaN), 1);
      maxPool2dForward(gpu!, g, shape, C, gx, gy);
      maxPool2dBackward(gpu!, g, shape, C, gx, viewOn(gpu!, dy), gdx);
      assert.deepEqual(await read(gy), y, 'y');
      assert.deepEqual(await read(gdx), dx, 'dx');
    });
  }

  it('ReLU forward and backward match the js backend, in place and not (NaN gives 0)', async () => {
    const r = rng(31), n = 300;
    const x = rand(n, r), dy = rand(n, r);
    x[5] = NaN;
    x[6] = 0;
    const y = new Float32Array(n), dx = new Float32Array(n);
    reluForward(js, n, x, y);
    reluBackward(js, n, y, dy, dx);
    const gx = viewOn(gpu!, x), gy = viewOn(gpu!, new Float32Array(n), 4), gdy = viewOn(gpu!, dy), gdx = viewOn(gpu!, new Float32Array(n), 2);
    reluForward(gpu!, n, gx, gy);
    reluBackward(gpu!, n, gy, gdy, gdx);
    assert.deepEqual(await read(gy), y, 'y');
    assert.deepEqual(await read(gdx), dx, 'dx');
    // In place, on two views of one array (the CRNN's act and dAct), y's buffer shared with dx's.
    const both = onBackend(gpu!, [...x, ...dy]);
    const a = both.subarray(0, n), d = both.subarray(n);
    reluForward(gpu!, n, a, a);
    reluBackward(gpu!, n, a, d, d);
    const got = await read(both);
    assert.deepEqual(got.subarray(0, n), y, 'y in place');
    assert.deepEqual(got.subarray(n), dx, 'dx in place');
  });

  it('batched transposes match the js backend (feature maps <-> column frames)', async () => {
    const r = rng(41), batch = 3, rows = 5, cols = 17;
    const src = rand(batch * rows * cols, r), want = new Float32Array(src.length), back = new Float32Array(src.length);
    js.transposeBatch(batch, rows, cols, src, want);
    js.transposeBatch(batch, cols, rows, want, back);
    assert.deepEqual(back, src);
    const gs = viewOn(gpu!, src), gd = viewOn(gpu!, new Float32Array(src.length), 6);
    gpu!.transposeBatch(batch, rows, cols, gs, gd);
    assert.deepEqual(await read(gd), want);
  });

  it('refuse arrays too short for the geometry, naming the kernel', () => {
    const g = { C: 1, H: 2, W: 2, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0, Ho: 2, Wo: 2, width: 2 };
    assert.throws(() => gpu!.im2col(g, gpu!.alloc(3), gpu!.alloc(4)), /im2col: img has 3 values, needs 4/);
    assert.throws(() => gpu!.reluForward(5, gpu!.alloc(5), gpu!.alloc(4)), /reluForward: y has 4 values, needs 5/);
    assert.throws(() => gpu!.transposeBatch(2, 2, 2, gpu!.alloc(8), new Float32Array(8)), /not one of its arrays/);
  });
});
