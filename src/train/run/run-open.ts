/** Opening a run directory: a new run writes run.json; a resumed one reads it back and checks it. */
import { readJsonFile } from '../../util/read-json.js';
import { naming } from '../../util/naming.js';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { frontEndDim } from '../../audio/front-end.js';
import { CharTokenizer } from '../../data/char-tokenizer.js';
import { isImageFrontEnd } from '../../image/line-front-end.js';
import { type CtcModelConfig, resolveCtcModelConfig } from '../../model/config.js';
import { isCrnnConfig, resolveCrnnModelConfig, type ResolvedCrnnModelConfig } from '../../model/crnn-config.js';
import { isTransducerConfig, resolveTransducerModelConfig } from '../../model/transducer-config.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { resolveRunConfig, type RunConfig } from './run-config.js';
import { runInput } from './run-input.js';
import { type RunState, readRunState } from './run-state.js';

/** Which run to open, and what a new one is made of. */
export interface OpenRunOptions {
  /** The run directory. */
  out: string;
  /** Configuration of a new run. On resume it may be left out (run.json has it). */
  config?: RunConfig;
  /**
   * Manifests of a new run (on resume, those in run.json are used). Several training
   * manifests (your own corpus beside another) are read as one set, in the order given.
   */
  train?: string | readonly string[];
  dev?: string;
  /**
   * Continue the run in `out`. Without it, a directory that already holds a run is an
   * error. With it, a directory without a run starts one.
   */
  resume?: boolean;
  /**
   * A new RNN-T run starts its encoder from this CTC checkpoint (Graves et al. 2013); the
   * encoders must have the same shape. Ignored on resume (the checkpoint has the weights).
   */
  initEncoder?: string;
  /**
   * A new run starts every weight from this checkpoint of the same architecture
   * (fine-tuning: another learning rate, schedule or training set; a fresh optimiser).
   * Ignored on resume.
   */
  initFrom?: string;
  /** On resume: new limits (they do not change the path the run takes, only where it ends). */
  limits?: Partial<Pick<RunConfig['training'], 'maxEpochs' | 'maxMinutes' | 'checkpointMinutes'>>;
}

/** Where a run's first weights came from (--init-from, --init-encoder); the model card reports it. */
export interface StartedFrom {
  /** The checkpoint (absolute). */
  checkpoint: string;
  /** 'weights': every weight (fine-tuning); 'encoder': an RNN-T's encoder from a CTC model. */
  part: 'weights' | 'encoder';
  /** Seconds of training behind that checkpoint, where its model directory or run says. */
  trainSeconds?: number;
}

/** run.json: the run's fixed description. */
interface RunFile {
  config: RunConfig;
  /** One manifest, or several read as one set. */
  train: string | string[];
  dev: string;
  tokenizer: { type: 'char'; alphabet: string };
  startedFrom?: StartedFrom;
}

/** An open run directory. */
export interface OpenRun {
  /** The run directory (absolute). */
  dir: string;
  /** The commit point of a run being resumed; null for a new run. */
  state: RunState | null;
  config: RunConfig;
  /** Manifests (absolute): the training set's, one or more, and the dev set's. */
  train: string[];
  dev: string;
  tokenizer: CharTokenizer;
  /** The model config with numClasses and (speech) inputDim filled in. */
  modelConfig: CtcModelConfig | ResolvedCrnnModelConfig;
  /** Where its first weights came from, if not from a random start. */
  startedFrom?: StartedFrom;
}

/**
 * Opens `options.out`: resumes the run there (its configuration must match what `options`
 * give, limits aside) or starts one, writing run.json.
 */
