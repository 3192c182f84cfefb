/** RNN-T checkpoints (the sayre checkpoint format with an RNN-T config) and CTC-encoder initialisation. */
import type { Backend } from '../backend/index.js';
import { type LoadedCheckpoint, loadCheckpoint, restoreCheckpoint } from './checkpoint.js';
import { checkpointMetadata } from '../model/io/checkpoint.js';
import { readSafetensors } from '../model/io/safetensors.js';
import type { Parameters } from '../nn/parameters.js';
import { resolveTransducerModelConfig } from '../model/transducer-config.js';
import { RnntModel } from '../model/transducer-model.js';

/**
 * Reads a checkpoint that saveCheckpoint / Trainer.save wrote for an {@link RnntModel}:
 * weights exactly as saved, plus any optimiser, trainer and early-stopping state
 * (`Trainer.fromCheckpoint(ck, path, undefined)` resumes with the model's objective).
 */
export function loadTransducerCheckpoint(path: string, options: { backend?: Backend } = {}): LoadedCheckpoint<RnntModel> {
  const file = readSafetensors(path);
  const config = resolveTransducerModelConfig(checkpointMetadata(file, path, 'config'));
  return restoreCheckpoint(file, path, new RnntModel(config, options.backend ? { backend: options.backend } : {}));
}

/** The encoder fields that must agree between a CTC model and an RNN-T model sharing an encoder. */
const ENCODER_FIELDS = ['inputDim', 'hiddenSize', 'numLayers', 'bidirectional', 'frameStack', 'frameStride'] as const;

/**
 * Initialises an RNN-T model's acoustic encoder from a CTC-trained model (Graves, Mohamed &
 * Hinton 2013 pretrain the transducer's encoder with CTC): copies every `lstm.*` parameter.
 * Throws when the two encoders differ in shape. Returns how many values were copied.
 */
export function initEncoderFromCtc(
  model: RnntModel, ctc: { readonly params: Parameters; readonly config: Readonly<Record<(typeof ENCODER_FIELDS)[number], unknown>> },
): number {
  for (const k of ENCODER_FIELDS) {
    const want = model.config[k], got = ctc.config[k] ?? (k === 'bidirectional' ? true : k.startsWith('frame') ? 1 : undefined);
    if (got !== want) throw new Error(`initEncoderFromCtc: the CTC model's ${k} is ${JSON.stringify(got)}, the RNN-T encoder's ${JSON.stringify(want)}`);
  }
  let copied = 0;
  for (const e of model.params.entries) {
    if (!e.name.startsWith('lstm.')) continue;
    const src = ctc.params.value(e.name);
    if (src.length !== e.size) throw new Error(`initEncoderFromCtc: ${e.name} has ${src.length} values in the CTC model, ${e.size} here`);
    model.params.value(e.name).set(src);
    copied += e.size;
  }
  model.params.upload();
  return copied;
}

/** {@link initEncoderFromCtc} from a CTC checkpoint file (Trainer.save or a model directory's model.safetensors). */
export function initEncoderFromCtcCheckpoint(model: RnntModel, path: string): number {
  const ctc = loadCheckpoint(path, { backend: model.backend }).model;
  try {
    return initEncoderFromCtc(model, ctc);
  } finally {
    ctc.dispose();
  }
}
