/**
 * Text-line model directories: the same two files as a speech model's (model-dir.ts), with
 * a CRNN config and the image front end in config.json, and no CMVN statistics:
 *
 *   config.json        {"format": "sayre.ctc-model/1", "model": CrnnModelConfig,
 *                       "tokenizer": CharTokenizerJson, "frontEnd": {"type": "image", "height": H},
 *                       "lm": ModelLmConfig (optional: its default LM, model-lm.ts),
 *                       "info": {...how it was trained}}
 *   model.safetensors  the weights (a sayre checkpoint without optimiser state)
 *   lm.arpa.gz         the default LM, when config.json names one
 */
import { join } from 'node:path';
import type { Backend } from '../../backend/index.js';
import { CharTokenizer, type CharTokenizerJson } from '../../data/char-tokenizer.js';
import { type ImageFrontEndConfig, resolveImageFrontEnd } from '../../image/line-front-end.js';
import { isCrnnConfig, resolveCrnnModelConfig, type ResolvedCrnnModelConfig } from '../crnn-config.js';
import { CrnnModel } from '../crnn-model.js';
import { loadModelWeights, modelFromCheckpoint } from '../model-kind.js';
import { parseSafetensors } from './safetensors.js';
import { naming } from '../../util/naming.js';
import { type ModelLm, type ModelLmConfig, modelLm } from './model-lm.js';
import { MODEL_FORMAT, parseModelDirConfig, readModelDirConfig, writeModelDir } from './model-dir.js';

/** config.json of a text-line model directory. */
export interface LineModelDirConfig {
  format: typeof MODEL_FORMAT;
  model: ResolvedCrnnModelConfig;
  tokenizer: CharTokenizerJson;
  frontEnd: ImageFrontEndConfig;
  lm?: ModelLmConfig;
  info?: Record<string, unknown>;
}

/** A text-line model directory read back. */
export interface LoadedLineModel {
  dir: string;
  model: CrnnModel;
  tokenizer: CharTokenizer;
  frontEnd: ImageFrontEndConfig;
  /** The directory's default LM (never for a model given as bytes). */
  lm?: ModelLm;
  info: Record<string, unknown>;
}

/** Writes a text-line model directory atomically (replacing any directory at `dir`). */
export function saveLineModelDir(dir: string, parts: { model: CrnnModel; tokenizer: CharTokenizer; info?: Record<string, unknown> }): void {
  const frontEnd: ImageFrontEndConfig = { type: 'image', height: parts.model.config.height };
  checkLineParts(parts.model.config, parts.tokenizer, frontEnd, dir);
  const config: LineModelDirConfig = {
    format: MODEL_FORMAT, model: parts.model.config, tokenizer: parts.tokenizer.toJSON(), frontEnd, ...(parts.info ? { info: parts.info } : {}),
  };
  writeModelDir(dir, parts.model, config);
}

/** Whether the model directory `dir` holds a text-line model (a CRNN) rather than a speech model. */
export function isLineModelDir(dir: string): boolean {
  return isCrnnConfig(readModelDirConfig(dir).model);
}

/** Loads a text-line model directory written by {@link saveLineModelDir}. */
export function loadLineModelDir(dir: string, options: { backend?: Backend } = {}): LoadedLineModel {
  const where = join(dir, 'config.json');
  const raw = readModelDirConfig(dir);
  const loaded = assembleLineModel(raw, dir, where, () => loadModelWeights(join(dir, 'model.safetensors'), options));
  const lm = modelLm(dir, (raw as { lm?: unknown }).lm, `${where}: lm`);
  return lm ? { ...loaded, lm } : loaded;
}

/** A text-line model directory's two files given as their contents; `name` stands for the directory in errors. */
export function lineModelFromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: { backend?: Backend } = {}): LoadedLineModel {
  const where = `${name}/model.safetensors`;
  return assembleLineModel(parseModelDirConfig(configJson, `${name}/config.json`), name, `${name}/config.json`, () => {
    const file = parseSafetensors(weights, where);
    return modelFromCheckpoint(file, where, options);
  });
}

function assembleLineModel(raw: unknown, dir: string, where: string, loadWeights: () => unknown): LoadedLineModel {
  const c = raw as Partial<LineModelDirConfig>;
  if (!isCrnnConfig(c.model)) throw new Error(`${dir}: a speech model: it reads audio, not images of text lines`);
  const config = naming(where, () => resolveCrnnModelConfig(c.model));
  if (!c.tokenizer) throw new Error(`${where}: no "tokenizer"`);
  const tokenizer = naming(`${where}: tokenizer`, () => CharTokenizer.fromJSON(c.tokenizer));
  const frontEnd = resolveImageFrontEnd(c.frontEnd, `${where}: frontEnd`);
  checkLineParts(config, tokenizer, frontEnd, dir);
  const model = loadWeights();
  if (!(model instanceof CrnnModel)) throw new Error(`${dir}: model.safetensors holds a speech model, not the CRNN that config.json describes`);
  if (JSON.stringify(model.config) !== JSON.stringify(config)) throw new Error(`${dir}: model.safetensors holds a different model than config.json describes`);
  return { dir, model, tokenizer, frontEnd, info: c.info ?? {} };
}

function checkLineParts(config: ResolvedCrnnModelConfig, tokenizer: CharTokenizer, frontEnd: ImageFrontEndConfig, dir: string): void {
  if (frontEnd.height !== config.height) throw new Error(`${dir}: the model takes images of ${config.height} rows, the front end makes ${frontEnd.height}`);
  if (config.numClasses !== tokenizer.size) throw new Error(`${dir}: the model has ${config.numClasses} classes, the tokenizer ${tokenizer.size}`);
  if (config.blank !== tokenizer.blank) throw new Error(`${dir}: the model's blank is ${config.blank}, the tokenizer's ${tokenizer.blank}`);
}
