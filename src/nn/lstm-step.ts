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

/**
 * One time step of a unidirectional stack (torch.nn.LSTM's weights, named `<prefix>weight_ih_l0`, ...)
 * for one sequence, as decoders need it: x [inputSize] and the state before the step ->
 * the state after it (new arrays; `state` is left unchanged, so hypotheses can share it).
 * The output is the last layer's h.
 */
export function lstmStackStep(
  backend: Backend, params: Parameters, prefix: string, cfg: LstmStackConfig, x: Float32Array, state: LstmState,
): LstmState {
  if (cfg.bidirectional) throw new Error('lstmStackStep: a bidirectional stack cannot be stepped one frame at a time');
  const H = cfg.hiddenSize, G = 4 * H;
  const hs: Float32Array[] = [], cs: Float32Array[] = [];
  let input = x;
  for (let k = 0; k < cfg.numLayers; k++) {
    const In = k === 0 ? cfg.inputSize : H;
    const wIh = params.value(`${prefix}weight_ih_l${k}`), wHh = params.value(`${prefix}weight_hh_l${k}`);
    const bIh = params.value(`${prefix}bias_ih_l${k}`), bHh = params.value(`${prefix}bias_hh_l${k}`);
    const gates = new Float32Array(G);
    for (let j = 0; j < G; j++) gates[j] = bIh[j]! + bHh[j]!;
    // gates [1, G] += x [1, In] W_ih^T + h_prev [1, H] W_hh^T
    backend.gemm(false, true, 1, G, In, 1, input, In, wIh, In, 1, gates, G);
    backend.gemm(false, true, 1, G, H, 1, state.h[k]!, H, wHh, H, 1, gates, G);
    const c = new Float32Array(H), h = new Float32Array(H);
    backend.lstmCellForward(1, H, gates, state.c[k]!, c, h, H);
    hs.push(h);
    cs.push(c);
    input = h;
  }
  return { h: hs, c: cs };
}
