/**
 * The text-line side of `sayre transcribe` and `sayre eval`: a CRNN model directory reads
 * images of text lines (and line manifests), a speech model audio; each is
 * refused the other's input with an error that says which model to use. A text-line model
 * decodes with its directory's LM unless --no-lm or --lm FILE say otherwise.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { Backend } from '../../backend/index.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { readLineManifest } from '../../data/lines/lines-manifest.js';
import { readImage, readImageBytes, sniffImageFormat } from '../../image/decode-image.js';
import { detectAudioFormat, FORMAT_NAMES } from '../../audio/audio-format.js';
import { isRegularFile } from '../../util/ffmpeg-input.js';
import { scoreTranscripts } from '../../metrics/error-rate.js';
import { formatScoreReport, formatScoreSummary, scoreReportJsonl } from '../../metrics/report.js';
import { resolveModelDir } from '../../recognizer/default-model.js';
import { isLineModelDir } from '../../model/io/line-model-dir.js';
import { LineRecognizer, NotOneLineError } from '../../recognizer/line-recognizer.js';
import { eachFile, inputSource } from '../each-file.js';
import { startProgress } from '../../report/progress.js';
import type { DecoderFlags } from './decoder-flags.js';
import { handwritingFamilies, lineScoreGroups } from '../../metrics/line-groups.js';
import { evalReport } from '../../report/eval-report.js';

/** A command's --model: its directory (undefined: the bundled English model) and whether it reads line images. */
export function commandModel(model: string | undefined): { dir: string | undefined; lines: boolean } {
  const dir = model === undefined ? undefined : resolveModelDir(model);
  return { dir, lines: dir !== undefined && isLineModelDir(dir) };
}

/** The first `bytes` bytes of a file (fewer if it is shorter), or null when it cannot be read (the reader says why). */
function head(path: string, bytes: number): Uint8Array | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const buf = new Uint8Array(bytes);
    return buf.subarray(0, readSync(fd, buf, 0, bytes, null));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** What an input holds, by its first bytes: "image", audio of a named format, or undefined (also for a pipe, whose bytes only its reader may take). */
function inputKind(source: string | Uint8Array): 'image' | { audio: string } | undefined {
  if (typeof source === 'string' && !isRegularFile(source)) return undefined;
  // enough for an ID3 tag's length and the Ogg page that names its codec
  const b = typeof source === 'string' ? head(source, 512) : source.subarray(0, 512);
  if (!b) return undefined;
  if (sniffImageFormat(b)) return 'image';
  const audio = detectAudioFormat(b);
  return audio ? { audio: FORMAT_NAMES[audio] } : undefined;
}

/** Throws when `file` (read as `source`: its path, or bytes) is an input the model cannot read: an image for a speech model, audio for a text-line model. */
export function checkInputKind(file: string, lines: boolean, model: string | undefined, source: string | Uint8Array = file): void {
  const kind = inputKind(source);
  const name = model ?? 'the bundled English model';
  if (!lines && kind === 'image') throw new Error(`${file}: an image, but ${name} is a speech model (it reads audio); for images of text lines use --model text-lines`);
  if (lines && typeof kind === 'object') throw new Error(`${file}: ${kind.audio} audio, but ${name} is a text-line model (it reads images); for speech use --model english`);
}

/** Throws when a manifest lists the other kind of input than the model reads (by its first entry). */
export function checkManifestKind(manifest: string, lines: boolean, model: string | undefined): void {
  let first: Record<string, unknown> | undefined;
  try {
    // The first 64 KiB are enough for the first entry (the manifest may be endless: its reader bounds it).
    const line = Buffer.from(head(manifest, 1 << 16) ?? []).toString('utf8').split('\n').find((l) => l.trim() !== '');
    first = line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    return; // the manifest reader says what is wrong
  }
  const name = model ?? 'the bundled English model';
  if (!lines && first && 'image' in first && !('audio' in first)) throw new Error(`${manifest}: a text-line manifest ("image" entries), but ${name} is a speech model; use --model text-lines`);
  if (lines && first && 'audio' in first && !('image' in first)) throw new Error(`${manifest}: a speech manifest ("audio" entries), but ${name} is a text-line model; use --model english`);
}

/** The line recogniser of `dir` decoding as the flags say (by default with the directory's own LM). */
function lineRecognizer(dir: string, f: DecoderFlags, backend?: Backend): LineRecognizer {
  if (f.rnntSearch) throw new Error('--rnnt-search applies to RNN-T models; this is a text-line (CTC) model');
  return LineRecognizer.load(dir, { lm: f.lm, alpha: f.alpha, beta: f.beta, labelBonus: f.labelBonus, beamWidth: f.beam, hotwords: f.hotwords, nBest: f.nbest, ...(backend ? { backend } : {}) });
}

