/**
 * What a model card is made from, read and checked: the model directory's config.json
 * and files, the corpus description (corpus.json of `sayre corpus tts` or `sayre corpus
 * lines`), `sayre eval --json-report` results per split and lines bench results. Every
 * figure of a card comes from one of these files. Errors name the file and what is wrong.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type EvalReport, type LinesBench, parseEvalReport, parseLinesBench } from '../eval-report.js';
import { parseCorpus, type CardCorpus } from './corpus-json.js';

/** One eval report or bench result and the split it scores. */
export interface SplitFile<T> {
  split: string;
  path: string;
  data: T;
}

/** Licence facts about a font family, looked up from the packages installed. */
export interface FontSource {
  package: string;
  /** Debian archive area: main, contrib or non-free. */
  section: string;
  /** The upstream licence of the package ("Files: *" of its copyright file). */
  licence: string;
}

/** What the card says about data that is never used anywhere (sayre's reserved lists). */
export interface ReservedData {
  voices: readonly string[];
  fonts: readonly string[];
  texts: readonly string[];
}

/** Everything a card is made from. */
export interface CardInputs {
  /** The model's name (its directory's name) and directory as given. */
  name: string;
  modelDir: string;
  config: Record<string, unknown>;
  /** Parameters of the weights, counted by the caller, and how they are stored ('float32', 'float16'). */
  parameters: number;
  storedAs: string;
  /** Files of the model directory with their sizes (the card itself left out). */
  files: { name: string; bytes: number }[];
  corpus?: { path: string; data: CardCorpus };
  /** corpus.json of `sayre corpus tts --extend` or `sayre corpus lines --extend` builds of the corpus, whose train split the model also read. */
  extensions?: { path: string; data: CardCorpus }[];
  evals: SplitFile<EvalReport>[];
  benches: SplitFile<LinesBench>[];
  /** Another model's eval reports on the same splits, shown beside this model's (e.g. the bidirectional model beside the streaming one). */
  baseline?: { name: string; evals: SplitFile<EvalReport>[] };
  /** Text lines: licences of the corpus's font families (families not found are absent). */
  fontSources?: Record<string, FontSource>;
  /** Speech: what corpus.json leaves out about espeak-ng's own formant voices (older corpora did not record it). */
  espeakFormant?: { package: string; licence: string };
  reserved: ReservedData;
  /** The command line that made the card, shown in it. */
  command: string;
  date: Date;
}

/** How the caller fills in what the report floor cannot know. */
export interface CardLookups {
  /** Parameters of a model.safetensors file, and their storage ('float32', 'float16', or both, comma-separated). */
  weights(path: string): { parameters: number; storedAs: string };
  /** Licences of font families (text-line corpora). */
  fontSources?(families: readonly string[]): Record<string, FontSource>;
  espeakFormant?: { package: string; licence: string };
  reserved: ReservedData;
}

/** What `sayre card` is given. */
export interface CardOptions {
  model: string;
  /** The model's name in the card's title (default: the directory's name, or its parent's for a directory called "model"). */
  name?: string;
  corpus?: string;
  /** corpus.json files of `sayre corpus tts --extend` builds of that corpus the model also trained on. */
  extensions?: readonly string[];
  /** "SPLIT=FILE" each: sayre eval --json-report results. */
  evals?: readonly string[];
  /** "SPLIT=FILE" each: lines bench JSON results (tesseract's columns). */
  benches?: readonly string[];
  /** Another model's name and its "SPLIT=FILE" eval results, compared split by split. */
  baseline?: { name: string; evals: readonly string[] };
  /** The card's file name, left out of the file sizes. */
  cardName: string;
  command: string;
  date?: Date;
}

function readText(path: string, what: string): string {
  if (!existsSync(path)) throw new Error(`${path}: no such file (${what})`);
  return readFileSync(path, 'utf8');
}

function splitFiles<T>(specs: readonly string[], flag: string, parse: (text: string, path: string) => T): SplitFile<T>[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new Error(`${flag} ${spec}: expected SPLIT=FILE (e.g. test-speakers=runs/english/test-speakers.json)`);
    const path = spec.slice(eq + 1);
    return { split: spec.slice(0, eq), path, data: parse(readText(path, `${flag} ${spec.slice(0, eq)}`), path) };
  });
}

