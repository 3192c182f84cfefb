/**
 * `sayre export --onnx`: a model's ONNX files in one folder. A CTC model becomes
 * model.onnx (features in) and, given its front end, model-from-samples.onnx (samples in);
 * an RNN-T model becomes encoder.onnx, decoder.onnx and joiner.onnx (the file
 * layout of sherpa-onnx's transducers). tokens.txt lists the labels ("symbol id" per line,
 * sherpa-onnx's form; the space is written as "▁").
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/atomic-write.js';
import type { CtcModel } from '../ctc-model.js';
import { modelKind } from '../model-kind.js';
import type { RnntModel } from '../transducer-model.js';
import { type OnnxFrontEnd, ctcOnnxModel, ctcOnnxModelFromSamples } from './ctc-onnx.js';
import { encodeOnnxModel } from './onnx-proto.js';
import { rnntOnnxModels } from './rnnt-onnx.js';

/** Options of {@link exportOnnx}. */
export interface OnnxExportOptions {
  /** Label strings by id (blank first); written as tokens.txt where given. */
  tokens?: readonly string[];
  /** Written into every file's metadata_props (e.g. the front end's settings as JSON). */
  metadata?: Record<string, string>;
  /** The producer_version field (sayre's version). */
  producerVersion?: string;
  /** CTC models: the front end and CMVN, for model-from-samples.onnx (the front end inside). */
  frontEnd?: OnnxFrontEnd;
}

type OnnxFiles = [string, Uint8Array | string][];

/**
 * The ONNX files of each model kind that exports (by the model config's kind: exportOnnx's
 * model is of the kind its config names).
 */
const onnxExporters: Record<'ctc' | 'rnnt', (model: CtcModel | RnntModel, version: string, options: OnnxExportOptions) => OnnxFiles> = {
  ctc: (model, version, options) => {
    const ctc = model as CtcModel;
    const files: OnnxFiles = [['model.onnx', encodeOnnxModel(ctcOnnxModel(ctc, version, options.metadata))]];
    // The graph's filterbank has no sliding-window or per-utterance CMVN: such a model exports features-in graphs only.
    if (options.frontEnd && !options.frontEnd.slidingCmvn && !options.frontEnd.utteranceCmvn) files.push(['model-from-samples.onnx', encodeOnnxModel(ctcOnnxModelFromSamples(ctc, options.frontEnd, version, options.metadata))]);
    return files;
  },
  rnnt: (model, version, options) =>
    Object.entries(rnntOnnxModels(model as RnntModel, version, options.metadata)).map(([part, m]): [string, Uint8Array] => [`${part}.onnx`, encodeOnnxModel(m)]),
};

/** Writes the ONNX files of `model` into `dir` (each atomically); returns the paths written. */
export function exportOnnx(model: CtcModel | RnntModel, dir: string, options: OnnxExportOptions = {}): string[] {
  const version = options.producerVersion ?? '0';
  const files = onnxExporters[modelKind(model.config) === 'rnnt' ? 'rnnt' : 'ctc'](model, version, options);
  if (options.tokens) files.push(['tokens.txt', options.tokens.map((t, i) => `${t === ' ' ? '\u2581' : t} ${i}\n`).join('')]);
  return files.map(([name, data]) => {
    const path = join(dir, name);
    writeFileAtomic(path, data);
    return path;
  });
}
