/**
 * A model directory's own language model: an ARPA file (optionally gzipped) beside the
 * weights, named by an "lm" entry in config.json with the weights it decodes with. One
 * mechanism for every model directory (text lines today, speech the same way):
 *
 *   "lm": {"file": "lm.arpa.gz", "unit": "char", "delimiter": "<sp>", "alpha": 0.5, "beta": 1, "beamWidth": 16, "labelBonus": 2}
 *
 * A character LM may have a word LM beside it ("wordLm": {"file": "word-lm.arpa.gz",
 * "alpha": 0.4}, with "unkScore" for the words it does not know): the character LM guides
 * the search inside words, the word LM judges whole words.
 *
 * "file" is a file of the directory, or one of a sibling model directory
 * ("../english/lm.arpa.gz"), so that bundled models of one language share one LM file.
 *
 * A recogniser decodes with it by default (prefix beam search); `--no-lm` (lm: false)
 * decodes by best path, `--lm FILE` replaces it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readArpa } from '../../decode/lm/arpa-reader.js';
import type { LanguageModel } from '../../decode/lm/language-model.js';
import { writeFileAtomic } from '../../util/atomic-write.js';

/** The "lm" entry of a model directory's config.json. */
export interface ModelLmConfig {
  /** ARPA file: a name inside the directory, or `../<sibling directory>/<name>`. */
  file: string;
  /** 'char': a character n-gram over the model's labels (`delimiter` between words); 'word': a word n-gram. */
  unit: 'word' | 'char';
  /** The token a character LM has for the space between words. */
  delimiter?: string;
  /** LM weight, word bonus and beam width it decodes with. */
  alpha: number;
  beta: number;
  beamWidth: number;
  /** Bonus per label (CTC prefix beam search's labelBonus); absent: 0. */
  labelBonus?: number;
  /** Score of a word a word LM does not know (the beam search's unkScore); absent: its default. */
  unkScore?: number;
  /** A word LM beside a character LM: its file (as `file`) and weight. */
  wordLm?: { file: string; alpha: number };
}

/** An lm entry in words, e.g. "lm.arpa.gz (char LM, alpha 1, beta 0, label bonus 3, beam 64)". */
export function describeModelLm(entry: ModelLmConfig): string {
  const bonus = entry.labelBonus ? `, label bonus ${entry.labelBonus}` : '';
  const unk = entry.unkScore !== undefined ? `, unknown word ${entry.unkScore}` : '';
  const word = entry.wordLm ? ` and ${entry.wordLm.file} (word LM, alpha ${entry.wordLm.alpha})` : '';
  return `${entry.file} (${entry.unit} LM, alpha ${entry.alpha}, beta ${entry.beta}${bonus}${unk}, beam ${entry.beamWidth})${word}`;
}

/** A model directory's LM: its entry, the file's path, and the model, read on first use. */
export interface ModelLm {
  config: ModelLmConfig;
  path: string;
  /** The n-gram model (read once, then kept). */
  load(): LanguageModel;
  /** The word LM beside it, if the entry names one (read once, then kept). */
  loadWord(): LanguageModel | undefined;
}

const KNOWN = ['file', 'unit', 'delimiter', 'alpha', 'beta', 'beamWidth', 'labelBonus', 'unkScore', 'wordLm'];
/** A plain name, optionally in a sibling directory: never absolute, never further out. */
const LM_FILE = /^(\.\.\/(?!\.\.?\/)[^/\\]+\/)?(?!\.\.?$)[^/\\]+$/;

