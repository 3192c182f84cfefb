/**
 * The streaming model the live benches run: the bundled english-streaming model where it is
 * installed, else the english-streaming recipe's shape (recipes/english-streaming.json: a
 * latency-controlled BiLSTM stack, frame stacking) with random weights on the bundled model's
 * tokenizer, front end and CMVN (what a chunk costs does not depend on the weights; what a
 * partial says does).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Backend } from '../src/backend/index.js';
import { CtcModel } from '../src/model/ctc-model.js';
import { saveModelDir } from '../src/model/io/model-dir.js';
import { BUNDLED_STREAMING_MODEL_NAME, bundledModelNames, bundledModelPath } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';

interface RecipeModel {
  hiddenSize: number; numLayers: number; bidirectional: boolean; frameStack: number; frameStride: number;
  latencyControl?: { chunk: number; rightContext: number };
}

const recipe = JSON.parse(readFileSync(new URL('../../recipes/english-streaming.json', import.meta.url), 'utf8')) as { model: RecipeModel };

/** The recipe's model with random weights (seed 1) for `bundled`'s features and labels. */
export function recipeStreamingModel(bundled: Recognizer, backend?: Backend): CtcModel {
  const shape = { ...recipe.model, inputDim: bundled.loaded.model.config.inputDim, numClasses: bundled.loaded.tokenizer.size };
  return new CtcModel(shape, { ...(backend ? { backend } : {}), seed: 1 });
}

/** Whether the trained streaming model is installed (models/english-streaming). */
export const TRAINED = bundledModelNames().includes(BUNDLED_STREAMING_MODEL_NAME);

/** The bench's streaming recogniser: the bundled streaming model, else the recipe's shape with random weights. */
export function benchStreamingRecognizer(bundled: Recognizer, backend: Backend): Recognizer {
  if (TRAINED) return Recognizer.load(bundledModelPath(BUNDLED_STREAMING_MODEL_NAME), { backend });
  return new Recognizer({ ...bundled.loaded, dir: '<english-streaming shape, random weights>', model: recipeStreamingModel(bundled, backend) });
}

/** The bench's streaming model directory: the bundled one, else the recipe's shape with random weights written to a temporary one. */
export function benchStreamingModelDir(bundled: Recognizer): string {
  return TRAINED ? bundledModelPath(BUNDLED_STREAMING_MODEL_NAME) : writeRecipeStreamingModelDir(bundled);
}

/** A short description, for the benches' output. */
export const RECIPE_SHAPE = `${recipe.model.numLayers} x ${recipe.model.hiddenSize} ${describeEncoder(recipe.model)}, frame stack ${recipe.model.frameStack} / stride ${recipe.model.frameStride}`;

function describeEncoder(m: RecipeModel): string {
  if (m.latencyControl) return `latency-controlled BiLSTM (chunk ${m.latencyControl.chunk}, right context ${m.latencyControl.rightContext})`;
  return m.bidirectional ? 'BiLSTM' : 'unidirectional LSTM';
}

/** The recipe's encoder shape, for a peer that does the same work. */
export const RECIPE_MODEL: Readonly<RecipeModel> = recipe.model;

/** Writes that model as a model directory (for `sayre serve --model`); returns the directory. */
export function writeRecipeStreamingModelDir(bundled: Recognizer): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'sayre-bench-')), 'english-streaming-random');
  const { tokenizer, frontEnd, cmvn } = bundled.loaded;
  saveModelDir(dir, { model: recipeStreamingModel(bundled), tokenizer, frontEnd, cmvn, info: { note: 'random weights with the english-streaming recipe\'s shape, for benchmarks' } });
  return dir;
}
