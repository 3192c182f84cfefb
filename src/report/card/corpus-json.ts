/**
 * The corpus.json files a card reads, checked: `sayre corpus tts` (voices, speakers,
 * hours per split, text sources) and `sayre corpus lines` (fonts per split, counts,
 * texts). Declared here by shape: the report floor does not import the corpus builders.
 */
import { isObject, parseJsonObject } from '../json-object.js';

/** A voice as `sayre corpus tts` records it. */
export interface CorpusVoice {
  id: string;
  speaker: string;
  sex: string;
  synthesis: string;
  package: string;
  licence: string;
}

/** Hours and utterances of a split or voice group. */
export interface CorpusRow {
  utterances: number;
  hours: number;
  augmented: number;
}

/** corpus.json of `sayre corpus tts`. */
export interface TtsCorpusJson {
  kind: 'tts';
  status: string;
  plan?: { seed?: number; heldOutSpeakers?: Record<string, string[]> };
  hours?: number;
  heldOutVariants?: string[];
  heldOutSpeakers: Record<string, string[]>;
  voices: CorpusVoice[];
  espeakFormantVoices: number;
  skippedVoices: { id: string; package: string; note?: string }[];
  text?: { sources?: Record<string, number>; heldOutTextSource?: string | null; skippedSources?: unknown[]; maxPerSource?: number };
  /** A `--extend` build: the corpus it extends and what it left out. */
  extends?: { corpus: string; utterances: number; dropped: { text: number; variant: number; speaker: number } };
  summary: {
    splits: Record<string, CorpusRow>;
    /** voice group -> split -> row */
    voices: Record<string, Record<string, CorpusRow>>;
    distinctVoices: Record<string, number>;
    speakers: Record<string, string[]>;
  };
}

/** corpus.json of `sayre corpus lines`. */
export interface LinesCorpusJson {
  kind: 'lines';
  seed?: number;
  lines?: number;
  augmentation?: string;
  handwritingShare?: number | null;
  counts: Record<string, number>;
  /** split -> font families rendered in it */
  fonts: Record<string, string[]>;
  candidateTexts?: number;
  heldOutTexts?: number;
  /** Every family of every split, sorted. */
  families: string[];
  /** A `--extend` build: the corpus it extends and what it left out. */
  extends?: { corpus: string; lines: number; dropped: { text: number; family: number } };
}

/** Either kind. */
export type CardCorpus = TtsCorpusJson | LinesCorpusJson;


function parseTts(v: Record<string, unknown>, path: string): TtsCorpusJson {
  const status = String(v['status'] ?? 'unknown');
  const summary = v['summary'];
  if (!isObject(summary) || !isObject(summary['splits']) || !isObject(summary['speakers']) || !isObject(summary['voices'])) {
    throw new Error(`${path}: the corpus build has not finished (status "${status}"; no "summary" of hours and speakers per split yet): `
      + 'rerun its sayre corpus tts command until it completes');
  }
  const voices = v['voices'];
  if (!Array.isArray(voices) || voices.some((x) => !isObject(x) || typeof x['id'] !== 'string' || typeof x['speaker'] !== 'string' || typeof x['licence'] !== 'string')) {
    throw new Error(`${path}: "voices" must list {"id", "speaker", "sex", "synthesis", "package", "licence"}`);
  }
  const plan = isObject(v['plan']) ? v['plan'] : {};
  const heldOut = v['heldOutSpeakers'] ?? plan['heldOutSpeakers'];
  return {
    ...(v as object), kind: 'tts', status, voices: voices as CorpusVoice[], espeakFormantVoices: Number(v['espeakFormantVoices'] ?? 0),
    heldOutSpeakers: isObject(heldOut) ? (heldOut as Record<string, string[]>) : {},
    skippedVoices: Array.isArray(v['skippedVoices']) ? (v['skippedVoices'] as TtsCorpusJson['skippedVoices']) : [],
    summary: summary as TtsCorpusJson['summary'],
  } as TtsCorpusJson;
}

function parseLines(v: Record<string, unknown>, path: string): LinesCorpusJson {
  const fonts = v['fonts'], counts = v['counts'];
  if (!isObject(fonts) || Object.values(fonts).some((f) => !Array.isArray(f))) throw new Error(`${path}: "fonts" must map each split to its font families`);
  if (!isObject(counts)) throw new Error(`${path}: "counts" must give the lines of each split`);
  const families = [...new Set(Object.values(fonts as Record<string, string[]>).flat())].sort();
  return { ...(v as object), kind: 'lines', fonts: fonts as Record<string, string[]>, counts: counts as Record<string, number>, families } as LinesCorpusJson;
}

/** Parses a corpus.json of either kind; `path` names it in errors. */
export function parseCorpus(text: string, path: string): CardCorpus {
  const v = parseJsonObject(text, path);
  if (v['kind'] === 'sayre.lines-corpus/1') return parseLines(v, path);
  if (Array.isArray(v['voices'])) return parseTts(v, path);
  throw new Error(`${path}: neither a corpus.json of sayre corpus tts ("voices") nor of sayre corpus lines ("kind": "sayre.lines-corpus/1")`);
}
