/** Small fabricated audio for the importer tests: tones of known length, converted by sox or ffmpeg where they are installed. */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeWav } from '../../../src/audio/wav-write.js';
import { haveCommand } from '../../helpers/have-command.js';

export const HAVE_SOX = haveCommand('sox', ['--version']);
export const HAVE_FFMPEG = haveCommand('ffmpeg', ['-version']) && haveCommand('ffprobe', ['-version']);

/** Writes a 16-bit WAV of `samples` samples of a tone at `rate` to `path`. */
export function toneWav(path: string, samples: number, rate = 16000): void {
  mkdirSync(dirname(path), { recursive: true });
  writeWav(path, Float32Array.from({ length: samples }, (_, i) => 0.3 * Math.sin(i * 0.07) + 0.05 * Math.sin(i * 0.31)), rate);
}

/** Converts a WAV with sox (format from the extension). */
export function soxConvert(wav: string, out: string): void {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('sox', [wav, out], { stdio: 'ignore' });
}

/** Converts a WAV with ffmpeg (extra arguments choose the codec). */
export function ffmpegConvert(wav: string, out: string, args: string[] = []): void {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('ffmpeg', ['-loglevel', 'error', '-y', '-i', wav, ...args, out], { stdio: 'ignore' });
}

/** ffprobe's reading of a file's duration in seconds. */
export function ffprobeSeconds(path: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', path], { encoding: 'utf8' }).trim());
}
