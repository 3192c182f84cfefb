import type { Backend } from '../backend/index.js';
import type { PackedLayout } from './packing.js';
import type { ParamSpec, Parameters } from './parameters.js';
import { Workspace, addColumnSums, fillRows } from './workspace.js';

/**
 * One LSTM layer (one or two directions) over a packed batch (see packing.ts), with
 * PyTorch's weight layout and gate order (i, f, g, o):
 *   weight_ih_l{k}[_reverse] [4H, in], weight_hh_l{k}[_reverse] [4H, H],
 *   bias_ih_l{k}[_reverse] [4H], bias_hh_l{k}[_reverse] [4H].
 * Shapes below: N = real frames (layout.total), D = directions, G = 4H.
 *
 * Forward: one GEMM projects the input of every frame (gates = x W_ih^T + b_ih + b_hh),
 * then each step adds h_prev W_hh^T on the active rows only (a prefix, since the batch is
 * sorted by length) and runs the fused cell. The reverse direction starts at each
 * sequence's own last frame. Both directions advance in the same loop.
 *
 * A layer may also run the reverse direction alone (`'reverse'`): the latency-controlled
 * layer (lstm-latency.ts) runs it over short windows of the sequence, its outputs in
 * columns [0, H).
 */
export function lstmLayerParamSpecs(
  prefix: string, layer: number, inputSize: number, hiddenSize: number, bidirectional: boolean,
): ParamSpec[] {
  const bound = 1 / Math.sqrt(hiddenSize);
  const G = 4 * hiddenSize;
  const specs: ParamSpec[] = [];
  for (const suffix of bidirectional ? ['', '_reverse'] : ['']) {
    specs.push(
      { name: `${prefix}weight_ih_l${layer}${suffix}`, shape: [G, inputSize], initBound: bound },
      { name: `${prefix}weight_hh_l${layer}${suffix}`, shape: [G, hiddenSize], initBound: bound },
      { name: `${prefix}bias_ih_l${layer}${suffix}`, shape: [G], initBound: bound },
      { name: `${prefix}bias_hh_l${layer}${suffix}`, shape: [G], initBound: bound },
    );
  }
  return specs;
}

/**
 * How many of a step's `rows` active sequences are also active at step u (a neighbour in
 * time): a prefix, since the batch is sorted by length; 0 when u is outside [0, T).
 */
function sharedRows(batchSizes: Int32Array, u: number, rows: number): number {
  return u < 0 || u >= batchSizes.length ? 0 : Math.min(rows, batchSizes[u]!);
}

/**
 * The directions a layer runs: PyTorch's unidirectional (`'forward'`) and bidirectional
 * (`'both'`) layers, or the reverse direction alone (`'reverse'`, over `_reverse` weights).
 */
export type LstmDirections = 'forward' | 'both' | 'reverse';

interface Direction extends InputParams {
  /** Runs from each sequence's last frame down to its first. */
  reverse: boolean;
  /** First column of this direction's h in the layer's output rows. */
  col: number;
  wHh: Float32Array; dWHh: Float32Array;
}

/** A direction's input-side weights (PyTorch layout) and their gradients. */
export interface InputParams {
  wIh: Float32Array; bIh: Float32Array; bHh: Float32Array;
  dWIh: Float32Array; dBIh: Float32Array; dBHh: Float32Array;
}

/**
 * gates [N, G] = b_ih + b_hh + x [N, in] W_ih^T: every frame's input projection in one
 * product; `bias` [G] is scratch. The offline layers and the streams share it, so both
 * compute the same values.
 */
export function projectInputs(be: Backend, N: number, inputSize: number, x: Float32Array, p: Pick<InputParams, 'wIh' | 'bIh' | 'bHh'>, gates: Float32Array, bias: Float32Array): void {
  be.copy(p.bIh, bias);
  be.axpy(1, p.bHh, bias);
  fillRows(be, gates, N, bias);
  if (N > 0) be.gemm(false, true, N, bias.length, inputSize, 1, x, inputSize, p.wIh, inputSize, 1, gates, bias.length);
}

