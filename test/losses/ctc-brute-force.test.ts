/** ctcLoss against path enumeration (brute-force.ts) on many random tiny batches. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctcLoss } from '../../src/losses/ctc.js';
import { latticeStats } from '../../src/losses/ctc-lattice.js';
import { bruteForceCtc } from './ctc-brute-force.js';
import { randomCtcCase, type CtcCase } from './ctc-cases.js';
import { runCtcTask } from './ctc-internal.js';

/**
 * Checks per-sequence losses and the 'sum' gradient against enumeration. Losses agree to
 * `lossTol` relative: 1e-10 with float64 exponentials throughout, 1e-7 where the WebAssembly
 * kernels sum each frame's normaliser from float32 exponentials.
 */
function checkAgainstBruteForce(c: CtcCase, losses: Float64Array, grad: Float32Array, what: string, lossTol = 1e-7): void {
  const [T, B, C] = c.shape;
  for (let b = 0; b < B; b++) {
    const Tb = c.inputLengths[b]!;
    const ref = bruteForceCtc(c.logits, Tb, C, B * C, b * C, c.targets[b]!, c.blank);
    if (ref.loss === Infinity) assert.equal(losses[b], Infinity, `${what}: sequence ${b} impossible`);
    else assert.ok(Math.abs(losses[b]! - ref.loss) <= lossTol * Math.max(1, ref.loss), `${what}: sequence ${b}: ${losses[b]} vs ${ref.loss}`);
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < C; k++) {
        const g = grad[(t * B + b) * C + k]!;
        const want = t < Tb ? ref.grad[t * C + k]! : 0;
        assert.ok(Math.abs(g - want) <= 2e-7, `${what}: sequence ${b} grad[t=${t}, c=${k}] ${g} vs ${want}`);
      }
    }
  }
}

test('random tiny batches: losses and gradients equal the enumeration of every path', () => {
  const fallbacks = latticeStats.logSpaceFallbacks;
  for (let seed = 1; seed <= 60; seed++) {
    const C = 2 + (seed % 3); // 2..4 classes: many repeats
    const T = 1 + (seed % 6); // up to 6 frames: at most 4^6 paths
    const c = randomCtcCase(seed, T, 3, C, Math.min(T + 1, 4), { minLength: 0 });
    const r = ctcLoss(c.logits, c.shape, c.targets, c.inputLengths, { blank: c.blank, reduction: 'sum', threads: 1 });
    checkAgainstBruteForce(c, r.losses, r.grad!, `seed ${seed} (blank ${c.blank})`);
  }
  // Ordinary logits stay on the rescaled path (the log-space one would hide its bugs).
  assert.equal(latticeStats.logSpaceFallbacks, fallbacks, 'no log-space fallback');
});

test('random tiny batches: the log-space path and the TypeScript kernels equal the enumeration too', () => {
  for (let seed = 100; seed <= 130; seed++) {
    const c = randomCtcCase(seed, 1 + (seed % 5), 2, 3 + (seed % 2), 4, { minLength: 0 });
    for (const hooks of [{ logSpaceOnly: true }, { jsKernels: true }, { jsKernels: true, logSpaceOnly: true }]) {
      const r = runCtcTask(c, hooks);
      checkAgainstBruteForce(c, r.losses, r.grad, `seed ${seed} ${JSON.stringify(hooks)}`, hooks.jsKernels ? 1e-10 : 1e-7);
    }
  }
});

test('very peaky logits: the rescaled path hands over to log space and stays exact', () => {
  // Logits of +-300 make frame probabilities of e^-600: the forced alignment of the target
  // runs through states the rescaled lattice underflows on.
  const T = 6;
  const C = 3;
  const logits = new Float32Array(T * C);
  const peaks = [0, 0, 0, 1, 1, 1]; // the frames favour "blank blank blank 1 1 1"
  for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) logits[t * C + k] = k === peaks[t] ? 300 : -300;
  const c: CtcCase = { logits, shape: [T, 1, C], targets: [[2, 2, 2]], inputLengths: [T], blank: 0 };
  const before = latticeStats.logSpaceFallbacks;
  const r = ctcLoss(logits, c.shape, c.targets, c.inputLengths, { reduction: 'sum', threads: 1 });
  assert.ok(latticeStats.logSpaceFallbacks > before, 'fell back to log space');
  assert.ok(Number.isFinite(r.loss) && r.loss > 1000, `loss ${r.loss}`);
  checkAgainstBruteForce(c, r.losses, r.grad!, 'peaky');
  // A loss alone is checked the same way.
  const fallbacks = latticeStats.logSpaceFallbacks;
  const lossOnly = ctcLoss(logits, c.shape, c.targets, c.inputLengths, { reduction: 'sum', threads: 1, grad: false });
  assert.ok(latticeStats.logSpaceFallbacks > fallbacks, 'loss alone fell back too');
  assert.equal(lossOnly.loss, r.loss);
});

test('target classes below e^-700 at a frame go to log space, exactly', () => {
  // Logits of +-500: the target's classes have log-probabilities near -1000 on most frames.
  const T = 5;
  const C = 3;
  const logits = new Float32Array(T * C);
  for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) logits[t * C + k] = k === (t < 2 ? 1 : 0) ? 500 : -500;
  const c: CtcCase = { logits, shape: [T, 1, C], targets: [[2, 1]], inputLengths: [T], blank: 0 };
  const before = latticeStats.logSpaceFallbacks;
  const r = ctcLoss(logits, c.shape, c.targets, c.inputLengths, { reduction: 'sum', threads: 1 });
  assert.ok(latticeStats.logSpaceFallbacks > before, 'log space');
  checkAgainstBruteForce(c, r.losses, r.grad!, 'e^-1000');
});
