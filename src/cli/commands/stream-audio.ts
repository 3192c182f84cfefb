/**
 * Live transcription in the CLI: `sayre transcribe --stream FILE...` feeds audio files (any
 * format sayre decodes) in chunks (as fast as the machine allows, or in real time with
 * --realtime), `sayre listen` the microphone through arecord or sox; both print partials
 * and finals, or NDJSON events with --json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AudioChunk } from '../../audio/audio-stream.js';
import { decodeAudioBytes, openAudio } from '../../audio/read-audio.js';
import type { Recognizer } from '../../recognizer/recognizer.js';
import type { StreamOptions } from '../../recognizer/recognizer-stream.js';
import { type StreamEvent, StreamSession } from '../../recognizer/stream-session.js';

/** How streamed events are printed. */
export interface StreamPrintOptions {
  json?: boolean;
  /** Prefix of each line (the file's name when there are several). */
  label?: string;
}

/**
 * Prints events: NDJSON, or for a terminal the partial rewritten in place (\r) and each
 * final on its own line; elsewhere (a pipe) finals only, so that the output is the transcript.
 */
export function printEvents(events: readonly StreamEvent[], o: StreamPrintOptions): void {
  const tty = process.stdout.isTTY === true;
  for (const e of events) {
    if (o.json) {
      process.stdout.write(`${JSON.stringify(o.label ? { file: o.label, ...e } : e)}\n`);
    } else if (e.type === 'final') {
      process.stdout.write(`${tty ? '\r\x1b[K' : ''}${o.label ? `${o.label}\t` : ''}${e.text}\n`);
    } else if (tty) {
      process.stdout.write(`\r\x1b[K${e.text}`);
    }
  }
}

/** Checks --chunk-ms (milliseconds of audio per chunk). */
export function chunkMs(value: string): number {
  const x = Number(value);
  if (!Number.isFinite(x) || x < 1 || x > 10000) throw new Error(`--chunk-ms must be a number of milliseconds in [1, 10000], got ${value}`);
  return x;
}

/**
 * Streams one audio file (any format sayre decodes: WAV, MP3, FLAC, Ogg, WebM; others
 * through ffmpeg), or such a file's bytes named `name`, decoded a piece at a time, through a
 * new session in chunks of `ms` milliseconds; prints as it goes.
 */
export async function streamFile(
  rec: Recognizer, source: string | Uint8Array, name: string, o: StreamPrintOptions & { chunkMs: number; realtime?: boolean; stream?: StreamOptions },
): Promise<void> {
  const chunks = typeof source === 'string' ? (await openAudio(source)).chunks : decodeAudioBytes(source, name);
  const session = new StreamSession(rec, o.stream);
  const start = performance.now();
  let fed = 0;
  for await (const { samples, sampleRate } of rechunk(chunks, o.chunkMs / 1000)) {
    if (o.realtime) {
      // keep to the audio's clock: a chunk is due when the audio before it has played
      const due = start + (fed / sampleRate) * 1000 - performance.now();
      if (due > 0) await sleep(due);
    }
    fed += samples.length;
    printEvents(session.accept(samples, sampleRate), o);
  }
  printEvents(session.end(), o);
}

/** Decoded pieces of any size cut into chunks of `seconds` (the last may be shorter). */
async function* rechunk(pieces: AsyncIterable<AudioChunk>, seconds: number): AsyncGenerator<{ samples: Float32Array; sampleRate: number }> {
  let carry = new Float32Array(0);
  let rate = 0;
  for await (const piece of pieces) {
    rate = piece.sampleRate;
    const n = Math.max(1, Math.round(seconds * rate));
    let data = piece.samples;
    if (carry.length > 0) {
      data = new Float32Array(carry.length + piece.samples.length);
      data.set(carry);
      data.set(piece.samples, carry.length);
    }
    let at = 0;
    for (; at + n <= data.length; at += n) yield { samples: data.subarray(at, at + n), sampleRate: rate };
    carry = data.slice(at);
  }
  if (carry.length > 0) yield { samples: carry, sampleRate: rate };
}

/** A microphone recorder found on this machine: the command and its arguments for raw mono 16-bit PCM on stdout. */
export function microphoneCommand(rate: number): { cmd: string; args: string[] } {
  const have = (cmd: string): boolean => spawnSync(cmd, ['--version'], { stdio: 'ignore' }).error === undefined;
  if (have('arecord')) return { cmd: 'arecord', args: ['-q', '-t', 'raw', '-f', 'S16_LE', '-c', '1', '-r', String(rate)] };
  if (have('sox')) return { cmd: 'sox', args: ['-q', '-d', '-t', 'raw', '-e', 'signed-integer', '-b', '16', '-c', '1', '-r', String(rate), '-'] };
  throw new Error('sayre listen needs a microphone recorder: neither arecord (Debian: alsa-utils) nor sox (Debian: sox) is on the PATH');
}

/**
 * Transcribes the microphone until the recorder ends or the process is interrupted (then
 * the last utterance's final is printed).
 */
export async function listen(rec: Recognizer, o: StreamPrintOptions & { stream?: StreamOptions }): Promise<void> {
  const rate = rec.sampleRate;
  const { cmd, args } = microphoneCommand(rate);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const session = new StreamSession(rec, o.stream);
  const stop = (): void => { child.kill('SIGTERM'); };
  process.once('SIGINT', stop);
  let carry: Buffer = Buffer.alloc(0);
  try {
    for await (const data of child.stdout as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, data]) : data;
      const whole = bytes.length & ~1;
      const samples = new Float32Array(whole / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(2 * i) / 32768;
      carry = bytes.subarray(whole);
      printEvents(session.accept(samples, rate), o);
    }
    const code = await new Promise<number | null>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
      else child.once('close', resolve);
    });
    if (code !== 0 && code !== null) throw new Error(`${cmd} failed (exit ${code}): ${stderr.trim() || 'no message'}`);
  } finally {
    process.off('SIGINT', stop);
  }
  printEvents(session.end(), o);
}