/** The card's extensions of one kind (readCardInputs gives only those of its corpus's kind). */
export function extensionsOf<K extends CardCorpus['kind']>(c: CardInputs, kind: K): { path: string; data: Extract<CardCorpus, { kind: K }> }[] {
  return (c.extensions ?? []).flatMap((e) => (e.data.kind === kind ? [{ path: e.path, data: e.data as Extract<CardCorpus, { kind: K }> }] : []));
}

/** Reads and checks every input of a card. */
export function readCardInputs(o: CardOptions, lookups: CardLookups): CardInputs {
  const dir = o.model;
  const configPath = join(dir, 'config.json');
  if (!existsSync(configPath)) throw new Error(`${dir}: not a model directory (no config.json)`);
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(configPath, 'utf8'));
  } catch (err) {
    throw new Error(`${configPath}: not JSON (${(err as Error).message})`);
  }
  if (typeof config !== 'object' || config === null || Array.isArray(config) || typeof (config as Record<string, unknown>)['model'] !== 'object') {
    throw new Error(`${configPath}: expected a model directory's config.json with a "model" entry`);
  }
  const weights = join(dir, 'model.safetensors');
  if (!existsSync(weights)) throw new Error(`${dir}: no model.safetensors`);
  const files = readdirSync(dir).filter((f) => f !== o.cardName && statSync(join(dir, f)).isFile()).sort()
    .map((name) => ({ name, bytes: statSync(join(dir, name)).size }));
  // An LM shared from a sibling model directory ("../english/lm.arpa.gz") is part of what the model needs.
  const lm = (config as { lm?: { file?: unknown; wordLm?: { file?: unknown } } }).lm;
  for (const lmFile of [lm?.file, lm?.wordLm?.file]) {
    if (typeof lmFile === 'string' && lmFile.includes('/') && existsSync(join(dir, lmFile))) files.push({ name: lmFile, bytes: statSync(join(dir, lmFile)).size });
  }
  const corpus = o.corpus === undefined ? undefined : { path: o.corpus, data: parseCorpus(readText(o.corpus, '--corpus'), o.corpus) };
  const extensions = (o.extensions ?? []).map((path) => {
    const data = parseCorpus(readText(path, '--extension'), path);
    if (!data.extends) throw new Error(`${path}: not the corpus.json of a sayre corpus tts or sayre corpus lines --extend build (--extension)`);
    if (corpus?.data.kind !== data.kind) throw new Error(`--extension needs --corpus: the ${data.kind === 'tts' ? 'speech' : 'line'} corpus it extends`);
    // the card counts the extension's speakers as heard beside --corpus's; another corpus's extension would misstate both
    const base = resolve(data.extends.corpus), given = resolve(dirname(corpus.path));
    if (base !== given) throw new Error(`${path}: extends ${base}, not the corpus of --corpus (${given}); name the corpus it was built against`);
    return { path, data };
  });
  const inputs: CardInputs = {
    name: o.name ?? (basename(resolve(dir)) === 'model' ? basename(dirname(resolve(dir))) : basename(resolve(dir))), modelDir: dir, config: config as Record<string, unknown>, ...lookups.weights(weights), files,
    evals: splitFiles(o.evals ?? [], '--eval', parseEvalReport), benches: splitFiles(o.benches ?? [], '--bench', parseLinesBench),
    reserved: lookups.reserved, command: o.command, date: o.date ?? new Date(),
    ...(corpus ? { corpus } : {}), ...(extensions.length ? { extensions } : {}), ...(o.baseline ? { baseline: { name: o.baseline.name, evals: splitFiles(o.baseline.evals, '--baseline', parseEvalReport) } } : {}),
    ...(lookups.espeakFormant ? { espeakFormant: lookups.espeakFormant } : {}),
  };
  if (corpus?.data.kind === 'lines' && lookups.fontSources) inputs.fontSources = lookups.fontSources(corpus.data.families);
  return inputs;
}
