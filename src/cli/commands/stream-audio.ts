/**
 * Live transcription in the CLI: `sayre transcribe --stream FILE...` feeds files in chunks
 * (as fast as the machine allows, or in real time with --realtime), `sayre listen` the
 * microphone through arecord or sox; both print partials and finals, or NDJSON events with
 * --json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { readWav } from '../../audio/wav-read.js';
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

/** Streams one WAV file through a new session in chunks of `ms` milliseconds; prints as it goes. */
export async function streamFile(
  rec: Recognizer, file: string, o: StreamPrintOptions & { chunkMs: number; realtime?: boolean; stream?: StreamOptions },
): Promise<void> {
  const audio = readWav(file);
  const session = new StreamSession(rec, o.stream);
  const n = Math.max(1, Math.round((o.chunkMs / 1000) * audio.sampleRate));
  const start = performance.now();
  for (let at = 0; at < audio.samples.length; at += n) {
    if (o.realtime) {
      // keep to the audio's clock: chunk k is due k chunks after the start
      const due = start + (at / audio.sampleRate) * 1000 - performance.now();
      if (due > 0) await sleep(due);
    }
    printEvents(session.accept(audio.samples.subarray(at, at + n), audio.sampleRate), o);
  }
  printEvents(session.end(), o);
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
