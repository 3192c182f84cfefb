/**
 * What a training run does differently for each model kind, in one table: its loss, its
 * dev-set scores, what it saves as the model directory, and how a new run's encoder may
 * start from a CTC checkpoint. A new model kind adds one entry here.
 */
import type { Cmvn } from '../../audio/cmvn.js';
import type { FrontEndConfig } from '../../audio/front-end.js';
import type { CharTokenizer } from '../../data/char-tokenizer.js';
import type { CrnnModel } from '../../model/crnn-model.js';
import type { CtcModel } from '../../model/ctc-model.js';
import { saveLineModelDir } from '../../model/io/line-model-dir.js';
import { saveModelDir } from '../../model/io/model-dir.js';
import type { ModelKind } from '../../model/model-kind.js';
import type { LossFunction } from '../../model/trainable.js';
import type { RnntModel } from '../../model/transducer-model.js';
import type { Features } from '../../util/features.js';
import type { FeatureSet } from '../../util/feature-set.js';
import { ctcObjective } from '../ctc-objective.js';
import { initEncoderFromCtcCheckpoint } from '../transducer-checkpoint.js';
import { type DevScores, evaluateDev } from './evaluate.js';
import { evaluateTransducer } from './evaluate-transducer.js';

/** Any model a run trains. */
export type RunModel = CtcModel | RnntModel | CrnnModel;

/** A dev set: features, label sequences and texts. */
export interface DevSet {
  feats: readonly Features[] | FeatureSet;
  targets: readonly Int32Array[];
  texts: readonly string[];
}

/** What the model directory is written from besides the model. */
export interface SaveParts {
  tokenizer: CharTokenizer;
  frontEnd: FrontEndConfig;
  cmvn: Cmvn | null;
  info: Record<string, unknown>;
}

/** One model kind's part of a training run. */
export interface RunKind<M extends RunModel> {
  /** The training loss; undefined: the model's own objective (the Trainer's default). */
  loss(tokenizer: CharTokenizer): LossFunction | undefined;
  /** Dev loss and greedy CER/WER at the current weights. */
  evaluate(model: M, dev: DevSet, tokenizer: CharTokenizer, maxFrames: number): DevScores | Promise<DevScores>;
  /** What the model card says of the training set (`amount`: seconds of audio or image count). */
  trainInfo(items: number, amount: number): Record<string, unknown>;
  /** Writes the model directory. */
  save(dir: string, model: M, parts: SaveParts): void;
  /** Starts a new model's encoder from a CTC checkpoint; absent where the kind cannot. */
  initEncoder?(model: M, checkpoint: string): void;
}

/** CTC with infinite losses (impossible alignments) zeroed, as a run trains on every batch; it has a device form. */
const ctcTraining = (tokenizer: CharTokenizer): LossFunction => ctcObjective({ blank: tokenizer.blank, zeroInfinity: true });

const speechInfo = (items: number, seconds: number): Record<string, unknown> => ({ trainUtterances: items, trainHours: Number((seconds / 3600).toFixed(3)) });

const saveSpeech = (dir: string, model: CtcModel | RnntModel, p: SaveParts): void => {
  saveModelDir(dir, { model, tokenizer: p.tokenizer, frontEnd: p.frontEnd, cmvn: p.cmvn!, info: p.info });
};

const kinds: { ctc: RunKind<CtcModel>; rnnt: RunKind<RnntModel>; crnn: RunKind<CrnnModel> } = {
  ctc: {
    loss: ctcTraining,
    evaluate: (model, d, tokenizer, maxFrames) => evaluateDev(model, d.feats, d.targets, d.texts, tokenizer, maxFrames),
    trainInfo: speechInfo,
    save: saveSpeech,
  },
  rnnt: {
    loss: () => undefined,
    evaluate: (model, d, tokenizer, maxFrames) => evaluateTransducer(model, d.feats, d.targets, d.texts, tokenizer, maxFrames),
    trainInfo: speechInfo,
    save: saveSpeech,
    initEncoder: initEncoderFromCtcCheckpoint,
  },
  crnn: {
    loss: ctcTraining,
    evaluate: (model, d, tokenizer, maxFrames) => evaluateDev(model, d.feats, d.targets, d.texts, tokenizer, maxFrames),
    trainInfo: (items) => ({ trainImages: items }),
    save: (dir, model, p) => saveLineModelDir(dir, { model, tokenizer: p.tokenizer, info: p.info }),
  },
};

/**
 * The run's part for models of `kind`. The run makes its model from a config of this kind
 * (createModel), so the model it passes in is of this kind.
 */
export function runKind(kind: ModelKind): RunKind<RunModel> {
  return kinds[kind] as RunKind<RunModel>;
}
