/**
 * Trains the VAD's network (src/audio/vad-net.ts) on labelled frames: features of each
 * example computed as a live stream would (src/audio/vad-features.ts), normalised by the
 * training set's mean and spread, then minibatches of frames in a seeded random order,
 * the logistic loss, Adam with a cosine learning rate. One thread, plain JS: the same seed
 * and data give the same weights bit for bit.
 */
import { VadFeatureStream, type VadFeatureConfig, DEFAULT_VAD_FEATURES } from '../../audio/vad-features.js';
import type { VadModelWeights } from '../../audio/vad-model-weights.js';
import { VadNet, vadNetParamSpecs } from '../../audio/vad-net.js';
import { JsBackend } from '../../backend/js-backend.js';
import { logisticLoss } from '../../losses/logistic.js';
import { Random } from '../../math/random.js';
import { Parameters } from '../../nn/parameters.js';
import { Adam } from '../optimizers.js';
import { learningRate } from '../schedule.js';

/** Audio with a 0/1 label per 10 ms frame (as src/corpus/vad builds it). */
export interface LabelledAudio {
  samples: Float32Array;
  labels: Uint8Array;
  sampleRate: number;
}

/** Options of {@link trainVad}. */
export interface VadTrainOptions {
  /** Seeds the initial weights and the order of the frames. */
  seed: number;
  /** Hidden units (default 16). */
  hidden?: number;
  /** Passes over the frames (default 6). */
  epochs?: number;
  /** Frames per update (default 256). */
  batchFrames?: number;
  /** Peak learning rate (default 0.003), cosine down to a tenth of it. */
  learningRate?: number;
  /** The features (default DEFAULT_VAD_FEATURES). */
  features?: VadFeatureConfig;
  /** Called after each pass with its mean loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Every frame of `examples` as feature rows x [rows, dim] and labels y [rows]. */
export function vadTrainingFrames(examples: readonly LabelledAudio[], features: VadFeatureConfig): { x: Float32Array; y: Float32Array; rows: number; dim: number } {
  const parts = examples.map((e) => {
    const f = new VadFeatureStream(e.sampleRate, features).accept(e.samples);
    if (f.frames !== e.labels.length) throw new Error(`VAD training: ${f.frames} feature frames for ${e.labels.length} labels`);
    return f;
  });
  const dim = parts[0]?.dim ?? 0;
  const rows = parts.reduce((n, p) => n + p.frames, 0);
  const x = new Float32Array(rows * dim);
  const y = new Float32Array(rows);
  let at = 0;
  parts.forEach((p, i) => {
    x.set(p.data, at * dim);
    y.set(examples[i]!.labels, at);
    at += p.frames;
  });
  return { x, y, rows, dim };
}

/** Per-column mean and 1 / standard deviation of x [rows, dim] (float64 sums; a constant column gets scale 1). */
function normalisation(x: Float32Array, rows: number, dim: number): { mean: Float32Array; scale: Float32Array } {
  const sum = new Float64Array(dim), sq = new Float64Array(dim);
  for (let r = 0; r < rows; r++) {
    for (let d = 0; d < dim; d++) {
      const v = x[r * dim + d]!;
      sum[d]! += v;
      sq[d]! += v * v;
    }
  }
  const mean = Float32Array.from(sum, (s) => s / rows);
  const scale = Float32Array.from(sq, (s, d) => {
    const sd = Math.sqrt(Math.max(0, s / rows - mean[d]! * mean[d]!));
    return sd > 1e-6 ? 1 / sd : 1;
  });
  return { mean, scale };
}

/** Trains a VAD on `examples` (threshold 0.5: choose it on held-out data with chooseVadThreshold). */
export function trainVad(examples: readonly LabelledAudio[], options: VadTrainOptions): { weights: VadModelWeights; losses: number[] } {
  const features = options.features ?? DEFAULT_VAD_FEATURES;
  const hidden = options.hidden ?? 16, epochs = options.epochs ?? 6, batch = options.batchFrames ?? 256, lr = options.learningRate ?? 0.003;
  const { x, y, rows, dim } = vadTrainingFrames(examples, features);
  if (rows === 0) throw new Error('VAD training: no frames');
  const { mean, scale } = normalisation(x, rows, dim);
  for (let i = 0; i < x.length; i++) x[i] = (x[i]! - mean[i % dim]!) * scale[i % dim]!;

  const rng = new Random(options.seed);
  const backend = new JsBackend();
  const shape = { inputs: dim, hidden };
  const params = new Parameters(vadNetParamSpecs(shape), backend);
  params.initialize(() => rng.uniform());
  const net = new VadNet(backend, params, shape);
  const adam = new Adam();
  const xb = new Float32Array(batch * dim), yb = new Float32Array(batch), h = new Float32Array(batch * hidden);
  const logits = new Float32Array(batch), dLogits = new Float32Array(batch), dh = new Float32Array(batch * hidden);
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  const steps = epochs * Math.ceil(rows / batch);
  const losses: number[] = [];
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = rows - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let lossSum = 0;
    for (let start = 0; start < rows; start += batch) {
      const n = Math.min(batch, rows - start);
      for (let r = 0; r < n; r++) {
        const src = order[start + r]!;
        xb.set(x.subarray(src * dim, (src + 1) * dim), r * dim);
        yb[r] = y[src]!;
      }
      params.zeroGrad();
      net.forward(n, xb.subarray(0, n * dim), h.subarray(0, n * hidden), logits.subarray(0, n));
      lossSum += n * logisticLoss(logits, yb, dLogits, n);
      net.backward(n, xb.subarray(0, n * dim), h.subarray(0, n * hidden), dLogits.subarray(0, n), dh.subarray(0, n * hidden));
      adam.step(params.data, params.grad, learningRate({ kind: 'cosine', totalSteps: steps, minLr: lr / 10 }, lr, step++));
    }
    losses.push(lossSum / rows);
    options.onEpoch?.(epoch, lossSum / rows);
  }
  const tensors: Record<string, Float32Array> = { 'input.mean': mean, 'input.scale': scale };
  for (const e of params.entries) tensors[e.name] = params.value(e.name).slice();
  return { weights: { features, hidden, threshold: 0.5, tensors }, losses };
}