/**
 * Backward of {@link projectInputs} from dGates [N, G]: dW_ih += dGates^T x, both biases +=
 * dGates' column sums, and dx [N, in] = dGates W_ih (added to dx with `accumulate`;
 * skipped when dx is null).
 */
export function inputsBackward(
  be: Backend, scratch: Workspace, N: number, inputSize: number, dGates: Float32Array, x: Float32Array, p: InputParams,
  dx: Float32Array | null, accumulate: boolean,
): void {
  const G = p.bIh.length;
  // dW_ih [G, in] += dGates^T [G, N] x x [N, in]
  be.gemm(true, false, G, inputSize, N, 1, dGates, G, x, inputSize, 1, p.dWIh, inputSize);
  const dBias = scratch.get('dbias', G);
  be.fill(dBias, 0);
  addColumnSums(be, N, G, dGates, G, dBias);
  be.axpy(1, dBias, p.dBIh);
  be.axpy(1, dBias, p.dBHh);
  // dx [N, in] (+)= dGates [N, G] x W_ih [G, in]
  if (dx) be.gemm(false, false, N, inputSize, G, 1, dGates, G, p.wIh, inputSize, accumulate ? 1 : 0, dx, inputSize);
}

/** A layer of a stack (lstm-stack.ts): {@link LstmLayer} or the latency-controlled one (lstm-latency.ts). */
export interface RecurrentLayer {
  readonly inputSize: number;
  readonly outputSize: number;
  /** x [N, inputSize] -> out [N, outputSize]; with `train`, keeps what backward needs. */
  forward(layout: PackedLayout, x: Float32Array, out: Float32Array, train: boolean): void;
  /** Backward of the last training forward; dOut may be consumed; dx overwritten, or skipped when null. */
  backward(layout: PackedLayout, x: Float32Array, out: Float32Array, dOut: Float32Array, dx: Float32Array | null): void;
  /** Frees what forward kept for backward. */
  releaseSaved(): void;
}

/** One LSTM layer bound to its parameter views; see {@link lstmLayerParamSpecs}. */
export class LstmLayer implements RecurrentLayer {
  readonly directions: number;
  /** Columns of the output: directions * hiddenSize (forward first, then reverse). */
  readonly outputSize: number;
  private readonly dirs: Direction[] = [];
  /** What forward keeps for backward: per direction, gate activations [N, G] and cells [N, H]. */
  private readonly saved: Workspace;

  constructor(
    readonly backend: Backend, params: Parameters, prefix: string, readonly layer: number,
    readonly inputSize: number, readonly hiddenSize: number, directions: LstmDirections,
    /** Scratch shared with other layers (nothing in it outlives a call). */
    private readonly scratch: Workspace = new Workspace(backend),
  ) {
    const reverse = directions === 'both' ? [false, true] : [directions === 'reverse'];
    this.directions = reverse.length;
    this.outputSize = this.directions * hiddenSize;
    this.saved = new Workspace(backend);
    for (const [d, rev] of reverse.entries()) {
      const n = (w: string): string => `${prefix}${w}_l${layer}${rev ? '_reverse' : ''}`;
      this.dirs.push({
        reverse: rev, col: d * hiddenSize,
        wIh: params.value(n('weight_ih')), wHh: params.value(n('weight_hh')),
        bIh: params.value(n('bias_ih')), bHh: params.value(n('bias_hh')),
        dWIh: params.gradient(n('weight_ih')), dWHh: params.gradient(n('weight_hh')),
        dBIh: params.gradient(n('bias_ih')), dBHh: params.gradient(n('bias_hh')),
      });
    }
  }

  /**
   * x [N, in] -> out [N, D*H]. With `train`, keeps gate activations and cells for
   * {@link LstmLayer.backward} (valid until the next training forward); without, keeps
   * nothing and uses shared scratch only.
   */
  forward(layout: PackedLayout, x: Float32Array, out: Float32Array, train: boolean): void {
    const gates = this.dirs.map((p, d) => {
      const g = this.gateBuffer(d, layout.total, train);
      projectInputs(this.backend, layout.total, this.inputSize, x, p, g, this.scratch.get('bias', 4 * this.hiddenSize));
      return g;
    });
    this.forwardSteps(layout, gates, out, train);
  }