const round = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * `sayre transcribe` with a text-line model: the text of each image, line by line when it
 * holds several (with several files, each line as `FILE<tab>TEXT`); with --json one object
 * per file: the text, its lines' rows, and words and tokens with x positions in pixels and
 * the line they are on. On `backend` (webgpu included) or the default one.
 */
export function transcribeLineFiles(files: readonly string[], dir: string, o: { model?: string; json?: boolean } & DecoderFlags, backend?: Backend): Promise<void> {
  const rec = lineRecognizer(dir, o, backend);
  return eachFile(files, async (file) => {
    const source = await inputSource(file);
    checkInputKind(file, true, o.model, source);
    const page = typeof source === 'string' ? await rec.transcribePageFileAsync(source) : await rec.transcribePageAsync(readImageBytes(source, file), file);
    if (o.json) {
      console.log(JSON.stringify({
        file, text: page.text, confidence: round(Math.min(1, ...page.lines.map((l) => l.confidence))), width: page.width,
        lines: page.lines.map((l) => ({ text: l.text, top: l.top, bottom: l.bottom, confidence: round(l.confidence) })),
        words: page.lines.flatMap((l, line) => l.words.map((w) => ({ word: w.word, left: w.start, right: w.end, line, confidence: round(w.confidence) }))),
        tokens: page.lines.flatMap((l, line) => l.tokenTimings.map((k) => ({ token: k.token, left: k.start, right: k.end, line, confidence: round(k.confidence) }))),
      }));
    } else if (files.length > 1) {
      for (const line of page.lines.length ? page.lines : [{ text: '' }]) console.log(`${file}\t${line.text}`);
    } else {
      console.log(page.text);
    }
  });
}

/** The flags of `sayre eval`. */
export interface EvalFlags extends DecoderFlags { manifest: string; model?: string; report: string; jsonl?: string; jsonReport?: string; backend?: string }

/** `sayre eval` with a text-line model on a line manifest: CER and WER, a per-line report, lines per second; on `backend` or the default one. */
export async function evalLines(dir: string, o: EvalFlags, backend?: Backend): Promise<void> {
  checkManifestKind(o.manifest, true, o.model);
  const rec = lineRecognizer(dir, o, backend);
  const entries = readLineManifest(o.manifest);
  const progress = startProgress({ total: entries.length, unit: 'lines', label: 'eval' });
  const t0 = performance.now();
  let refused = 0;
  const feats = entries.map((e) => {
    try {
      const f = rec.features(readImage(e.imagePath));
      progress.tick(0.5);
      return f;
    } catch (err) {
      const where = `${o.manifest}:${e.line}`;
      // An image the reader refuses (several lines) is scored as read empty, not the end of the evaluation.
      if (err instanceof NotOneLineError) {
        refused++;
        progress.log(`${where}: not read, scored as empty text: ${err.message}`);
        return undefined;
      }
      throw new Error(`${where}: ${e.imagePath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  });
  // Blank images read as empty text; the others in width-sorted batches.
  const inked = feats.flatMap((f, i) => (f ? [i] : []));
  const read = await rec.transcribeFeaturesAsync(inked.map((i) => feats[i]!));
  const hyps = feats.map(() => ({ text: '' }));
  inked.forEach((i, k) => { hyps[i] = read[k]!; });
  progress.update(entries.length);
  progress.stop();
  const seconds = (performance.now() - t0) / 1000;
  const score = scoreTranscripts(entries.map((e, i) => ({ id: e.image, ref: e.text, hyp: hyps[i]!.text })));
  writeFileAtomic(o.report, formatScoreReport(score));
  if (o.jsonl) writeFileAtomic(o.jsonl, scoreReportJsonl(score));
  if (o.jsonReport) {
    writeFileAtomic(o.jsonReport, `${JSON.stringify(evalReport({
      model: o.model ?? dir, manifest: o.manifest, input: 'lines', decoding: rec.decodingInfo, seconds: Number(seconds.toFixed(2)), score,
      groups: lineScoreGroups(score.utterances, entries), handwritingFamilies: handwritingFamilies(entries),
    }), null, 2)}\n`);
  }
  console.log(formatScoreSummary(score));
  if (refused > 0) console.log(`${refused} of ${entries.length} images not read (not one line of text), scored as empty text`);
  console.log(`${entries.length} lines in ${seconds.toFixed(1)} s (${(entries.length / seconds).toFixed(1)} lines/s); report: ${o.report}`);
}
