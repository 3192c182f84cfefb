import type { Backend } from '../backend/index.js';
import type { LatencyControl } from '../nn/lstm-latency-plan.js';
import { LstmStack, type LstmStackConfig, lstmStackParamSpecs } from '../nn/lstm-stack.js';
import { type PackedLayout, pack, packedLayout } from '../nn/packing.js';
import type { Parameters, ParamSpec } from '../nn/parameters.js';
import { Workspace } from '../nn/workspace.js';
import { stackFramesForward, stackedLength } from './frame-stacking.js';

/** The acoustic encoder's shape: frame stacking, then a (Bi)LSTM stack, latency-controlled or not. */
export interface AcousticEncoderConfig {
  inputDim: number;
  hiddenSize: number;
  numLayers: number;
  bidirectional: boolean;
  frameStack: number;
  frameStride: number;
  latencyControl?: LatencyControl | undefined;
}

/** The LSTM stack of an encoder config (latency control counts the stacked frames it reads). */
export function encoderLstmConfig(c: AcousticEncoderConfig): LstmStackConfig {
  return {
    inputSize: c.inputDim * c.frameStack, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional,
    ...(c.latencyControl ? { latencyControl: c.latencyControl } : {}),
  };
}

/** The encoder's parameters, named `<prefix>weight_ih_l0`, ... (torch.nn.LSTM's names, latency control or not). */
export function acousticEncoderParamSpecs(prefix: string, c: AcousticEncoderConfig): ParamSpec[] {
  return lstmStackParamSpecs(prefix, encoderLstmConfig(c));
}

/**
 * The acoustic encoder that the RNN-T model shares with the CTC model's design: padded
 * frames [T, B, inputDim] -> (stacking / subsampling) -> packed rows -> (Bi)LSTM stack ->
 * packed hidden rows [N, D*H] (see packing.ts for the row order).
 */
export class AcousticEncoder {
  readonly lstm: LstmStack;
  private readonly scratch: Workspace;

  constructor(backend: Backend, params: Parameters, prefix: string, readonly config: AcousticEncoderConfig) {
    this.lstm = new LstmStack(backend, params, prefix, encoderLstmConfig(config));
    this.scratch = new Workspace(backend);
  }

  /** D*H: columns of the hidden rows. */
  get outputSize(): number {
    return this.lstm.outputSize;
  }

  /** Output frames for inputs of the given lengths. */
  outputLengths(lengths: ArrayLike<number>): Int32Array {
    return Int32Array.from(lengths, (L) => stackedLength(L, this.config.frameStride));
  }

  /**
   * x [T, B, inputDim] -> the layout of the T' = ceil(T / frameStride) output frames and
   * the hidden rows [layout.total, D*H] (an encoder-owned buffer, valid until the next call).
   * Throws, naming `who`, on a shape mismatch or a non-finite input.
   */
  forward(
    x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>, train: boolean, who: string,
  ): { layout: PackedLayout; hidden: Float32Array; frames: number } {
    const [T, B, F] = shape;
    const c = this.config;
    if (F !== c.inputDim) throw new Error(`${who}: input has ${F} features per frame, the model expects ${c.inputDim}`);
    if (x.length !== T * B * F) throw new Error(`${who}: x has ${x.length} values, shape [${T}, ${B}, ${F}] needs ${T * B * F}`);
    if (lengths.length !== B) throw new Error(`${who}: ${lengths.length} lengths for a batch of ${B}`);
    for (let i = 0; i < x.length; i++) {
      if (!Number.isFinite(x[i]!)) {
        const f = i % F, b = Math.floor(i / F) % B, t = Math.floor(i / (F * B));
        throw new Error(`${who}: input is not finite at [t=${t}, b=${b}, f=${f}]: ${x[i]}`);
      }
    }
    let frames = x, T2 = T, lens: ArrayLike<number> = lengths;
    const F2 = F * c.frameStack;
    if (c.frameStack > 1 || c.frameStride > 1) {
      T2 = stackedLength(T, c.frameStride);
      frames = this.scratch.get('stacked', T2 * B * F2);
      packedLayout(T, lengths); // validates the lengths against T
      stackFramesForward(x, T, B, F, lengths, c.frameStack, c.frameStride, frames);
      lens = this.outputLengths(lengths);
    }
    const layout = packedLayout(T2, lens);
    const xp = this.scratch.get(train ? 'xpacked-train' : 'xpacked', layout.total * F2);
    pack(layout, F2, frames, xp);
    this.lstm.backend.upload(xp); // the one write of a step to a device backend
    return { layout, hidden: this.lstm.forwardPacked(layout, xp, train), frames: T2 };
  }

  /** Backward of the last training forward from d loss / d hidden rows (consumed); accumulates parameter gradients. */
  backward(dHidden: Float32Array): void {
    this.lstm.backwardPacked(dHidden, false);
  }

  /** Frees the encoder's buffers (not the parameters). */
  release(): void {
    this.lstm.releaseBuffers();
    this.scratch.release();
  }
}
