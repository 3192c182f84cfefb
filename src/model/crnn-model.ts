import type { Backend } from '../backend/index.js';
import type { CtcOutput, DecodableModel } from '../decode/acoustic-output.js';
import { getBackend } from '../backend/index.js';
import { Random } from '../math/random.js';
import { type Conv2dGeometry, conv2dBackward, conv2dForward, conv2dParamSpecs } from '../nn/conv2d.js';
import { Linear, linearParamSpecs } from '../nn/linear.js';
import { LstmStack, lstmStackParamSpecs } from '../nn/lstm-stack.js';
import { maxPool2dBackward, maxPool2dForward, maxPool2dOutputShape } from '../nn/max-pool2d.js';
import { type PackedLayout, packedLayout } from '../nn/packing.js';
import { Parameters, type ParamSpec } from '../nn/parameters.js';
import { reluBackward, reluForward } from '../nn/relu.js';
import { Workspace } from '../nn/workspace.js';
import type { CtcModelOutput } from './ctc-model.js';
import { packedOutputHeadBackward, packedOutputHeadForward } from './packed-output-head.js';
import { type CrnnModelConfig, type ResolvedCrnnModelConfig, crnnReduction, resolveCrnnModelConfig } from './crnn-config.js';

/** One block's sizes for one batch: input [B, C, H, W] with per-sample widths. */
interface BlockPass {
  geometry: Conv2dGeometry;
  pool: { kernelH: number; kernelW: number } | null;
  C: number; H: number; W: number; widths: Int32Array;
  /** After the pool (or the conv when there is none). */
  Ho: number; Wo: number; outWidths: Int32Array;
  x: Float32Array; act: Float32Array; out: Float32Array;
}

/**
 * A CRNN for text-line images: convolution blocks (conv, ReLU, max-pool) turn an image
 * into a sequence of column features, then (Bi)LSTM layers and a Linear layer give CTC
 * logits. It takes the same padded time-major batches as {@link CtcModel}: an image of
 * `height` rows and W columns is W frames of `height` values (image/line-image.ts), so
 * trainers, losses and decoders work on it unchanged. Parameters (one {@link Parameters})
 * are named as a PyTorch module with `conv = nn.ModuleList([nn.Conv2d ...])`, `lstm` and
 * `fc` would name them: `conv.0.weight`, ..., `lstm.weight_ih_l0`, ..., `fc.bias`.
 */
export class CrnnModel implements DecodableModel {
  /** What the decoders get from {@link CrnnModel.decodable}. */
  readonly outputKind = 'ctc' as const;
  readonly config: ResolvedCrnnModelConfig;
  readonly params: Parameters;
  readonly lstm: LstmStack;
  readonly fc: Linear;
  /** Values per column feature fed to the LSTM: last channels x last rows. */
  readonly featureSize: number;
  private readonly saved: Workspace;
  private readonly scratch: Workspace;
  private last: { blocks: BlockPass[]; layout: PackedLayout; hidden: Float32Array; shape: [number, number, number] } | undefined;

  /** Builds the model with weights drawn from `seed`. */
  constructor(config: CrnnModelConfig, options: { backend?: Backend; seed?: number } = {}) {
    this.config = resolveCrnnModelConfig(config);
    const backend = options.backend ?? getBackend();
    this.params = new Parameters(CrnnModel.paramSpecs(this.config), backend);
    const rng = new Random(options.seed ?? 0);
    this.params.initialize(() => rng.uniform());
    const c = this.config;
    this.featureSize = c.blocks[c.blocks.length - 1]!.channels * crnnReduction(c).rows;
    this.lstm = new LstmStack(backend, this.params, 'lstm.', { inputSize: this.featureSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional });
    this.fc = new Linear(backend, this.params, 'fc.', this.lstm.outputSize, c.numClasses);
    this.saved = new Workspace(backend);
    this.scratch = new Workspace(backend);
  }

  /**
   * The parameters a model with `config` has, in storage order. Convolution weights use
   * He's uniform bound sqrt(6 / fan_in) (they feed ReLUs); the rest PyTorch's defaults.
   */
  static paramSpecs(config: CrnnModelConfig): ParamSpec[] {
    const c = resolveCrnnModelConfig(config);
    const specs: ParamSpec[] = [];
    let C = 1;
    c.blocks.forEach((b, i) => {
      const [w, bias] = conv2dParamSpecs(`conv.${i}.`, convGeometry(C, b.channels, b.kernel));
      specs.push({ ...w!, initBound: Math.sqrt(6 / (C * b.kernel * b.kernel)) }, bias!);
      C = b.channels;
    });
    const features = C * crnnReduction(c).rows, D = c.bidirectional ? 2 : 1;
    specs.push(
      ...lstmStackParamSpecs('lstm.', { inputSize: features, hiddenSize: c.hiddenSize, numLayers: c.numLayers, bidirectional: c.bidirectional }),
      ...linearParamSpecs('fc.', D * c.hiddenSize, c.numClasses),
    );
    return specs;
  }

