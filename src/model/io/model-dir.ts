/**
 * The model directory: everything needed to transcribe, in one folder.
 *
 *   config.json        {"format": "sayre.ctc-model/1", "model": CtcModelConfig,
 *                       "tokenizer": CharTokenizerJson, "frontEnd": FrontEndConfig,
 *                       "cmvn": CmvnJson, "info": {...how it was trained}}
 *   model.safetensors  the weights, PyTorch-style names (a sayre checkpoint without
 *                      optimiser state)
 *
 * A directory is written atomically: into a temporary folder beside it, which is then
 * renamed into place, so that a reader never sees half of an old and half of a new model.
 */
import { readFileBounded } from '../../util/read-bounded.js';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Cmvn, type CmvnJson } from '../../audio/cmvn.js';
import type { Backend } from '../../backend/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { CharTokenizer, type CharTokenizerJson } from '../../data/char-tokenizer.js';
import { type CtcModelConfig, resolveCtcModelConfig, streamingEncoderField } from '../config.js';
import type { CtcModel } from '../ctc-model.js';
import type { RnntModel } from '../transducer-model.js';
import { isTransducerConfig, resolveTransducerModelConfig } from '../transducer-config.js';
import { loadModelWeights, modelFromCheckpoint } from '../model-kind.js';
import { CrnnModel } from '../crnn-model.js';
import { isCrnnConfig } from '../crnn-config.js';
import { writeCheckpointFile } from './checkpoint.js';
import { parseSafetensors } from './safetensors.js';
import { type FrontEndConfig, frontEndDim, resolveFrontEnd, unstreamableFrontEndReason } from '../../audio/front-end.js';
import { naming } from '../../util/naming.js';
import { type ModelLm, modelLm } from './model-lm.js';

/** The `format` of a model directory's config.json. */
export const MODEL_FORMAT = 'sayre.ctc-model/1';

/** config.json of a model directory. */
export interface ModelDirConfig {
  format: typeof MODEL_FORMAT;
  model: CtcModelConfig;
  tokenizer: CharTokenizerJson;
  frontEnd: FrontEndConfig;
  cmvn: CmvnJson;
  /** Free-form facts about the model (data, steps, dev scores); not needed to run it. */
  info?: Record<string, unknown>;
}

/** A model directory read back. */
export interface LoadedModel {
  dir: string;
  /** A CTC model, or an RNN Transducer where the config's model says "type": "rnnt". */
  model: CtcModel | RnntModel;
  tokenizer: CharTokenizer;
  frontEnd: FrontEndConfig;
  cmvn: Cmvn;
  /** The directory's default LM (config.json's "lm" entry; never for a model given as bytes). */
  lm?: ModelLm;
  info: Record<string, unknown>;
}

let tmpCounter = 0;

/** Writes a model directory atomically (replacing any directory at `dir`). */
export function saveModelDir(dir: string, parts: { model: CtcModel | RnntModel; tokenizer: CharTokenizer; frontEnd: FrontEndConfig; cmvn: Cmvn; info?: Record<string, unknown> }): void {
  checkParts(parts.model.config, parts.tokenizer, parts.frontEnd, parts.cmvn, dir);
  const config: ModelDirConfig = {
    format: MODEL_FORMAT, model: parts.model.config, tokenizer: parts.tokenizer.toJSON(), frontEnd: parts.frontEnd, cmvn: parts.cmvn.toJSON(),
    ...(parts.info ? { info: parts.info } : {}),
  };
  writeModelDir(dir, parts.model, config);
}

/**
 * Writes model.safetensors (the model's weights) and config.json (`config`) into `dir`
 * atomically: both into a temporary folder, then renamed into place.
 */
export function writeModelDir(dir: string, model: CtcModel | RnntModel | CrnnModel, config: object): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  removeLeftovers(parent, basename(dir));
  const stamp = `${process.pid}.${tmpCounter++}`;
  const tmp = join(parent, `.${basename(dir)}.${stamp}.tmp`);
  const old = join(parent, `.${basename(dir)}.${stamp}.old`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    writeCheckpointFile(join(tmp, 'model.safetensors'), model);
    writeFileAtomic(join(tmp, 'config.json'), JSON.stringify(config, null, 2) + '\n');
    // A directory cannot be renamed over a non-empty one: move the old one aside first.
    if (existsSync(dir)) renameSync(dir, old);
    renameSync(tmp, dir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    if (existsSync(old) && !existsSync(dir)) renameSync(old, dir);
    throw err;
  }
  rmSync(old, { recursive: true, force: true });
}

