/** Conv2d, MaxPool2d and ReLU against torch.nn in float64 (test/nn/fixtures/make_conv_fixtures.py). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { conv2dBackward, conv2dForward, conv2dOutputShape, type Conv2dGeometry } from '../../src/nn/conv2d.js';
import { maxPool2dBackward, maxPool2dForward, maxPool2dOutputShape, type MaxPool2dGeometry } from '../../src/nn/max-pool2d.js';
import { reluBackward, reluForward } from '../../src/nn/relu.js';
import { Workspace } from '../../src/nn/workspace.js';
import { availableBackends, backendLabel } from '../helpers/backends.js';
import { assertRelClose } from '../helpers/compare.js';
import { repoRoot } from '../helpers/fixtures.js';
import assert from 'node:assert/strict';

interface Case {
  name: string; op: string; B: number; C: number; H: number; W: number;
  geometry: Conv2dGeometry & MaxPool2dGeometry;
  x: number[]; weight?: number[]; bias?: number[] | null; y: number[]; y_shape: number[]; r: number[];
  dx: number[]; dweight?: number[]; dbias?: number[] | null;
}

const fixture = JSON.parse(readFileSync(join(repoRoot, 'test/nn/fixtures/conv-pool.json'), 'utf8')) as { cases: Case[] };
const f32 = (a: number[]): Float32Array => Float32Array.from(a);
const backends = await availableBackends();

for (const c of fixture.cases.filter((c) => c.op === 'conv2d')) {
  for (const be of backends) {
    test(`conv2d ${c.name} matches torch (${backendLabel(be)})`, () => {
      const ws = new Workspace(be);
      const shape = { B: c.B, H: c.H, W: c.W };
      const { Ho, Wo } = conv2dOutputShape(c.geometry, shape);
      assert.deepEqual([c.B, c.geometry.outChannels, Ho, Wo], c.y_shape);
      const x = f32(c.x), w = f32(c.weight!), b = c.bias ? f32(c.bias) : null;
      const y = new Float32Array(c.y.length);
      conv2dForward(be, ws, c.geometry, shape, x, w, b, y);
      assertRelClose(y, c.y, 1e-5, 'y');
      const dw = new Float32Array(w.length), db = b ? new Float32Array(b.length) : null, dx = new Float32Array(x.length);
      conv2dBackward(be, ws, c.geometry, shape, x, w, f32(c.r), dw, db, dx);
      assertRelClose(dx, c.dx, 1e-5, 'dx');
      assertRelClose(dw, c.dweight!, 1e-5, 'dweight');
      if (db) assertRelClose(db, c.dbias!, 1e-5, 'dbias');
    });
  }
}

for (const c of fixture.cases.filter((c) => c.op !== 'conv2d')) {
  for (const be of backends) {
    test(`${c.op} ${c.name} matches torch (${backendLabel(be)})`, () => {
      const shape = { B: c.B, H: c.H, W: c.W };
      const { Ho, Wo } = maxPool2dOutputShape(c.geometry, shape);
      assert.deepEqual([c.B, c.C, Ho, Wo], c.y_shape);
      const relu = c.op.startsWith('relu');
      const x = f32(c.x), a = new Float32Array(x.length);
      if (relu) reluForward(be, x.length, x, a);
      else a.set(x);
      const y = new Float32Array(c.y.length);
      maxPool2dForward(be, c.geometry, shape, c.C, a, y);
      assertRelClose(y, c.y, 1e-6, 'y');
      const dx = new Float32Array(x.length);
      maxPool2dBackward(be, c.geometry, shape, c.C, a, f32(c.r), dx);
      if (relu) reluBackward(be, x.length, a, dx, dx);
      assertRelClose(dx, c.dx, 1e-6, 'dx');
    });
  }
}
