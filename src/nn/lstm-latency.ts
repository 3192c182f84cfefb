import type { Backend } from '../backend/index.js';
import { type ChunkPlan, type LatencyControl, chunkPlan } from './lstm-latency-plan.js';
import { inputsBackward, LstmLayer, projectInputs, type RecurrentLayer } from './lstm.js';
import type { PackedLayout } from './packing.js';
import type { Parameters } from './parameters.js';
import { Workspace } from './workspace.js';

/**
 * A latency-controlled bidirectional LSTM layer: the forward direction runs over the whole
 * sequence as in {@link LstmLayer}; the reverse direction runs separately over each chunk
 * of C frames, starting from the zero state at the last of the R frames that follow the
 * chunk (or at the sequence's end) and keeping the outputs of the chunk's own frames only.
 * So the layer's output at frame t depends on no input later than the end of t's chunk
 * plus R frames, and a stream computes it exactly (model/encoder-stream.ts). With C >= T
 * it is an ordinary bidirectional layer.
 *
 * The parameters are the bidirectional layer's (weight_ih_l{k}, weight_ih_l{k}_reverse,
 * ...), so weights move between this layer, {@link LstmLayer} and PyTorch unchanged. No
 * recurrence of its own: the reverse direction projects every frame's input once, then
 * runs the packed LSTM's recurrence over the chunks' windows gathered into a batch of
 * short sequences (lstm-latency-plan.ts), its outputs and gradients scattered back; a
 * frame's projection gradient sums those of the windows that read it.
 *
 * Shapes: N = the layer's packed rows, M = the windows' rows (about N (C + R) / C).
 */
export class LatencyControlledLstmLayer implements RecurrentLayer {
  readonly outputSize: number;
  private readonly forwardDir: LstmLayer;
  private readonly reverseDir: LstmLayer;
  private readonly saved: Workspace;
  /** What the last training forward kept: its plan, forward outputs [N, H] and reverse outputs [M, H]. */
  private last: { plan: ChunkPlan; fwd: Float32Array; rev: Float32Array } | undefined;

  constructor(
    readonly backend: Backend, params: Parameters, prefix: string, readonly layer: number,
    readonly inputSize: number, readonly hiddenSize: number, readonly latency: LatencyControl,
    /** Scratch shared with other layers (nothing in it outlives a call). */
    private readonly scratch: Workspace = new Workspace(backend),
  ) {
    this.outputSize = 2 * hiddenSize;
    this.saved = new Workspace(backend);
    this.forwardDir = new LstmLayer(backend, params, prefix, layer, inputSize, hiddenSize, 'forward', scratch);
    this.reverseDir = new LstmLayer(backend, params, prefix, layer, inputSize, hiddenSize, 'reverse', scratch);
  }

  /** x [N, in] -> out [N, 2H] (forward direction's h, then the reverse's); `train` as in {@link LstmLayer.forward}. */
  forward(layout: PackedLayout, x: Float32Array, out: Float32Array, train: boolean): void {
    const plan = chunkPlan(layout, this.latency);
    const N = layout.total, M = plan.layout.total, H = this.hiddenSize, In = this.inputSize, be = this.backend;
    const buffer = (key: string, length: number): Float32Array => (train ? this.saved.get(key, length) : this.scratch.get(`lc-${key}`, length));
    const fwd = buffer('fwd', N * H), rev = buffer('rev', M * H);
    this.forwardDir.forward(layout, x, fwd, train);
    // each frame's reverse input projection once; every window reading the frame gets a copy
    const projected = this.scratch.get('lc-gates', N * 4 * H);
    projectInputs(be, N, In, x, this.reverseDir.inputParams(0), projected, this.scratch.get('bias', 4 * H));
    const gates = this.reverseDir.gateBuffer(0, M, train);
    be.gatherRows(4 * H, projected, plan.gather, gates);
    this.reverseDir.forwardSteps(plan.layout, [gates], rev, train);
    be.copyRows(N, H, fwd, H, out, 2 * H);
    // each frame's reverse output is the one of its own chunk's window
    const own = this.scratch.get('lc-rows', N * H);
    be.gatherRows(H, rev, plan.own, own);
    be.copyRows(N, H, own, H, out.subarray(H), 2 * H);
    if (train) this.last = { plan, fwd, rev };
  }

  /**
   * Backward of the last training forward (same layout and x; `out` is not read: the layer
   * kept its own). dOut [N, 2H] is left unchanged. Parameter gradients are accumulated;
   * dx [N, in] is overwritten, or skipped when null.
   */
  backward(layout: PackedLayout, x: Float32Array, _out: Float32Array, dOut: Float32Array, dx: Float32Array | null): void {
    const last = this.last;
    if (!last) throw new Error('LatencyControlledLstmLayer.backward: no training forward pass to go back through');
    const { plan, fwd, rev } = last;
    const N = layout.total, H = this.hiddenSize, G = 4 * H, In = this.inputSize, be = this.backend;
    const dFwd = this.scratch.get('lc-dfwd', N * H);
    be.copyRows(N, H, dOut, 2 * H, dFwd, H);
    const dRows = this.scratch.get('lc-rows', N * H);
    be.copyRows(N, H, dOut.subarray(H), 2 * H, dRows, H);
    // the right-context rows of a window feed only its recurrence: no gradient from the output there
    const dRev = this.scratch.get('lc-drev', plan.layout.total * H);
    be.gatherRows(H, dRows, plan.ownOf, dRev);
    this.forwardDir.backward(layout, x, fwd, dFwd, dx);
    const [dGatesWin] = this.reverseDir.backwardSteps(plan.layout, rev, dRev);
    // a frame is read by its own chunk's window and by up to ceil(R / C) windows before it
    const dGates = this.scratch.get('lc-dgates', N * G), part = this.scratch.get('lc-dgpart', N * G);
    plan.passes.forEach((pass, i) => {
      be.gatherRows(G, dGatesWin!, pass, i === 0 ? dGates : part);
      if (i > 0) be.axpy(1, part, dGates);
    });
    if (N > 0) inputsBackward(be, this.scratch, N, In, dGates, x, this.reverseDir.inputParams(0), dx, true);
  }

  /** Frees what forward kept for backward (the layer reallocates if used again). */
  releaseSaved(): void {
    this.forwardDir.releaseSaved();
    this.reverseDir.releaseSaved();
    this.saved.release();
    this.last = undefined;
  }
}
