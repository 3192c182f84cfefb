import type { Backend } from '../backend/index.js';
import type { LstmStackConfig } from './lstm-stack.js';
import type { Parameters } from './parameters.js';

/** The recurrent state of a unidirectional LSTM stack for one sequence: per layer, h [H] and c [H]. */
export interface LstmState {
  readonly h: readonly Float32Array[];
  readonly c: readonly Float32Array[];
}

/** The zero state (before the first step). */
export function lstmZeroState(cfg: LstmStackConfig): LstmState {
  const zeros = (): Float32Array[] => Array.from({ length: cfg.numLayers }, () => new Float32Array(cfg.hiddenSize));
  return { h: zeros(), c: zeros() };
}

/** One layer's weights (torch.nn.LSTM's): W_ih [4H, In], W_hh [4H, H], b_ih and b_hh [4H]. */
export interface LstmLayerWeights {
  wIh: Float32Array;
  wHh: Float32Array;
  bIh: Float32Array;
  bHh: Float32Array;
}

/** The layers' weights of a stack named `<prefix>weight_ih_l0`, ... (views into `params`: resolve once, step many times). */
export function lstmStackWeights(params: Parameters, prefix: string, cfg: LstmStackConfig): LstmLayerWeights[] {
  return Array.from({ length: cfg.numLayers }, (_, k) => ({
    wIh: params.value(`${prefix}weight_ih_l${k}`), wHh: params.value(`${prefix}weight_hh_l${k}`),
    bIh: params.value(`${prefix}bias_ih_l${k}`), bHh: params.value(`${prefix}bias_hh_l${k}`),
  }));
}

/**
 * One time step of a unidirectional stack (torch.nn.LSTM's weights, named `<prefix>weight_ih_l0`, ...)
 * for one sequence, as decoders need it: x [inputSize] and the state before the step ->
 * the state after it (new arrays; `state` is left unchanged, so hypotheses can share it).
 * The output is the last layer's h.
 */
export function lstmStackStep(
  backend: Backend, params: Parameters, prefix: string, cfg: LstmStackConfig, x: Float32Array, state: LstmState,
): LstmState {
  return lstmStackStepBatch(backend, lstmStackWeights(params, prefix, cfg), cfg, x, [state])[0]!;
}

/**
 * {@link lstmStackStep} for n sequences at once (one matrix product per layer and weight
 * instead of n): x [n, inputSize] and n states -> n new states (the inputs are left
 * unchanged). With `inputGates` [n, 4H], layer 0's x W_ih^T + b_ih + b_hh is given
 * precomputed and x is not read.
 */
export function lstmStackStepBatch(
  backend: Backend, weights: readonly LstmLayerWeights[], cfg: LstmStackConfig, x: Float32Array, states: readonly LstmState[],
  inputGates?: Float32Array,
): LstmState[] {
  if (cfg.bidirectional) throw new Error('lstmStackStep: a bidirectional stack cannot be stepped one frame at a time');
  const H = cfg.hiddenSize, G = 4 * H, n = states.length;
  const hs: Float32Array[][] = states.map(() => []), cs: Float32Array[][] = states.map(() => []);
  const gates = n === 1 && inputGates ? inputGates.slice(0, G) : new Float32Array(n * G);
  let input = x;
  for (let k = 0; k < cfg.numLayers; k++) {
    const In = k === 0 ? cfg.inputSize : H;
    const { wIh, wHh, bIh, bHh } = weights[k]!;
    if (k === 0 && inputGates) {
      if (n > 1) gates.set(inputGates.subarray(0, n * G));
    } else {
      for (let j = 0; j < G; j++) gates[j] = bIh[j]! + bHh[j]!;
      for (let i = 1; i < n; i++) gates.copyWithin(i * G, 0, G);
      // gates [n, G] += x [n, In] W_ih^T
      backend.gemm(false, true, n, G, In, 1, input, In, wIh, In, 1, gates, G);
    }
    // one sequence: its own arrays serve as the [1, H] rows
    const hPrev = n === 1 ? states[0]!.h[k]! : gather(states, (s) => s.h[k]!, H);
    const cPrev = n === 1 ? states[0]!.c[k]! : gather(states, (s) => s.c[k]!, H);
    // gates [n, G] += h_prev [n, H] W_hh^T
    backend.gemm(false, true, n, G, H, 1, hPrev, H, wHh, H, 1, gates, G);
    const c = new Float32Array(n * H), h = new Float32Array(n * H);
    backend.lstmCellForward(n, H, gates, cPrev, c, h, H);
    for (let i = 0; i < n; i++) {
      hs[i]!.push(n === 1 ? h : h.subarray(i * H, (i + 1) * H));
      cs[i]!.push(n === 1 ? c : c.subarray(i * H, (i + 1) * H));
    }
    input = h;
  }
  return hs.map((h, i) => ({ h, c: cs[i]! }));
}

/** Rows [n, H] from one array of each state. */
function gather(states: readonly LstmState[], row: (s: LstmState) => Float32Array, H: number): Float32Array {
  const out = new Float32Array(states.length * H);
  states.forEach((s, i) => out.set(row(s), i * H));
  return out;
}