/** Checks a parsed "lm" entry; throws naming the bad field. Undefined stays undefined. */
export function resolveModelLmConfig(value: unknown, where = 'lm'): ModelLmConfig | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected an object {"file", "unit", "alpha", "beta", "beamWidth"}`);
  const v = value as Record<string, unknown>;
  for (const k of Object.keys(v)) if (!KNOWN.includes(k)) throw new Error(`${where}: unknown field "${k}" (known: ${KNOWN.join(', ')})`);
  if (typeof v['file'] !== 'string' || !LM_FILE.test(v['file'])) throw new Error(`${where}: "file" must be a file name inside the model directory, or ../<directory>/<file> in a sibling model directory`);
  if (v['unit'] !== 'word' && v['unit'] !== 'char') throw new Error(`${where}: "unit" must be "word" or "char"`);
  if (v['delimiter'] !== undefined && (typeof v['delimiter'] !== 'string' || v['delimiter'] === '')) throw new Error(`${where}: "delimiter" must be a token`);
  for (const k of ['alpha', 'beta']) if (typeof v[k] !== 'number' || !Number.isFinite(v[k])) throw new Error(`${where}: "${k}" must be a number`);
  for (const k of ['labelBonus', 'unkScore']) if (v[k] !== undefined && (typeof v[k] !== 'number' || !Number.isFinite(v[k]))) throw new Error(`${where}: "${k}" must be a number`);
  const w = v['wordLm'];
  if (w !== undefined) {
    if (v['unit'] !== 'char') throw new Error(`${where}: "wordLm" goes beside a character LM ("unit": "char")`);
    const wf = w as Record<string, unknown>;
    if (typeof w !== 'object' || w === null || Object.keys(wf).some((k) => k !== 'file' && k !== 'alpha')) throw new Error(`${where}: "wordLm" must be {"file", "alpha"}`);
    if (typeof wf['file'] !== 'string' || !LM_FILE.test(wf['file'])) throw new Error(`${where}: "wordLm.file" must be a file name inside the model directory, or ../<directory>/<file> in a sibling model directory`);
    if (typeof wf['alpha'] !== 'number' || !Number.isFinite(wf['alpha'])) throw new Error(`${where}: "wordLm.alpha" must be a number`);
  }
  if (typeof v['beamWidth'] !== 'number' || !Number.isInteger(v['beamWidth']) || v['beamWidth'] < 1) throw new Error(`${where}: "beamWidth" must be an integer >= 1`);
  return v as unknown as ModelLmConfig;
}

/** The LM that config.json's "lm" entry names in `dir`, or undefined without one; throws when the file is missing. */
export function modelLm(dir: string, raw: unknown, where = `${dir}/config.json: lm`): ModelLm | undefined {
  const config = resolveModelLmConfig(raw, where);
  if (!config) return undefined;
  const path = join(dir, config.file);
  const wordPath = config.wordLm ? join(dir, config.wordLm.file) : undefined;
  for (const p of [path, wordPath]) if (p !== undefined && !existsSync(p)) throw new Error(`${where}: ${p} does not exist`);
  let lm: LanguageModel | undefined;
  let wordLm: LanguageModel | undefined;
  return { config, path, load: () => (lm ??= readArpa(path)), loadWord: () => (wordPath ? (wordLm ??= readArpa(wordPath)) : undefined) };
}

/**
 * Puts `arpa` into the model directory `dir` as its default LM: the file is copied in
 * (as `lm.arpa` or `lm.arpa.gz`; a word LM beside it as `word-lm.arpa[.gz]`) and
 * config.json gets the "lm" entry (written atomically).
 */
export function attachModelLm(dir: string, arpa: string, entry: Omit<ModelLmConfig, 'file' | 'wordLm'>, word?: { arpa: string; alpha: number }): ModelLmConfig {
  const configPath = join(dir, 'config.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
  const name = (prefix: string, f: string): string => `${prefix}.arpa${f.endsWith('.gz') ? '.gz' : ''}`;
  const file = name('lm', arpa);
  const wordLm = word ? { file: name('word-lm', word.arpa), alpha: word.alpha } : undefined;
  const lm = resolveModelLmConfig({ file, ...entry, ...(wordLm ? { wordLm } : {}) }, `${arpa}`)!;
  const copies: [string, string][] = [[arpa, file], ...(word && wordLm ? [[word.arpa, wordLm.file] as [string, string]] : [])];
  for (const [from] of copies) readArpa(from); // refuse a file that does not parse before touching the directory
  for (const [from, to] of copies) writeFileAtomic(join(dir, to), readFileSync(from));
  writeFileAtomic(configPath, JSON.stringify({ ...config, lm }, null, 2) + '\n');
  return lm;
}
