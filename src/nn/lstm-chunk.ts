import type { Backend } from '../backend/index.js';
import { projectInputs } from './lstm.js';
import type { LstmStackConfig } from './lstm-stack.js';
import type { LstmLayerWeights, LstmState } from './lstm-step.js';

/** One sequence's chunk for {@link lstmStackChunks}: n frames x [n, inputSize] from `state`. */
export interface LstmChunk {
  x: Float32Array;
  n: number;
  state: LstmState;
}

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
  return lstmStackChunks(backend, weights, cfg, [{ x, n, state }])[0]!;
}

/**
 * {@link lstmStackChunk} for several sequences (live streams) at once: one input product
 * per layer over every chunk's frames, and at each step one recurrent product over the
 * sequences that still have a frame, so that many streams cost a few products with many
 * rows rather than many with one.
 */
export function lstmStackChunks(
  backend: Backend, weights: readonly LstmLayerWeights[], cfg: LstmStackConfig, chunks: readonly LstmChunk[],
): { output: Float32Array; state: LstmState }[] {
  if (cfg.bidirectional) throw new Error('lstmStackChunk: a bidirectional stack needs the whole sequence; streaming needs "bidirectional": false');
  const H = cfg.hiddenSize, S = chunks.length;
  const offs: number[] = [];
  let N = 0;
  for (const c of chunks) {
    if (c.x.length < c.n * cfg.inputSize) throw new Error(`lstmStackChunk: x has ${c.x.length} values, ${c.n} frames of ${cfg.inputSize} need ${c.n * cfg.inputSize}`);
    offs.push(N);
    N += c.n;
  }
  let input: Float32Array;
  if (S === 1) {
    input = chunks[0]!.x;
  } else {
    input = new Float32Array(N * cfg.inputSize);
    chunks.forEach((c, s) => input.set(c.x.subarray(0, c.n * cfg.inputSize), offs[s]! * cfg.inputSize));
  }
  const hs: Float32Array[][] = chunks.map(() => []), cs: Float32Array[][] = chunks.map(() => []);
  const ns = chunks.map((c) => c.n);
  for (let k = 0; k < cfg.numLayers; k++) {
    const In = k === 0 ? cfg.inputSize : H;
    const gates = lstmInputGates(backend, weights[k]!, input, N, In);
    const r = lstmRecurrence(backend, weights[k]!.wHh, H, gates, offs, ns, chunks.map((c) => c.state.h[k]!), chunks.map((c) => c.state.c[k]!));
    chunks.forEach((_, s) => {
      hs[s]!.push(r.h[s]!);
      cs[s]!.push(r.c[s]!);
    });
    input = r.output;
  }
  return chunks.map((ch, s) => ({ output: input.slice(offs[s]! * H, (offs[s]! + ch.n) * H), state: { h: hs[s]!, c: cs[s]! } }));
}

/** A layer's input projections of N rows: gates [N, 4H] = b_ih + b_hh + x [N, in] W_ih^T (new array; lstm.ts's projectInputs). */
export function lstmInputGates(backend: Backend, w: LstmLayerWeights, x: Float32Array, N: number, inputSize: number): Float32Array {
  const G = w.bIh.length;
  const gates = new Float32Array(N * G);
  projectInputs(backend, N, inputSize, x, w, gates, new Float32Array(G));
  return gates;
}

/**
 * A layer's recurrence over several sequences whose input projections are given: sequence s
 * has ns[s] rows of `gates` [*, 4H] from row offs[s] (consumed: h_prev W_hh^T is added in
 * place) and starts from h0[s], c0[s]. Returns the outputs h [rows, H] in the same rows and
 * each sequence's last h and c (its start state where it had no rows). At each step one
 * recurrent product serves every sequence that still has a row.
 */
export function lstmRecurrence(
  backend: Backend, wHh: Float32Array, H: number, gates: Float32Array, offs: readonly number[], ns: readonly number[],
  h0: readonly Float32Array[], c0: readonly Float32Array[],
): { output: Float32Array; h: Float32Array[]; c: Float32Array[] } {
  const G = 4 * H, S = ns.length;
  const out = new Float32Array(ns.reduce((n, x) => n + x, 0) * H);
  const h = [...h0], c = [...c0];
  const maxN = Math.max(0, ...ns);
  for (let t = 0; t < maxN; t++) {
    const active: number[] = [];
    for (let s = 0; s < S; s++) if (ns[s]! > t) active.push(s);
    const m = active.length;
    if (m === 1) {
      // one sequence: its own rows, no copies
      const s = active[0]!, row = offs[s]! + t;
      const gt = gates.subarray(row * G, (row + 1) * G);
      backend.gemm(false, true, 1, G, H, 1, h[s]!, H, wHh, H, 1, gt, G);
      const cNext = new Float32Array(H);
      const ht = out.subarray(row * H, (row + 1) * H);
      backend.lstmCellForward(1, H, gt, c[s]!, cNext, ht, H);
      h[s] = ht;
      c[s] = cNext;
      continue;
    }
    const gm = new Float32Array(m * G), hPrev = new Float32Array(m * H), cPrev = new Float32Array(m * H);
    active.forEach((s, i) => {
      const row = offs[s]! + t;
      gm.set(gates.subarray(row * G, (row + 1) * G), i * G);
      hPrev.set(h[s]!, i * H);
      cPrev.set(c[s]!, i * H);
    });
    backend.gemm(false, true, m, G, H, 1, hPrev, H, wHh, H, 1, gm, G);
    const cNext = new Float32Array(m * H), hNext = new Float32Array(m * H);
    backend.lstmCellForward(m, H, gm, cPrev, cNext, hNext, H);
    active.forEach((s, i) => {
      const row = offs[s]! + t;
      out.set(hNext.subarray(i * H, (i + 1) * H), row * H);
      h[s] = out.subarray(row * H, (row + 1) * H);
      c[s] = cNext.subarray(i * H, (i + 1) * H);
    });
  }
  // a sequence that ran owns copies of its last state (not views into shared buffers)
  ns.forEach((n, s) => {
    if (n > 0) {
      h[s] = h[s]!.slice();
      c[s] = c[s]!.slice();
    }
  });
  return { output: out, h, c };
}
