/**
 * The configuration of a training run, as given to `sayre train --config FILE`: the model,
 * the front end and the training recipe. A file holding only model fields (hiddenSize,
 * numLayers, ...) is read as {"model": <file>}. The model's inputDim and numClasses may
 * be left out: they follow from the front end and the tokenizer. A CRNN ("type": "crnn")
 * reads text-line images: its front end is {"type": "image", "height": <the model's height>}.
 */
import type { BatchingOptions } from '../../data/batching.js';
import type { SpecAugmentOptions } from '../../audio/spec-augment.js';
import { checkFeaturePerturbation, type FeaturePerturbation } from './feature-perturbation.js';
import { checkLinePerturbation, type LinePerturbation } from './line-perturbation.js';
import { type CtcModelConfig, streamingEncoderField } from '../../model/config.js';
import { resolveLatencyControl } from '../../nn/lstm-latency-plan.js';
import type { CrnnModelConfig } from '../../model/crnn-config.js';
import { isImageFrontEnd, resolveImageFrontEnd } from '../../image/line-front-end.js';
import type { RunFrontEnd } from './run-input.js';
import type { TransducerModelConfig } from '../../model/transducer-config.js';
import { resolveFrontEnd, unstreamableFrontEndReason } from '../../audio/front-end.js';
import type { OptimizerConfig } from '../optimizers.js';
import type { LrSchedule } from '../schedule.js';

/** The training recipe. */
export interface TrainingRecipe {
  learningRate: number;
  optimizer: OptimizerConfig;
  schedule: LrSchedule;
  /** Clip the gradient's L2 norm (0: no clipping). */
  clipNorm: number;
  /** Batches: at most this many utterances and padded feature frames. */
  maxBatchSize: number;
  maxFrames: number;
  /**
   * Standard deviation of the weight noise of the second phase (Graves et al.): train
   * without noise until the dev score stops improving, then go back to the best weights
   * and continue with noise. 0: one phase, no noise.
   */
  weightNoise: number;
  /** Epochs without a better dev CER before phase 1 ends. */
  patience: number;
  /** Epochs without a better dev CER (than the best of both phases) before phase 2 ends. */
  noisePatience: number;
  /** Improvements smaller than this (as a fraction: 0.001 is 0.1% CER) do not count. */
  minDelta: number;
  /** Stop after this many epochs whatever the dev score does. */
  maxEpochs: number;
  /** Stop (with a checkpoint) after this many minutes of training, summed over sessions; 0: no limit. */
  maxMinutes: number;
  /** Checkpoint every this many minutes (and at the end of each epoch). */
  checkpointMinutes: number;
  /** SpecAugment on training batches (seeded per batch), or null for none. */
  specAugment: SpecAugmentOptions | null;
  /** Speed and VTLP perturbation of training batches' features (seeded per batch), or null for none. */
  featurePerturbation: FeaturePerturbation | null;
  /** Resolution, stretch and zoom perturbation of training line images (seeded per batch), or null for none. */
  linePerturbation: LinePerturbation | null;
  /** Seed of initialisation, batching, noise and augmentation. */
  seed: number;
}

/** A resolved run configuration. */
export interface RunConfig {
  /** Model fields; inputDim and numClasses are filled in by the run. */
  model: Omit<CtcModelConfig, 'inputDim' | 'numClasses'> & Partial<Pick<CtcModelConfig, 'inputDim' | 'numClasses'>>
    // "type": "rnnt" makes it an RNN Transducer (model/transducer-config.ts) with these extra fields
    & { type?: 'ctc' | 'rnnt' | 'crnn' } & Partial<Pick<TransducerModelConfig, 'predEmbedDim' | 'predHiddenSize' | 'predNumLayers' | 'jointDim'>>
    // "type": "crnn" reads line images with these
    & Partial<Pick<CrnnModelConfig, 'height' | 'blocks'>>;
  frontEnd: RunFrontEnd;
  training: TrainingRecipe;
}

export const DEFAULT_RECIPE: TrainingRecipe = {
  learningRate: 1e-3,
  optimizer: { kind: 'adam' },
  schedule: { kind: 'constant' },
  clipNorm: 5,
  maxBatchSize: 32,
  maxFrames: 16000,
  weightNoise: 0.01,
  patience: 3,
  noisePatience: 3,
  minDelta: 0,
  maxEpochs: 100,
  maxMinutes: 0,
  checkpointMinutes: 10,
  specAugment: null,
  featurePerturbation: null,
  linePerturbation: null,
  seed: 0,
};