  get backend(): Backend {
    return this.lstm.backend;
  }

  /** Output frames for images of the given widths (each pool divides, rounding down). */
  outputLengths(widths: ArrayLike<number>): Int32Array {
    return Int32Array.from(widths, (w) => {
      for (const b of this.config.blocks) if (b.pool) w = Math.floor(w / b.pool[1]);
      return w;
    });
  }

  /**
   * x [W, B, height] (column frames) with widths[b] real columns -> logits [W', B, numClasses]
   * (zero at padded frames). With `train` (default), keeps what {@link CrnnModel.backward}
   * needs; without, leaves what the last training forward kept untouched.
   */
  forward(x: Float32Array, shape: readonly [number, number, number], widths: ArrayLike<number>, train = true): CtcModelOutput {
    const [W, B, H] = shape;
    const c = this.config;
    if (H !== c.height) throw new Error(`CrnnModel.forward: input has ${H} rows per column, the model expects ${c.height}`);
    if (x.length !== W * B * H) throw new Error(`CrnnModel.forward: x has ${x.length} values, shape [${W}, ${B}, ${H}] needs ${W * B * H}`);
    if (widths.length !== B) throw new Error(`CrnnModel.forward: ${widths.length} widths for a batch of ${B}`);
    packedLayout(W, widths); // validates the widths against W
    const ws = train ? this.saved : this.scratch;
    // Column frames [W, B, H] -> image [B, 1, H, W].
    let input = ws.get('image', B * H * W);
    for (let w = 0; w < W; w++) {
      for (let b = 0; b < B; b++) {
        const src = (w * B + b) * H;
        for (let h = 0; h < H; h++) {
          const v = x[src + h]!;
          if (!Number.isFinite(v)) throw new Error(`CrnnModel.forward: input is not finite at [column ${w}, b=${b}, row ${h}]: ${v}`);
          input[(b * H + h) * W + w] = v;
        }
      }
    }
    this.backend.upload(input); // the one write of a step to a device backend
    let C = 1, Hc = H, Wc = W, wc: Int32Array = Int32Array.from(widths);
    const blocks: BlockPass[] = [];
    c.blocks.forEach((blk, i) => {
      const geometry = convGeometry(C, blk.channels, blk.kernel);
      const shapeIn = { B, H: Hc, W: Wc, widths: wc };
      const act = ws.get(`act${i}`, B * blk.channels * Hc * Wc);
      conv2dForward(this.backend, this.scratch, geometry, shapeIn, input, this.params.value(`conv.${i}.weight`), this.params.value(`conv.${i}.bias`), act);
      reluForward(this.backend, act.length, act, act);
      let out = act, Ho = Hc, Wo = Wc, outWidths = wc;
      const pool = blk.pool ? { kernelH: blk.pool[0], kernelW: blk.pool[1] } : null;
      if (pool) {
        const s = maxPool2dOutputShape(pool, { ...shapeIn, widths: wc });
        ({ Ho, Wo } = s);
        outWidths = s.widths;
        out = ws.get(`pool${i}`, B * blk.channels * Ho * Wo);
        maxPool2dForward(this.backend, pool, shapeIn, blk.channels, act, out);
      }
      blocks.push({ geometry, pool, C, H: Hc, W: Wc, widths: wc, Ho, Wo, outWidths, x: input, act, out });
      input = out;
      C = blk.channels; Hc = Ho; Wc = Wo; wc = outWidths;
    });
    // Feature map [B, C*H', W'] -> column features [B, W', C*H'] -> packed rows.
    const F = this.featureSize;
    const frames = this.scratch.get('frames', B * Wc * F);
    this.backend.transposeBatch(B, F, Wc, input, frames);
    const layout = packedLayout(Wc, wc);
    const xp = ws.get('xpacked', layout.total * F);
    this.backend.gatherRows(F, frames, columnRows(layout, false), xp);
    const hidden = this.lstm.forwardPacked(layout, xp, train);
    const logits = packedOutputHeadForward(this.fc, this.scratch, layout, hidden, Wc);
    const outShape: [number, number, number] = [Wc, B, c.numClasses];
    if (train) this.last = { blocks, layout, hidden, shape: outShape };
    return { logits, shape: outShape, lengths: Int32Array.from(layout.lengths) };
  }

