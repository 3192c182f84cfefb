/**
 * The machine-readable result of `sayre eval --json-report` (and, per system, of the text
 * lines bench): totals, per-group tables (voice, speaker, font family...) and how it
 * decoded. A model card is made from these files, never from the text reports.
 */
import type { EditCounts } from '../util/edit-counts.js';
import { isObject, parseJsonObject } from './json-object.js';

/** Scores of a set of utterances or lines. Rates are null in JSON where the reference is empty. */
export interface ScoreRow {
  utterances: number;
  words: EditCounts;
  chars: EditCounts;
  wer: number | null;
  cer: number | null;
}

/** One row of a per-group table. */
export interface GroupRow extends ScoreRow {
  group: string;
}

/** How the hypotheses were decoded. */
export interface DecodingInfo {
  /** 'greedy': best path (argmax per frame; RNN-T: greedy); 'beam': a beam search. */
  search: 'greedy' | 'beam';
  /** The LM's file name (without folders), if one was used. */
  lm?: string;
  lmUnit?: 'word' | 'char';
  lmOrder?: number;
  alpha?: number;
  beta?: number;
  /** Bonus per label (CTC), where not 0. */
  labelBonus?: number;
  /** A word LM beside a character LM: its order and weight, and the score of a word it does not know (where set). */
  wordLmOrder?: number;
  wordLmAlpha?: number;
  unkScore?: number;
  beamWidth?: number;
  /** In words, e.g. "prefix beam search, width 16, character 6-gram LM (lm.arpa.gz), alpha 0.4, beta 0". */
  text: string;
}

/** `format` of an eval report. */
export const EVAL_REPORT_FORMAT = 'sayre.eval-report/1';

/** What `sayre eval --json-report` writes. */
export interface EvalReport {
  format: typeof EVAL_REPORT_FORMAT;
  /** ISO date and time of the run. */
  date: string;
  /** The model directory and manifest as given. */
  model: string;
  manifest: string;
  /** Audio utterances or text-line images. */
  input: 'speech' | 'lines';
  decoding: DecodingInfo;
  /** Wall-clock seconds of the evaluation; seconds of audio (speech). */
  seconds: number;
  audioSeconds?: number;
  total: ScoreRow;
  /**
   * Per-group tables. Speech: `voice`, `voiceGroup` (espeak-ng variants summed per accent),
   * `speaker`, where the manifest says. Lines: `family`, `kind` (handwriting-like or
   * regular), and where lines carry a rendering, `rendering` and per rendering R
   * `family/R` and `kind/R`.
   */
  groups: Record<string, GroupRow[]>;
  /** Lines: the families the manifest marks handwriting-like. */
  handwritingFamilies?: string[];
}

/** `format` of the text lines bench's JSON result. */
export const LINES_BENCH_FORMAT = 'sayre.lines-bench/1';

/** One system's result in the lines bench. */
export interface BenchSystem {
  decoding: string;
  seconds: number;
  linesPerSecond: number;
  total: ScoreRow;
  groups: Record<string, GroupRow[]>;
}

/** What `SAYRE_LINES_JSON=FILE npm run bench -- lines` writes. */
export interface LinesBench {
  format: typeof LINES_BENCH_FORMAT;
  date: string;
  manifest: string;
  model: string;
  /** `tesseract` and `sayre`, whichever were measured. */
  systems: Record<string, BenchSystem>;
  handwritingFamilies: string[];
}


function checkRow(v: unknown, where: string): void {
  if (!isObject(v) || typeof v['utterances'] !== 'number' || !isObject(v['words']) || !isObject(v['chars'])) {
    throw new Error(`${where}: expected {"utterances", "words", "chars", "wer", "cer"}`);
  }
}

function checkGroups(v: unknown, where: string): void {
  if (!isObject(v)) throw new Error(`${where}: expected an object of group tables`);
  for (const [name, rows] of Object.entries(v)) {
    if (!Array.isArray(rows)) throw new Error(`${where}.${name}: expected an array of rows`);
    rows.forEach((r: unknown, i) => {
      checkRow(r, `${where}.${name}[${i}]`);
      if (typeof (r as Record<string, unknown>)['group'] !== 'string') throw new Error(`${where}.${name}[${i}]: "group" must be a string`);
    });
  }
}


