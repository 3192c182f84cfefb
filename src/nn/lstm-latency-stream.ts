import type { Backend } from '../backend/index.js';
import { type LstmChunk, lstmInputGates, lstmRecurrence, lstmStackChunks } from './lstm-chunk.js';
import type { LatencyControl } from './lstm-latency-plan.js';
import type { LstmStackConfig } from './lstm-stack.js';
import type { LstmLayerWeights } from './lstm-step.js';
import type { Parameters } from './parameters.js';

/** One layer of a latency-controlled stack, streamed: its forward direction's state and what its current chunk has so far. */
export interface LatencyLayerState {
  /** The forward direction's h [H] and c [H] after the last input. */
  readonly h: Float32Array;
  readonly c: Float32Array;
  /**
   * The reverse direction's input projections [frames, 4H] (b_ih + b_hh + x W_ih^T) of the
   * layer's inputs from the current chunk's first frame on (its right context included):
   * each frame is projected once, though up to 1 + ceil(R / C) windows read it.
   */
  readonly reverseGates: Float32Array;
  /** The forward direction's outputs [frames, H] at those frames. */
  readonly forward: Float32Array;
  readonly frames: number;
}

/** The state of one sequence through a latency-controlled stack between chunks of input. */
export interface LatencyStreamState {
  readonly layers: readonly LatencyLayerState[];
}

/** Both directions' weights of each layer of a latency-controlled stack. */
export interface LatencyStackWeights {
  forward: LstmLayerWeights[];
  reverse: LstmLayerWeights[];
}

/** The weights of a stack named `<prefix>weight_ih_l0`, `<prefix>weight_ih_l0_reverse`, ... (views into `params`). */
export function latencyStackWeights(params: Parameters, prefix: string, cfg: LstmStackConfig): LatencyStackWeights {
  const layer = (k: number, suffix: string): LstmLayerWeights => ({
    wIh: params.value(`${prefix}weight_ih_l${k}${suffix}`), wHh: params.value(`${prefix}weight_hh_l${k}${suffix}`),
    bIh: params.value(`${prefix}bias_ih_l${k}${suffix}`), bHh: params.value(`${prefix}bias_hh_l${k}${suffix}`),
  });
  return {
    forward: Array.from({ length: cfg.numLayers }, (_, k) => layer(k, '')),
    reverse: Array.from({ length: cfg.numLayers }, (_, k) => layer(k, '_reverse')),
  };
}

/** The state before the first frame. */
export function latencyZeroState(cfg: LstmStackConfig): LatencyStreamState {
  const H = cfg.hiddenSize;
  return {
    layers: Array.from({ length: cfg.numLayers }, () => ({
      h: new Float32Array(H), c: new Float32Array(H), reverseGates: new Float32Array(0), forward: new Float32Array(0), frames: 0,
    })),
  };
}

/** One sequence's new input for {@link latencyStackChunks}: n frames x [n, inputSize], from `state`; `end`: no more will come. */
export interface LatencyChunk {
  x: Float32Array;
  n: number;
  state: LatencyStreamState;
  end: boolean;
}

/** A window of a layer's buffered inputs whose reverse direction a chunk needs. */
interface Window {
  seq: number;
  /** First frame in the layer's buffer, frames read, and the chunk's own frames among them. */
  at: number;
  frames: number;
  own: number;
}

/**
 * New input frames through a latency-controlled bidirectional stack (lstm-latency.ts) for
 * several sequences (live streams): the last layer's outputs [frames, 2H] of every frame
 * whose value is now known, and the new state (new arrays; `state` is left unchanged).
 *
 * Per layer, the forward direction runs over the new inputs from its carried state; each
 * chunk of C frames whose inputs, and R more, have arrived (at the end: whatever has
 * arrived) runs the reverse direction over that window from the zero state and goes to
 * the next layer. Both directions are the unidirectional stack's chunk code
 * (lstm-chunk.ts), the reverse over the window's input projections read backwards; each
 * frame's reverse projection is computed once, as it arrives, and kept until its last
 * window has run (a frame is read by up to 1 + ceil(R / C) windows). So the outputs are
 * the offline layer's, bit for bit on the JavaScript backend. Every sequence's forward
 * steps share one set of products per layer, as do all the windows ready at that layer.
 */
