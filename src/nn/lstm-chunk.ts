import type { Backend } from '../backend/index.js';
import { fillRows } from './workspace.js';
import type { LstmStackConfig } from './lstm-stack.js';
import type { LstmLayerWeights, LstmState } from './lstm-step.js';

/**
 * A chunk of frames through a unidirectional LSTM stack for one sequence, from the state
 * the previous chunk left: x [n, inputSize] -> the last layer's outputs [n, H] and the
 * state after the chunk's last frame (new arrays; `state` is left unchanged).
 *
 * The operations are the offline forward's (LstmLayer.forward) in the same order: per
 * layer one product projects the chunk's inputs (gates = b_ih + b_hh + x W_ih^T), then each
 * step adds h_prev W_hh^T and runs the fused cell. So on a backend whose products do not
 * depend on how many rows they are given (the JavaScript one), chunks of any size give
 * the offline outputs bit for bit; elsewhere they agree to rounding.
 */
export function lstmStackChunk(
  backend: Backend, weights: readonly LstmLayerWeights[], cfg: LstmStackConfig, x: Float32Array, n: number, state: LstmState,
): { output: Float32Array; state: LstmState } {
  if (cfg.bidirectional) throw new Error('lstmStackChunk: a bidirectional stack needs the whole sequence; streaming needs "bidirectional": false');
  const H = cfg.hiddenSize, G = 4 * H;
  if (x.length < n * cfg.inputSize) throw new Error(`lstmStackChunk: x has ${x.length} values, ${n} frames of ${cfg.inputSize} need ${n * cfg.inputSize}`);
  const hs: Float32Array[] = [], cs: Float32Array[] = [];
  let input = x;
  for (let k = 0; k < cfg.numLayers; k++) {
    const In = k === 0 ? cfg.inputSize : H;
    const { wIh, wHh, bIh, bHh } = weights[k]!;
    const bias = new Float32Array(G);
    for (let j = 0; j < G; j++) bias[j] = bIh[j]! + bHh[j]!;
    const gates = new Float32Array(n * G);
    fillRows(gates, n, bias);
    if (n > 0) backend.gemm(false, true, n, G, In, 1, input, In, wIh, In, 1, gates, G);
    const out = new Float32Array(n * H);
    let h = state.h[k]!, c = state.c[k]!;
    for (let t = 0; t < n; t++) {
      const gt = gates.subarray(t * G, (t + 1) * G);
      backend.gemm(false, true, 1, G, H, 1, h, H, wHh, H, 1, gt, G);
      const cNext = new Float32Array(H);
      const ht = out.subarray(t * H, (t + 1) * H);
      backend.lstmCellForward(1, H, gt, c, cNext, ht, H);
      h = ht;
      c = cNext;
    }
    hs.push(n > 0 ? h.slice() : h);
    cs.push(c);
    input = out;
  }
  return { output: n > 0 ? input : new Float32Array(0), state: { h: hs, c: cs } };
}