export function openRun(options: OpenRunOptions): OpenRun {
  const dir = resolve(options.out);
  mkdirSync(dir, { recursive: true });
  const runPath = join(dir, 'run.json');
  const state = readRunState(dir);
  if (state && !options.resume) throw new Error(`${dir} already holds a training run; pass --resume to continue it, or choose another --out`);
  // A run stopped before its first checkpoint has run.json and no state.json: --resume starts it from run.json.
  let run: RunFile;
  if (state || (options.resume && existsSync(runPath))) {
    run = readRunFile(runPath);
    if (options.config && JSON.stringify(strip(resolveRunConfig(options.config))) !== JSON.stringify(strip(run.config))) {
      throw new Error(`${dir}: the run was started with another configuration (see run.json); resume without --config or choose another --out`);
    }
    if (options.train) {
      const started = trainManifests(run.train), given = trainManifests(options.train);
      if (!isDeepStrictEqual(given, started)) throw new Error(`${dir}: the run was started with --train ${started.join(' ')}, not ${given.join(' ')}`);
    }
    if (options.dev && resolve(options.dev) !== run.dev) throw new Error(`${dir}: the run was started with --dev ${run.dev}, not ${resolve(options.dev)}`);
    run.config.training = { ...run.config.training, ...definedOnly(options.limits ?? {}) };
  } else {
    if (!options.config || !options.train || !options.dev) throw new Error('a new training run needs a config and train and dev manifests');
    if (options.initFrom && options.initEncoder) throw new Error('--init-from and --init-encoder: give one');
    const config = resolveRunConfig(options.config);
    config.training = { ...config.training, ...definedOnly(options.limits ?? {}) };
    const train = trainManifests(options.train);
    if (train.length === 0) throw new Error('a new training run needs at least one train manifest');
    // one manifest is stored as a string, as runs before several were possible have it
    run = { config, train: train.length === 1 ? train[0]! : train, dev: resolve(options.dev), tokenizer: runInput(config.frontEnd).tokenizer().toJSON() };
    const from = options.initFrom ?? options.initEncoder;
    if (from) run.startedFrom = startedFrom(from, options.initFrom ? 'weights' : 'encoder');
    writeFileAtomic(runPath, JSON.stringify(run, null, 2) + '\n');
  }
  const tokenizer = naming(runPath, () => CharTokenizer.fromJSON(run.tokenizer));
  return {
    dir, state, config: run.config, train: trainManifests(run.train), dev: run.dev, tokenizer, modelConfig: modelConfigOf(run.config, tokenizer),
    ...(run.startedFrom ? { startedFrom: run.startedFrom } : {}),
  };
}

/**
 * The provenance of a run's first weights: the checkpoint, and the training behind it: its
 * own, as its model directory's config.json ("info") or its run's state.json records it, plus
 * what that model or run had itself started from (config.json's info or run.json), so that a
 * chain of fine-tunes counts every run in it.
 */
function startedFrom(checkpoint: string, part: StartedFrom['part']): StartedFrom {
  const path = resolve(checkpoint), dir = dirname(path);
  const seconds = (file: string, pick: (v: Record<string, unknown>) => unknown): number | undefined => {
    if (!existsSync(file)) return undefined;
    try {
      const v = pick(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
      return typeof v === 'number' ? v : undefined;
    } catch {
      return undefined; // provenance only: an unreadable neighbour leaves the time unknown
    }
  };
  const info = (c: Record<string, unknown>): Record<string, unknown> => (c['info'] as Record<string, unknown> | undefined) ?? {};
  const behind = (record: Record<string, unknown>): unknown => (record['startedFrom'] as { trainSeconds?: unknown } | undefined)?.trainSeconds;
  const own = seconds(join(dir, 'config.json'), (c) => info(c)['trainSeconds']) ?? seconds(join(dir, 'state.json'), (s) => s['trainSeconds']);
  const before = seconds(join(dir, 'config.json'), (c) => behind(info(c))) ?? seconds(join(dir, 'run.json'), behind);
  const t = own === undefined ? undefined : own + (before ?? 0);
  return { checkpoint: path, part, ...(t !== undefined ? { trainSeconds: Math.round(t) } : {}) };
}

/**
 * The model config with numClasses and (speech) inputDim filled in: a CTC model's, an
 * RNN-T model's ("type": "rnnt") or a CRNN's ("type": "crnn").
 */
function modelConfigOf(config: RunConfig, tokenizer: CharTokenizer): CtcModelConfig | ResolvedCrnnModelConfig {
  const numClasses = config.model.numClasses ?? tokenizer.size;
  if (isCrnnConfig(config.model)) return resolveCrnnModelConfig({ ...config.model, numClasses });
  if (isImageFrontEnd(config.frontEnd)) throw new Error('an image front end needs a CRNN model');
  const fields = { ...config.model, inputDim: config.model.inputDim ?? frontEndDim(config.frontEnd), numClasses };
  return isTransducerConfig(fields) ? resolveTransducerModelConfig(fields) : resolveCtcModelConfig(fields);
}

/** The configuration without the limits that a resumed run may change. */
function strip(c: RunConfig): RunConfig {
  const { maxEpochs: _a, maxMinutes: _b, checkpointMinutes: _c, ...rest } = c.training;
  return { ...c, training: rest as RunConfig['training'] };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Training manifests as absolute paths, one or several. */
function trainManifests(train: string | readonly string[]): string[] {
  return (typeof train === 'string' ? [train] : [...train]).map((t) => resolve(t));
}

/** run.json read back and checked; errors name it. */
function readRunFile(path: string): RunFile {
  const run = readJsonFile(path, 'run description') as Partial<RunFile> | null;
  if (!run || typeof run !== 'object' || typeof run.config !== 'object' || run.config === null || typeof run.config.training !== 'object'
    || !(typeof run.train === 'string' || (Array.isArray(run.train) && run.train.every((t) => typeof t === 'string'))) || typeof run.dev !== 'string' || typeof run.tokenizer !== 'object') {
    throw new Error(`${path}: not a sayre run description (expected {config, train, dev, tokenizer})`);
  }
  return run as RunFile;
}
