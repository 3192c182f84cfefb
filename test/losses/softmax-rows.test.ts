/** The WebAssembly row kernels against the TypeScript ones. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSoftmaxRows } from '../../src/losses/softmax-rows.js';
import { rng } from '../helpers/compare.js';

test('WebAssembly SIMD kernels load here and agree with the TypeScript kernels', () => {
  const wasm = createSoftmaxRows();
  const js = createSoftmaxRows(true);
  assert.equal(wasm.kind, 'wasm');
  assert.equal(js.kind, 'js');
  const next = rng(5);
  for (const n of [1, 3, 4, 5, 29, 64, 1001]) {
    for (const scale of [1, 30, 200]) {
      const row = Float32Array.from({ length: n }, () => (next() * 2 - 1) * scale);
      const cls = Int32Array.from({ length: Math.min(n, 7) }, (_, k) => (k * 13) % n);
      const out = [wasm, js].map((r) => {
        const x = r.base;
        const c = x + n * 4;
        const y = (c + cls.length * 4 + 7) & ~7;
        const lp = y + cls.length * 8;
        r.reserve(lp + cls.length * 8 - x);
        r.f32.set(row, x >> 2);
        r.i32.set(cls, c >> 2);
        const inv = r.rowSoftmaxGather(x, n, c, cls.length, y, lp);
        r.rowScale(x, n, inv, x);
        return {
          p: r.f32.slice(x >> 2, (x >> 2) + n),
          y: r.f64.slice(y >> 3, (y >> 3) + cls.length),
          lp: r.f64.slice(lp >> 3, (lp >> 3) + cls.length),
        };
      });
      const [a, b] = out as [typeof out[0], typeof out[0]];
      // Far below the row's maximum, the float32 difference x - max costs relative accuracy
      // (|x - max| * 2^-24), but never more than about 1e-8 of absolute probability.
      for (let j = 0; j < n; j++) assert.ok(Math.abs(a.p[j]! - b.p[j]!) <= 3e-7 * b.p[j]! + 1e-8, `n ${n} scale ${scale} p[${j}]: ${a.p[j]} vs ${b.p[j]}`);
      for (let k = 0; k < cls.length; k++) {
        assert.ok(Math.abs(a.lp[k]! - b.lp[k]!) <= 3e-7, `lp[${k}] ${a.lp[k]} vs ${b.lp[k]}`);
        assert.ok(Math.abs(a.y[k]! / b.y[k]! - 1) <= 3e-7 || (a.y[k] === 0 && b.y[k]! < 1e-300), `y[${k}]`);
      }
    }
  }
});

test('the kernels flag non-finite rows', () => {
  for (const r of [createSoftmaxRows(), createSoftmaxRows(true)]) {
    r.reserve(64);
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const n of [3, 8, 9]) {
        r.f32.fill(0.5, r.base >> 2, (r.base >> 2) + n);
        r.f32[(r.base >> 2) + n - 1] = bad;
        assert.ok(Number.isNaN(r.rowSoftmaxGather(r.base, n, r.base, 0, r.base, r.base)), `${r.kind} ${bad} n=${n}`);
      }
    }
  }
});