  /** The weights of direction d (0: the first this layer runs) on the input side, and their gradients. */
  inputParams(d: number): InputParams {
    return this.dirs[d]!;
  }

  /**
   * Direction d's gate buffer [N, G] for a forward: the one backward reads when `train`
   * (valid until the next training forward), shared scratch otherwise.
   */
  gateBuffer(d: number, N: number, train: boolean): Float32Array {
    return train ? this.saved.get(`gates${d}`, N * 4 * this.hiddenSize) : this.scratch.get(`gates${d}`, N * 4 * this.hiddenSize);
  }

  /**
   * The recurrence of {@link LstmLayer.forward} from input projections already made: gates
   * per direction, [N, G] = b_ih + b_hh + x W_ih^T, each the direction's
   * {@link LstmLayer.gateBuffer} (turned into gate activations in place) -> out [N, D*H].
   */
  forwardSteps(layout: PackedLayout, gates: readonly Float32Array[], out: Float32Array, train: boolean): void {
    const { T, B, batchSizes: bs, offsets: off, total: N } = layout;
    const H = this.hiddenSize, G = 4 * H, D = this.directions, DH = this.outputSize, be = this.backend;
    const zeros = this.scratch.get('zeros', B * H, true);
    // Training keeps every step's cell; inference two alternating [B, H] rows.
    const cells = gates.map((_, d) => (train ? this.saved.get(`c${d}`, N * H) : this.scratch.get(`cring${d}`, 2 * B * H)));
    for (let s = 0; s < T; s++) {
      for (let d = 0; d < D; d++) {
        const p = this.dirs[d]!;
        const t = p.reverse ? T - 1 - s : s;
        const rows = bs[t]!;
        if (rows === 0) continue;
        const gt = gates[d]!.subarray(off[t]! * G, (off[t]! + rows) * G);
        const tp = p.reverse ? t + 1 : t - 1;
        const prevRows = sharedRows(bs, tp, rows);
        if (prevRows > 0) {
          // gates_t[0:prevRows] += h_prev [prevRows, H] x W_hh^T [H, G]
          be.gemm(false, true, prevRows, G, H, 1, out.subarray(off[tp]! * DH + p.col), DH, p.wHh, H, 1, gt, G);
        }
        let cPrev: Float32Array;
        let ct: Float32Array;
        if (train) {
          cPrev = this.prevCell(cells[d]!, off, tp, prevRows, rows, zeros);
          ct = cells[d]!.subarray(off[t]! * H, (off[t]! + rows) * H);
        } else {
          const ring = cells[d]!;
          cPrev = prevRows === 0 ? zeros : ring.subarray(((s + 1) & 1) * B * H);
          if (prevRows > 0 && prevRows < rows) be.fill(cPrev.subarray(prevRows * H, rows * H), 0);
          ct = ring.subarray((s & 1) * B * H, ((s & 1) * B + rows) * H);
        }
        be.lstmCellForward(rows, H, gt, cPrev, ct, out.subarray(off[t]! * DH + p.col), DH);
      }
    }
  }

  /**
   * Backward of the last training {@link LstmLayer.forward} (same layout, x and out).
   * dOut [N, D*H] is consumed (the recurrent gradient is added into it). Parameter
   * gradients are accumulated; dx [N, in] is overwritten, or skipped when null.
   */
  backward(layout: PackedLayout, x: Float32Array, out: Float32Array, dOut: Float32Array, dx: Float32Array | null): void {
    const dGates = this.backwardSteps(layout, out, dOut);
    if (layout.total === 0) {
      if (dx) this.backend.fill(dx, 0);
      return;
    }
    this.dirs.forEach((p, d) => inputsBackward(this.backend, this.scratch, layout.total, this.inputSize, dGates[d]!, x, p, dx, d > 0));
  }