  /** Inference: {@link CrnnModel.forward} without keeping anything for backward. */
  infer(x: Float32Array, shape: readonly [number, number, number], widths: ArrayLike<number>): CtcModelOutput {
    return this.forward(x, shape, widths, false);
  }

  /** The output of a padded batch as the decoders read it (CTC scores). */
  decodable(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): CtcOutput {
    const y = this.infer(x, shape, lengths);
    return { kind: 'ctc', logits: y.logits, shape: y.shape, lengths: y.lengths };
  }

  /**
   * Backward from d loss / d logits [W', B, numClasses] of the last training forward;
   * accumulates into params.grad (call params.zeroGrad() first). Padded frames are ignored.
   */
  backward(dLogits: Float32Array): void {
    const last = this.last;
    if (!last) throw new Error('CrnnModel.backward: no training forward pass to go back through');
    const [Wc, B, K] = last.shape;
    if (dLogits.length !== Wc * B * K) throw new Error(`CrnnModel.backward: dLogits has ${dLogits.length} values, expected ${Wc * B * K}`);
    const { layout } = last, F = this.featureSize;
    const dHidden = packedOutputHeadBackward(this.fc, this.scratch, layout, last.hidden, dLogits);
    const dxp = this.lstm.backwardPacked(dHidden, true)!;
    const dFrames = this.scratch.get('dframes', B * Wc * F);
    this.backend.gatherRows(F, dxp, columnRows(layout, true), dFrames);
    const top = last.blocks[last.blocks.length - 1]!;
    // Map gradients alternate between two buffers: a block reads one and writes the other.
    let dKey = 'dmapA';
    let dOut = this.scratch.get(dKey, top.out.length);
    this.backend.transposeBatch(B, Wc, F, dFrames, dOut);
    for (let i = last.blocks.length - 1; i >= 0; i--) {
      const p = last.blocks[i]!;
      let dAct = dOut;
      if (p.pool) {
        dAct = this.scratch.get('dact', p.act.length);
        maxPool2dBackward(this.backend, p.pool, { B, H: p.H, W: p.W, widths: p.widths }, p.geometry.outChannels, p.act, dOut, dAct);
      }
      reluBackward(this.backend, p.act.length, p.act, dAct, dAct);
      dKey = dKey === 'dmapA' ? 'dmapB' : 'dmapA';
      const dx = i > 0 ? this.scratch.get(dKey, p.x.length) : null;
      conv2dBackward(this.backend, this.scratch, p.geometry, { B, H: p.H, W: p.W, widths: p.widths }, p.x, this.params.value(`conv.${i}.weight`), dAct,
        this.params.gradient(`conv.${i}.weight`), this.params.gradient(`conv.${i}.bias`), dx);
      if (dx) dOut = dx;
    }
  }

  /** Gives every buffer (activations, scratch, parameters) back to the backend; unusable afterwards. */
  dispose(): void {
    this.lstm.releaseBuffers();
    this.saved.release();
    this.scratch.release();
    this.params.dispose();
    this.last = undefined;
  }
}

/** A k x k convolution from C to O channels with 'same' zero padding. */
function convGeometry(C: number, O: number, k: number): Conv2dGeometry {
  return { inChannels: C, outChannels: O, kernelH: k, kernelW: k, padH: k >> 1, padW: k >> 1 };
}

/**
 * Gather tables between column frames [B, W, F] (row b * W + t: frame t of sample b) and
 * the packed rows of `layout` (packing.ts). `unpack` false: packed row i comes from frame
 * row index[i]; true: frame row j comes from packed row index[j], or zeros (-1) past the
 * sample's length.
 */
function columnRows(layout: PackedLayout, unpack: boolean): Int32Array {
  const { T, B, order, batchSizes, offsets } = layout;
  const index = new Int32Array(unpack ? B * T : layout.total).fill(-1);
  for (let t = 0; t < T; t++) {
    for (let r = 0; r < batchSizes[t]!; r++) {
      const frame = order[r]! * T + t, packed = offsets[t]! + r;
      if (unpack) index[frame] = packed;
      else index[packed] = frame;
    }
  }
  return index;
}
