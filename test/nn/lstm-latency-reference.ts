/**
 * A slow reference of the latency-controlled BiLSTM stack (src/nn/lstm-latency.ts), from
 * its definition, in float64, one sequence and one frame at a time: per layer the forward
 * direction over the whole sequence; the reverse direction of chunk c from the zero state
 * at frame min(L, (c+1)C + R) - 1 down to cC, its outputs kept at the chunk's own frames.
 */
import type { LatencyControl } from '../../src/nn/lstm-latency-plan.js';
import type { LstmStackConfig } from '../../src/nn/lstm-stack.js';
import type { Parameters } from '../../src/nn/parameters.js';

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** A unidirectional LSTM over frames from the zero state (PyTorch's gate order i, f, g, o). */
function lstmRun(params: Parameters, name: (w: string) => string, H: number, frames: readonly number[][]): number[][] {
  const wIh = params.value(name('weight_ih')), wHh = params.value(name('weight_hh'));
  const bIh = params.value(name('bias_ih')), bHh = params.value(name('bias_hh'));
  let h = new Array<number>(H).fill(0), c = new Array<number>(H).fill(0);
  return frames.map((x) => {
    const z = Array.from({ length: 4 * H }, (_, j) => {
      let s = bIh[j]! + bHh[j]!;
      x.forEach((v, i) => { s += wIh[j * x.length + i]! * v; });
      h.forEach((v, i) => { s += wHh[j * H + i]! * v; });
      return s;
    });
    c = c.map((cp, j) => sigmoid(z[H + j]!) * cp + sigmoid(z[j]!) * Math.tanh(z[2 * H + j]!));
    h = c.map((cj, j) => sigmoid(z[3 * H + j]!) * Math.tanh(cj));
    return h;
  });
}

/** One sequence's frames [L][inputSize] through the stack -> [L][2H]. */
export function latencyStackReference(params: Parameters, prefix: string, cfg: LstmStackConfig, lc: LatencyControl, frames: readonly number[][]): readonly number[][] {
  const H = cfg.hiddenSize, L = frames.length, { chunk: C, rightContext: R } = lc;
  let input: readonly number[][] = frames;
  for (let k = 0; k < cfg.numLayers; k++) {
    const name = (suffix: string) => (w: string): string => `${prefix}${w}_l${k}${suffix}`;
    const fwd = lstmRun(params, name(''), H, input);
    const rev: number[][] = [];
    for (let start = 0; start < L; start += C) {
      const window = input.slice(start, Math.min(L, start + C + R)).reverse();
      const out = lstmRun(params, name('_reverse'), H, window).reverse();
      rev.push(...out.slice(0, Math.min(C, L - start)));
    }
    input = fwd.map((f, t) => [...f, ...rev[t]!]);
  }
  return input;
}