/** Removes the temporary folders that a process killed mid-save left beside `name`. */
function removeLeftovers(parent: string, name: string): void {
  const pattern = new RegExp(`^\\.${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(\\d+)\\.\\d+\\.(tmp|old)$`);
  for (const entry of readdirSync(parent)) {
    const m = pattern.exec(entry);
    if (m && !processAlive(Number(m[1]))) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}

/** Whether a process with this id runs (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Reads and checks a model directory's config.json. */
export function readModelDirConfig(dir: string): ModelDirConfig {
  const path = join(dir, 'config.json');
  return parseModelDirConfig(readFileBounded(path, 'the model config').toString('utf8'), path);
}

/** Parses and checks the text of a model directory's config.json; `path` names it in errors. */
export function parseModelDirConfig(text: string, path: string): ModelDirConfig {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: cannot read the model config: ${err instanceof Error ? err.message : String(err)}`);
  }
  const c = value as Partial<ModelDirConfig> | null;
  if (!c || typeof c !== 'object' || c.format !== MODEL_FORMAT) throw new Error(`${path}: not a sayre model (format ${JSON.stringify(c?.format)}, expected ${MODEL_FORMAT})`);
  return c as ModelDirConfig;
}

/** Loads a model directory written by {@link saveModelDir}. */
export function loadModelDir(dir: string, options: { backend?: Backend } = {}): LoadedModel {
  const where = join(dir, 'config.json');
  const raw = readModelDirConfig(dir);
  const loaded = assembleModel(raw, dir, where, () => loadModelWeights(join(dir, 'model.safetensors'), options));
  const lm = modelLm(dir, (raw as { lm?: unknown }).lm, `${where}: lm`);
  return lm ? { ...loaded, lm } : loaded;
}

/**
 * A model directory's two files given as their contents (fetched over HTTP in a browser,
 * where there is no file system); `name` stands for the directory in errors and in `dir`.
 */
export function modelFromBytes(configJson: string, weights: Uint8Array, name = '<model>', options: { backend?: Backend } = {}): LoadedModel {
  const where = `${name}/model.safetensors`;
  return assembleModel(parseModelDirConfig(configJson, `${name}/config.json`), name, `${name}/config.json`, () => {
    const file = parseSafetensors(weights, where);
    return modelFromCheckpoint(file, where, options);
  });
}

/** The parts of a model directory checked against each other; `where` names its config in errors (no node:path here: browsers use this too). */
function assembleModel(c: ModelDirConfig, dir: string, where: string, loadWeights: () => CtcModel | RnntModel | CrnnModel): LoadedModel {
  const tokenizer = naming(`${where}: tokenizer`, () => CharTokenizer.fromJSON(c.tokenizer));
  const frontEnd = naming(`${where}: frontEnd`, () => resolveFrontEnd(c.frontEnd, `${where}: frontEnd`));
  if (isCrnnConfig(c.model)) throw new Error(`${dir}: a text-line model (CRNN): it reads images of text lines, not audio (LineRecognizer; sayre transcribe FILE.png)`);
  const cmvn = naming(`${where}: cmvn`, () => Cmvn.fromJSON(c.cmvn));
  const config = naming(where, () => (isTransducerConfig(c.model) ? resolveTransducerModelConfig(c.model) : resolveCtcModelConfig(c.model)));
  checkParts(config, tokenizer, frontEnd, cmvn, dir);
  const model = loadWeights();
  if (model instanceof CrnnModel) throw new Error(`${dir}: model.safetensors holds a CRNN (line images), not a speech model`);
  if (JSON.stringify(model.config) !== JSON.stringify(config)) throw new Error(`${dir}: model.safetensors holds a different model than config.json describes`);
  return { dir, model, tokenizer, frontEnd, cmvn, info: c.info ?? {} };
}

function checkParts(config: CtcModelConfig, tokenizer: CharTokenizer, frontEnd: FrontEndConfig, cmvn: Cmvn, dir: string): void {
  const dim = frontEndDim(frontEnd);
  if (config.inputDim !== dim) throw new Error(`${dir}: the model takes ${config.inputDim} features per frame, the front end makes ${dim}`);
  if (cmvn.dim !== dim) throw new Error(`${dir}: CMVN statistics have ${cmvn.dim} columns, the front end makes ${dim}`);
  if (config.numClasses !== tokenizer.size) throw new Error(`${dir}: the model has ${config.numClasses} classes, the tokenizer ${tokenizer.size}`);
  if ((config.blank ?? 0) !== tokenizer.blank) throw new Error(`${dir}: the model's blank is ${config.blank}, the tokenizer's ${tokenizer.blank}`);
  const streaming = streamingEncoderField(config);
  const why = streaming ? unstreamableFrontEndReason(frontEnd) : undefined;
  if (why) throw new Error(`${dir}: a streaming model (${streaming}) needs a front end that can be computed as audio arrives: ${why}`);
}
