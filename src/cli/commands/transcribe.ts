import type { Command } from 'commander';
import { statSync } from 'node:fs';
import { Recognizer } from '../../recognizer/recognizer.js';
import { num } from '../number-option.js';
import { addBackendFlag, backendFromFlag } from '../backend-flag.js';
import { startProgress } from '../../report/progress.js';
import type { Progress } from '../../util/progress.js';
import { addDecoderFlags, type DecoderFlags, decoderFromFlags } from './decoder-flags.js';
import { eachFile, inputSource } from '../each-file.js';
import { defaultStreamingModelDir } from '../../recognizer/default-model.js';
import { checkInputKind, commandModel, transcribeLineFiles } from './line-model.js';
import { formatTranscript, TRANSCRIPT_FORMATS, type TranscriptFormat } from './transcript-output.js';
import { chunkMs, streamFile } from './stream-audio.js';

interface TranscribeFlags extends DecoderFlags {
  model?: string;
  backend?: string;
  json?: boolean;
  format: string;
  maxSegmentSeconds: number;
  stream?: boolean;
  chunkMs: number;
  realtime?: boolean;
}

/** `sayre transcribe`: text of audio files of any length (or of text-line images with a text-line model), as text, JSON lines, SRT or VTT. */
export function registerTranscribe(program: Command): void {
  addBackendFlag(addDecoderFlags(program.command('transcribe')))
    .description('transcribe audio files of any length (WAV, MP3, FLAC, Ogg Vorbis/Opus, WebM/Opus; others with ffmpeg) with the bundled English model or --model; images of text lines (PNG, JPEG; WebP, GIF, BMP, TIFF with ffmpeg) with --model text-lines')
    .argument('<files...>', 'audio files (line images for a text-line model); - reads standard input')
    .option('--model <dir|name>', 'model directory or bundled model name: english, english-streaming, text-lines (default: english; with --stream, english-streaming where it is installed)')
    .option('--format <format>', `output: ${TRANSCRIPT_FORMATS.join(', ')} (srt/vtt: subtitles of one file)`, 'text')
    .option('--json', 'same as --format json: one JSON object per file (text, words and tokens with times, segments); with --stream, NDJSON events')
    .option('--max-segment-seconds <s>', 'long audio is cut at pauses into segments of at most this many seconds, decoded one by one', num('--max-segment-seconds', (v) => v >= 1), 20)
    .option('--stream', 'feed the files (any audio format above) in chunks as live audio: partial results as they come, a final at each endpoint')
    .option('--chunk-ms <ms>', 'with --stream: milliseconds of audio per chunk (default 100)', chunkMs, 100)
    .option('--realtime', 'with --stream: feed the chunks at the audio\'s own pace rather than as fast as possible')
    .action(async (files: string[], o: TranscribeFlags) => {
      if (files.filter((f) => f === '-').length > 1) throw new Error('- (standard input) can be read once');
      const format = (o.json ? 'json' : o.format) as TranscriptFormat;
      if (!TRANSCRIPT_FORMATS.includes(format)) throw new Error(`--format must be one of ${TRANSCRIPT_FORMATS.join(', ')}, got ${JSON.stringify(o.format)}`);
      // A live stream reads best with a streaming model: the bundled one unless --model names another.
      const { dir, lines } = commandModel(o.model ?? (o.stream ? defaultStreamingModelDir() : undefined));
      if (lines && (format === 'srt' || format === 'vtt')) throw new Error(`--format ${format} needs speech; a text-line model reads images`);
      const backend = await backendFromFlag(o.backend);
      if (lines) return transcribeLineFiles(files, dir!, { ...o, json: format === 'json' }, backend);
      if ((format === 'srt' || format === 'vtt') && files.length > 1) throw new Error(`--format ${format} writes the subtitles of one file; got ${files.length} files`);
      if (backend?.onDevice && o.stream) throw new Error(`--backend ${backend.name}: --stream runs on the CPU backends only, yet`);
      const rec = Recognizer.load(dir, backend ? { backend } : {});
      const decoding = decoderFromFlags(rec, o);
      if (o.stream) {
        for (const file of files) {
          const source = await inputSource(file);
          checkInputKind(file, false, o.model, source);
          await streamFile(rec, source, file, { json: o.json, chunkMs: o.chunkMs, realtime: o.realtime, label: files.length > 1 ? file : undefined, stream: { decoder: decoding.decoder } });
        }
        return;
      }
      if (o.realtime) throw new Error('--realtime needs --stream');
      await eachFile(files, async (file) => {
        const source = await inputSource(file);
        checkInputKind(file, false, o.model, source);
        const total = typeof source === 'string' ? fileBytes(source) : source.length;
        let progress: Progress | undefined;
        try {
          const t = await rec.transcribeLong(source, {
            ...decoding, maxSegmentSeconds: o.maxSegmentSeconds, name: file,
            // A file longer than one segment is long: it gets a progress bar (on stderr), in bytes read.
            onProgress: (read) => {
              if (!progress && read < total) progress = startProgress({ total, unit: 'B', label: file });
              progress?.update(read);
            },
          });
          process.stdout.write(formatTranscript(format, file, t, files.length > 1));
        } finally {
          progress?.stop();
        }
      });
    });
}

function fileBytes(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0; // the reader says why
  }
}