const MODEL_KEYS = ['inputDim', 'hiddenSize', 'numLayers', 'numClasses', 'bidirectional', 'frameStack', 'frameStride', 'blank', 'latencyControl',
  'type', 'predEmbedDim', 'predHiddenSize', 'predNumLayers', 'jointDim', 'height', 'blocks'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks a parsed run configuration and fills in defaults; throws naming the bad field. */
export function resolveRunConfig(value: unknown, where = 'run config'): RunConfig {
  if (!isObject(value)) throw new Error(`${where}: expected a JSON object`);
  const v = 'model' in value ? value : { model: value };
  for (const k of Object.keys(v)) if (!['model', 'frontEnd', 'training'].includes(k)) throw new Error(`${where}: unknown field "${k}" (known: model, frontEnd, training)`);
  if (!isObject(v['model'])) throw new Error(`${where}: "model" must be an object`);
  for (const k of Object.keys(v['model'])) if (!MODEL_KEYS.includes(k)) throw new Error(`${where}: unknown model field "${k}" (known: ${MODEL_KEYS.join(', ')})`);
  const model = v['model'] as RunConfig['model'];
  if (model.latencyControl !== undefined) {
    // checked here, not only when the model is built, so that a recipe's mistake shows before any data is read
    try {
      resolveLatencyControl(model.latencyControl, model.bidirectional ?? true);
    } catch (err) {
      throw new Error(`${where}: model: ${(err as Error).message}`);
    }
  }
  const frontEnd = resolveRunFrontEnd(model, v['frontEnd'], `${where}: frontEnd`);
  const t = v['training'] ?? {};
  if (!isObject(t)) throw new Error(`${where}: "training" must be an object`);
  const training: TrainingRecipe = { ...DEFAULT_RECIPE };
  for (const [k, x] of Object.entries(t)) {
    if (!(k in DEFAULT_RECIPE)) throw new Error(`${where}: unknown training field "${k}" (known: ${Object.keys(DEFAULT_RECIPE).join(', ')})`);
    (training as unknown as Record<string, unknown>)[k] = x;
  }
  const num = (k: keyof TrainingRecipe, min: number, integer = false): void => {
    const x = training[k];
    if (typeof x !== 'number' || !Number.isFinite(x) || x < min || (integer && !Number.isInteger(x))) {
      throw new Error(`${where}: training.${k} must be ${integer ? 'an integer' : 'a number'} >= ${min}, got ${JSON.stringify(x)}`);
    }
  };
  num('learningRate', 0); num('clipNorm', 0); num('maxBatchSize', 1, true); num('maxFrames', 1); num('weightNoise', 0);
  num('patience', 1, true); num('noisePatience', 1, true); num('minDelta', 0); num('maxEpochs', 1, true); num('maxMinutes', 0);
  num('checkpointMinutes', 0); num('seed', 0, true);
  if (!isObject(training.optimizer) || (training.optimizer.kind !== 'sgd' && training.optimizer.kind !== 'adam')) throw new Error(`${where}: training.optimizer must be {"kind": "sgd" | "adam", ...}`);
  if (!isObject(training.schedule)) throw new Error(`${where}: training.schedule must be an object such as {"kind": "constant"}`);
  if (training.specAugment !== null && !isObject(training.specAugment)) throw new Error(`${where}: training.specAugment must be an object or null`);
  if (training.featurePerturbation !== null) {
    if (!('fbank' in frontEnd)) throw new Error(`${where}: training.featurePerturbation is for speech models`);
    checkFeaturePerturbation(training.featurePerturbation, frontEnd.fbank, `${where}: training`);
  }
  if (training.linePerturbation !== null) {
    if ('fbank' in frontEnd) throw new Error(`${where}: training.linePerturbation is for text-line models`);
    checkLinePerturbation(training.linePerturbation, `${where}: training`);
  }
  return { model, frontEnd, training };
}

/** A CRNN's image front end at its height; a speech model's filterbank front end. */
function resolveRunFrontEnd(model: RunConfig['model'], value: unknown, where: string): RunFrontEnd {
  if (model.type !== 'crnn') {
    if (isImageFrontEnd(value)) throw new Error(`${where}: an image front end needs a CRNN model ("type": "crnn")`);
    const fe = resolveFrontEnd(value, where);
    // A streaming (unidirectional or latency-controlled) model is trained for live audio: its features must be computable as audio arrives.
    const streaming = streamingEncoderField(model);
    const why = streaming ? unstreamableFrontEndReason(fe) : undefined;
    if (why) throw new Error(`${where}: a streaming model (${streaming}) needs features that can be computed incrementally: ${why}`);
    return fe;
  }
  const height = model.height;
  if (typeof height !== 'number' || !Number.isInteger(height) || height < 1) throw new Error(`${where}: a CRNN model needs "height" (rows of its input images)`);
  if (value === undefined) return { type: 'image', height };
  const fe = resolveImageFrontEnd(value, where);
  if (fe.height !== height) throw new Error(`${where}: height ${fe.height} differs from the model's height ${height}`);
  return fe;
}

/** The batching options of a recipe (what the batch-plan fingerprint covers). */
export function batchingOf(recipe: TrainingRecipe): BatchingOptions {
  return { maxBatchSize: recipe.maxBatchSize, maxFrames: recipe.maxFrames, seed: recipe.seed };
}