  /**
   * Backward through the recurrence of the last training forward (same layout and out):
   * dOut [N, D*H] is consumed; dW_hh is accumulated; returns dGates per direction [N, G]
   * (scratch, valid until the next call), the gradient of the input projections, which
   * {@link inputsBackward} takes to dW_ih, the biases and dx.
   */
  backwardSteps(layout: PackedLayout, out: Float32Array, dOut: Float32Array): Float32Array[] {
    const { T, B, batchSizes: bs, offsets: off, total: N } = layout;
    const H = this.hiddenSize, G = 4 * H, D = this.directions, DH = this.outputSize, be = this.backend;
    const zeros = this.scratch.get('zeros', B * H, true);
    const dGates: Float32Array[] = [];
    const dc: Float32Array[] = [];
    const gates: Float32Array[] = [];
    const cells: Float32Array[] = [];
    for (let d = 0; d < D; d++) {
      dGates.push(this.scratch.get(`dgates${d}`, N * G));
      dc.push(this.scratch.get(`dc${d}`, B * H, true));
      gates.push(this.saved.get(`gates${d}`, N * G));
      cells.push(this.saved.get(`c${d}`, N * H));
    }
    for (let s = 0; s < T; s++) {
      for (let d = 0; d < D; d++) {
        const p = this.dirs[d]!;
        const t = p.reverse ? s : T - 1 - s;
        const rows = bs[t]!;
        if (rows === 0) continue;
        const dht = dOut.subarray(off[t]! * DH + p.col);
        // the step that follows t in this direction's own time, and how many of our rows it has
        const tn = p.reverse ? t - 1 : t + 1;
        const nextRows = sharedRows(bs, tn, rows);
        if (nextRows > 0) {
          // dh_t[0:nextRows] += dGates_next [nextRows, G] x W_hh [G, H]
          be.gemm(false, false, nextRows, H, G, 1, dGates[d]!.subarray(off[tn]! * G), G, p.wHh, H, 1, dht, DH);
        }
        // sequences whose last step (in this direction) is t get no cell gradient from later
        if (nextRows < rows) be.fill(dc[d]!.subarray(nextRows * H, rows * H), 0);
        const tp = p.reverse ? t + 1 : t - 1;
        const prevRows = sharedRows(bs, tp, rows);
        const cPrev = this.prevCell(cells[d]!, off, tp, prevRows, rows, zeros);
        be.lstmCellBackward(
          rows, H, gates[d]!.subarray(off[t]! * G, (off[t]! + rows) * G), cPrev,
          cells[d]!.subarray(off[t]! * H, (off[t]! + rows) * H), dht, DH, dc[d]!,
          dGates[d]!.subarray(off[t]! * G, (off[t]! + rows) * G),
        );
      }
    }
    if (N === 0) return dGates;
    const hPrev = this.scratch.get('hprev', N * H);
    for (let d = 0; d < D; d++) {
      const p = this.dirs[d]!;
      // dW_hh [G, H] += dGates^T [G, N] x h_prev [N, H], h_prev aligned row by row with dGates
      for (let t = 0; t < T; t++) {
        const rows = bs[t]!;
        const tp = p.reverse ? t + 1 : t - 1;
        const prevRows = sharedRows(bs, tp, rows);
        if (prevRows > 0) be.copyRows(prevRows, H, out.subarray(off[tp]! * DH + p.col), DH, hPrev.subarray(off[t]! * H), H);
        if (prevRows < rows) be.fill(hPrev.subarray((off[t]! + prevRows) * H, (off[t]! + rows) * H), 0);
      }
      be.gemm(true, false, G, H, N, 1, dGates[d]!, G, hPrev, H, 1, p.dWHh, H);
    }
    return dGates;
  }

  /** Frees what forward kept for backward (the layer reallocates if used again). */
  releaseSaved(): void {
    this.saved.release();
  }

  /**
   * c_{t-1} in this direction's time for `rows` rows, of which the first prevRows exist
   * (rows past them start a sequence from a zero cell). A view when no padding is needed.
   */
  private prevCell(
    cells: Float32Array, off: Int32Array, tp: number, prevRows: number, rows: number, zeros: Float32Array,
  ): Float32Array {
    const H = this.hiddenSize;
    if (prevRows === 0) return zeros;
    const prev = cells.subarray(off[tp]! * H, (off[tp]! + prevRows) * H);
    if (prevRows === rows) return prev;
    const padded = this.scratch.get('cprev', rows * H);
    this.backend.copy(prev, padded);
    this.backend.fill(padded.subarray(prevRows * H, rows * H), 0);
    return padded;
  }
}
