/**
 * Conv2d and MaxPool2d: finite differences, and per-sample widths: a padded batch gives
 * every sample exactly what it gets alone, and padding gets no gradient.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JsBackend } from '../../src/backend/index.js';
import { conv2dBackward, conv2dForward, conv2dOutputShape, type Conv2dGeometry } from '../../src/nn/conv2d.js';
import { maxPool2dBackward, maxPool2dForward, maxPool2dOutputShape } from '../../src/nn/max-pool2d.js';
import { reluBackward, reluForward } from '../../src/nn/relu.js';
import { Workspace } from '../../src/nn/workspace.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertClose, rng } from '../helpers/compare.js';
import { checkFiniteDifferences, dot } from './finite-diff.js';

const rand = (n: number, r: () => number): Float32Array => Float32Array.from({ length: n }, () => 2 * r() - 1);
const geom: Conv2dGeometry = { inChannels: 2, outChannels: 3, kernelH: 3, kernelW: 3, padH: 1, padW: 1, strideW: 2 };

test('conv2d gradients match finite differences (x, weight, bias)', () => {
  const be = new JsBackend(), ws = new Workspace(be), r = rng(3);
  const shape = { B: 2, H: 5, W: 7, widths: [7, 4] };
  const { Ho, Wo } = conv2dOutputShape(geom, shape);
  const x = rand(2 * 2 * 5 * 7, r), w = rand(3 * 2 * 9, r), b = rand(3, r), up = rand(2 * 3 * Ho * Wo, r);
  const y = new Float32Array(up.length);
  const loss = (): number => {
    conv2dForward(be, ws, geom, shape, x, w, b, y);
    return dot(y, up);
  };
  const dw = new Float32Array(w.length), db = new Float32Array(3), dx = new Float32Array(x.length);
  loss();
  conv2dBackward(be, ws, geom, shape, x, w, up, dw, db, dx);
  checkFiniteDifferences('dx', x, dx, loss, { count: 70 });
  checkFiniteDifferences('dw', w, dw, loss);
  checkFiniteDifferences('db', b, db, loss);
});

test('relu + maxpool gradients match finite differences', () => {
  const r = rng(5);
  const shape = { B: 2, H: 6, W: 8, widths: [8, 5] }, C = 2;
  const g = { kernelH: 2, kernelW: 2, strideW: 1 };
  const { Ho, Wo } = maxPool2dOutputShape(g, shape);
  const x = rand(2 * C * 6 * 8, r), up = rand(2 * C * Ho * Wo, r);
  const be = new JsBackend();
  const a = new Float32Array(x.length), y = new Float32Array(up.length);
  const loss = (): number => {
    reluForward(be, x.length, x, a);
    maxPool2dForward(be, g, shape, C, a, y);
    return dot(y, up);
  };
  loss();
  const dx = new Float32Array(x.length);
  maxPool2dBackward(be, g, shape, C, a, up, dx);
  reluBackward(be, x.length, a, dx, dx);
  checkFiniteDifferences('dx', x, dx, loss, { eps: 1e-3, count: 96 });
});

for (const be of await availableBackends()) {
  test(`conv2d + pool: a padded sample equals the sample alone, padding gets no gradient (${backendLabel(be)})`, () => {
    const ws = new Workspace(be), r = rng(9);
    const B = 3, C = 2, H = 6, W = 11, widths = [11, 6, 3];
    const shape = { B, H, W, widths };
    const out = conv2dOutputShape(geom, shape);
    assert.deepEqual([...out.widths], [6, 3, 2]);
    const x = rand(B * C * H * W, r), w = rand(3 * C * 9, r), bias = rand(3, r);
    // Garbage in the padding must change nothing.
    for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) for (let yy = 0; yy < H; yy++) {
      for (let xx = widths[b]!; xx < W; xx++) x[((b * C + c) * H + yy) * W + xx] = 100;
    }
    const y = new Float32Array(B * 3 * out.Ho * out.Wo);
    conv2dForward(be, ws, geom, shape, x, w, bias, y);
    const up = rand(y.length, r);
    const dw = new Float32Array(w.length), dx = new Float32Array(x.length);
    conv2dBackward(be, ws, geom, shape, x, w, up, dw, null, dx);
    const dwSum = new Float32Array(w.length);
    for (let b = 0; b < B; b++) {
      const wb = widths[b]!, alone = { B: 1, H, W: wb };
      const xb = new Float32Array(C * H * wb);
      for (let c = 0; c < C; c++) for (let yy = 0; yy < H; yy++) {
        xb.set(x.subarray(((b * C + c) * H + yy) * W, ((b * C + c) * H + yy) * W + wb), (c * H + yy) * wb);
      }
      const o = conv2dOutputShape(geom, alone);
      const yb = new Float32Array(3 * o.Ho * o.Wo);
      conv2dForward(be, ws, geom, alone, xb, w, bias, yb);
      const upb = new Float32Array(yb.length);
      for (let row = 0; row < 3 * o.Ho; row++) {
        const src = (b * 3 * out.Ho + row) * out.Wo;
        for (let xx = 0; xx < out.Wo; xx++) {
          const v = y[src + xx]!;
          if (xx < o.Wo) {
            assert.ok(Math.abs(v - yb[row * o.Wo + xx]!) < 1e-4, `sample ${b} row ${row} col ${xx}`);
            upb[row * o.Wo + xx] = up[src + xx]!;
          } else {
            assert.equal(v, 0, `padded output of sample ${b} is zero`);
          }
        }
      }
      const dxb = new Float32Array(xb.length);
      conv2dBackward(be, ws, geom, alone, xb, w, upb, dwSum, null, dxb);
      for (let c = 0; c < C; c++) for (let yy = 0; yy < H; yy++) for (let xx = 0; xx < W; xx++) {
        const v = dx[((b * C + c) * H + yy) * W + xx]!;
        if (xx < wb) assert.ok(Math.abs(v - dxb[(c * H + yy) * wb + xx]!) < 1e-4);
        else assert.equal(v, 0, 'no gradient into padding');
      }
    }
    assertClose(dw, dwSum, 1e-3, 'dw is the sum of the samples alone');

    // Pooling: padded columns never win a window.
    const p = { kernelH: 2, kernelW: 2 };
    const ps = maxPool2dOutputShape(p, shape);
    const py = new Float32Array(B * C * ps.Ho * ps.Wo);
    maxPool2dForward(be, p, shape, C, x, py);
    for (let i = 0; i < py.length; i++) assert.ok(py[i]! < 100, 'padding is never pooled');
    assert.deepEqual([...ps.widths], [5, 3, 1]);
  });
}

test('conv2d and pooling reject bad shapes, naming what', () => {
  const be = new JsBackend(), ws = new Workspace(be);
  assert.throws(() => conv2dForward(be, ws, geom, { B: 1, H: 4, W: 4 }, new Float32Array(3), new Float32Array(54), null, new Float32Array(100)), /x has 3 values/);
  assert.throws(() => conv2dOutputShape(geom, { B: 2, H: 4, W: 4, widths: [4, 5] }), /widths\[1\] = 5/);
  assert.throws(() => conv2dOutputShape({ ...geom, kernelH: 0 }, { B: 1, H: 4, W: 4 }), /kh must be an integer >= 1/);
  assert.throws(() => maxPool2dOutputShape({ kernelH: 2, kernelW: 2, padH: 2 }, { B: 1, H: 4, W: 4 }), /padding/);
});