export function latencyStackChunks(
  backend: Backend, weights: LatencyStackWeights, cfg: LstmStackConfig, lc: LatencyControl, chunks: readonly LatencyChunk[],
): { output: Float32Array; frames: number; state: LatencyStreamState }[] {
  if (!cfg.bidirectional) throw new Error('latencyStackChunks: latency control is for bidirectional stacks');
  const H = cfg.hiddenSize, G = 4 * H, C = lc.chunk, span = lc.chunk + lc.rightContext;
  let inputs = chunks.map((c) => ({ x: c.x, n: c.n }));
  const layers: LatencyLayerState[][] = chunks.map(() => []);
  for (let k = 0; k < cfg.numLayers; k++) {
    const In = k === 0 ? cfg.inputSize : 2 * H;
    const one: LstmStackConfig = { inputSize: In, hiddenSize: H, numLayers: 1, bidirectional: false };
    const fwd = lstmStackChunks(backend, [weights.forward[k]!], one, inputs.map((inp, s): LstmChunk => {
      const st = chunks[s]!.state.layers[k]!;
      return { x: inp.x, n: inp.n, state: { h: [st.h], c: [st.c] } };
    }));
    // the reverse direction's projections of every sequence's new frames, in one product
    const newRows = inputs.reduce((n, inp) => n + inp.n, 0);
    const revNew = lstmInputGates(backend, weights.reverse[k]!, concatAll(inputs.map((inp) => inp.x.subarray(0, inp.n * In))), newRows, In);
    // each sequence's buffer: the chunk's earlier projections and forward outputs, then the new ones
    let at = 0;
    const buffers = inputs.map((inp, s) => {
      const st = chunks[s]!.state.layers[k]!;
      const b = {
        gates: concatRows(st.reverseGates, st.frames, revNew.subarray(at * G), inp.n, G),
        fwd: concatRows(st.forward, st.frames, fwd[s]!.output, inp.n, H),
        frames: st.frames + inp.n,
      };
      at += inp.n;
      return b;
    });
    const windows: Window[] = [];
    buffers.forEach((b, s) => {
      let w = 0;
      while (b.frames - w >= span || (chunks[s]!.end && b.frames > w)) {
        const frames = Math.min(span, b.frames - w), own = Math.min(C, b.frames - w);
        windows.push({ seq: s, at: w, frames, own });
        w += own;
      }
    });
    // the reverse direction over each window from the zero state: its projections read backwards
    const offs: number[] = [];
    let rows = 0;
    for (const w of windows) {
      offs.push(rows);
      rows += w.frames;
    }
    const winGates = new Float32Array(rows * G);
    windows.forEach((w, i) => winGates.set(reversedRows(buffers[w.seq]!.gates, w.at, w.frames, G), offs[i]! * G));
    const zero = new Float32Array(H);
    const rev = lstmRecurrence(backend, weights.reverse[k]!.wHh, H, winGates, offs, windows.map((w) => w.frames), windows.map(() => zero), windows.map(() => zero));
    // a chunk's output rows: the forward direction's h, then the reverse's (its window read backwards)
    const out = buffers.map(() => ({ rows: [] as Float32Array[], n: 0, consumed: 0 }));
    windows.forEach((w, i) => {
      const b = buffers[w.seq]!, o = out[w.seq]!, r = rev.output.subarray(offs[i]! * H);
      const rowsOut = new Float32Array(w.own * 2 * H);
      for (let j = 0; j < w.own; j++) {
        rowsOut.set(b.fwd.subarray((w.at + j) * H, (w.at + j + 1) * H), j * 2 * H);
        rowsOut.set(r.subarray((w.frames - 1 - j) * H, (w.frames - j) * H), j * 2 * H + H);
      }
      o.rows.push(rowsOut);
      o.n += w.own;
      o.consumed = w.at + w.own;
    });
    buffers.forEach((b, s) => {
      const used = out[s]!.consumed;
      layers[s]!.push({
        h: fwd[s]!.state.h[0]!, c: fwd[s]!.state.c[0]!,
        reverseGates: b.gates.slice(used * G, b.frames * G), forward: b.fwd.slice(used * H, b.frames * H), frames: b.frames - used,
      });
    });
    inputs = out.map((o) => ({ x: concatAll(o.rows), n: o.n }));
  }
  return inputs.map((inp, s) => ({ output: inp.x, frames: inp.n, state: { layers: layers[s]! } }));
}

/** Rows [0, m) of a then rows [0, n) of b, each `cols` wide. */
function concatRows(a: Float32Array, m: number, b: Float32Array, n: number, cols: number): Float32Array {
  const out = new Float32Array((m + n) * cols);
  out.set(a.subarray(0, m * cols));
  out.set(b.subarray(0, n * cols), m * cols);
  return out;
}

function concatAll(parts: readonly Float32Array[]): Float32Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Rows at .. at + n - 1 of x (`cols` wide), last first. */
function reversedRows(x: Float32Array, at: number, n: number, cols: number): Float32Array {
  const out = new Float32Array(n * cols);
  for (let j = 0; j < n; j++) out.set(x.subarray((at + n - 1 - j) * cols, (at + n - j) * cols), j * cols);
  return out;
}