/** Parses and checks an eval report; `path` names it in errors (a text report is refused with the flag that writes JSON). */
export function parseEvalReport(text: string, path: string): EvalReport {
  if (/^%WER /.test(text)) throw new Error(`${path}: a text report; give the JSON one (sayre eval --json-report FILE)`);
  const v = parseJsonObject(text, path);
  if (v['format'] !== EVAL_REPORT_FORMAT) throw new Error(`${path}: "format" is ${JSON.stringify(v['format'])}, not ${EVAL_REPORT_FORMAT} (made by sayre eval --json-report)`);
  if (v['input'] !== 'speech' && v['input'] !== 'lines') throw new Error(`${path}: "input" must be "speech" or "lines"`);
  const d = v['decoding'];
  if (!isObject(d) || (d['search'] !== 'greedy' && d['search'] !== 'beam') || typeof d['text'] !== 'string') {
    throw new Error(`${path}: "decoding" must say {"search": "greedy" | "beam", "text"}`);
  }
  checkRow(v['total'], `${path}: total`);
  checkGroups(v['groups'], `${path}: groups`);
  return v as unknown as EvalReport;
}

/** Parses and checks a lines bench result; `path` names it in errors. */
export function parseLinesBench(text: string, path: string): LinesBench {
  const v = parseJsonObject(text, path);
  if (v['format'] !== LINES_BENCH_FORMAT) throw new Error(`${path}: "format" is ${JSON.stringify(v['format'])}, not ${LINES_BENCH_FORMAT} (made by SAYRE_LINES_JSON=FILE npm run bench -- lines)`);
  const systems = v['systems'];
  if (!isObject(systems)) throw new Error(`${path}: "systems" must be an object`);
  for (const [name, s] of Object.entries(systems)) {
    if (!isObject(s)) throw new Error(`${path}: systems.${name} must be an object`);
    checkRow(s['total'], `${path}: systems.${name}.total`);
    checkGroups(s['groups'], `${path}: systems.${name}.groups`);
  }
  if (!Array.isArray(v['handwritingFamilies'])) throw new Error(`${path}: "handwritingFamilies" must be an array`);
  return v as unknown as LinesBench;
}

/** A scored set as metrics gives it (CorpusScore, GroupScore have this shape). */
interface ScoredSet {
  words: EditCounts;
  chars: EditCounts;
  wer: number;
  cer: number;
}

const rate = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Counts without anything else a caller's object carries (alignments). */
const counts = (c: EditCounts): EditCounts => {
  const { hits, substitutions, deletions, insertions, errors, refLength, hypLength } = c;
  return { hits, substitutions, deletions, insertions, errors, refLength, hypLength };
};

/** A score row of `s` over `utterances` items (infinite rates, from empty references, become null). */
export function scoreRow(s: ScoredSet, utterances: number): ScoreRow {
  return { utterances, words: counts(s.words), chars: counts(s.chars), wer: rate(s.wer), cer: rate(s.cer) };
}

/** Per-group tables as rows (metrics' GroupScore tables fit). */
export function groupRows(groups: Record<string, readonly (ScoredSet & { group: string; utterances: number })[]>): Record<string, GroupRow[]> {
  return Object.fromEntries(Object.entries(groups).map(([name, rows]) => [name, rows.map((g) => ({ group: g.group, ...scoreRow(g, g.utterances) }))]));
}

/** The eval report of a run: `score` is the corpus score (metrics' CorpusScore fits). */
export function evalReport(parts: Omit<EvalReport, 'format' | 'date' | 'total' | 'groups'> & {
  score: ScoredSet & { utterances: readonly unknown[] };
  groups: Record<string, readonly (ScoredSet & { group: string; utterances: number })[]>;
  date?: Date;
}): EvalReport {
  const { score, groups, date, ...rest } = parts;
  return {
    format: EVAL_REPORT_FORMAT, date: (date ?? new Date()).toISOString(), ...rest,
    total: scoreRow(score, score.utterances.length), groups: groupRows(groups),
  };
}
