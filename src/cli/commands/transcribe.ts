import type { Command } from 'commander';
import { Recognizer } from '../../recognizer/recognizer.js';
import { addDecoderFlags, type DecoderFlags, decoderFromFlags } from './decoder-flags.js';
import { eachFile } from '../each-file.js';
import { checkInputKind, commandModel, transcribeLineFiles } from './line-model.js';

/** `sayre transcribe`: text of WAV files, or of text-line images with a text-line model (with --json: tokens, word timings, confidence). */
export function registerTranscribe(program: Command): void {
  addDecoderFlags(program.command('transcribe'))
    .description('transcribe WAV files (any sample rate) with the bundled English model or --model; PNG/JPEG images of text lines with --model text-lines')
    .argument('<files...>', 'WAV files (PNG/JPEG line images for a text-line model)')
    .option('--model <dir|name>', 'model directory or bundled model name: english, text-lines (default: english)')
    .option('--json', 'one JSON object per file: text, words with start/end seconds, tokens, confidence')
    .action((files: string[], o: { model?: string; json?: boolean } & DecoderFlags) => {
      const { dir, lines } = commandModel(o.model);
      if (lines) return transcribeLineFiles(files, dir!, o);
      const rec = Recognizer.load(dir);
      const decoding = decoderFromFlags(rec, o);
      eachFile(files, (file) => {
        checkInputKind(file, false, o.model);
        const t = rec.transcribeFile(file, decoding);
        if (o.json) {
          console.log(JSON.stringify({
            file, text: t.text, confidence: round(t.confidence), duration: round(t.duration),
            words: t.words.map((w) => ({ word: w.word, start: w.start, end: w.end, confidence: round(w.confidence) })),
            tokens: t.tokenTimings.map((k) => ({ token: k.token, start: k.start, end: k.end, confidence: round(k.confidence) })),
            ...(t.alternatives ? { alternatives: t.alternatives.map((a) => ({ text: a.text, score: round(a.score) })) } : {}),
          }));
        } else {
          console.log(files.length > 1 ? `${file}\t${t.text}` : t.text);
        }
      });
    });
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
