/**
 * Speech audio for the audio-format and long-audio tests, built from the bundled samples
 * at test time (no audio blobs in the repository), and encoders run through sox/ffmpeg.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resample } from '../../src/audio/resample.js';
import { readWav } from '../../src/audio/wav-read.js';
import { repoRoot } from './fixtures.js';
import { haveCommand } from './have-command.js';

/** The bundled samples/*.wav with their texts. */
export const SAMPLE_CLIPS: { path: string; text: string }[] = readFileSync(join(repoRoot, 'samples', 'samples.jsonl'), 'utf8').trim().split('\n')
  .map((l) => JSON.parse(l) as { audio: string; text: string })
  .map((e) => ({ path: join(repoRoot, 'samples', e.audio), text: e.text }));

/** Why `program` cannot run here (a test's skip reason), or undefined when it can. */
export function programMissing(program: 'sox' | 'ffmpeg'): string | undefined {
  return haveCommand(program, [program === 'sox' ? '--version' : '-version']) ? undefined : `${program} is not installed`;
}

/** Runs ffmpeg quietly: `ffmpeg -y -i input ...args output`. */
export function ffmpeg(input: string, output: string, ...args: string[]): void {
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', input, ...args, output], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Runs sox: `sox input ...args output` (args may hold output options and effects). */
export function sox(input: string, output: string, ...args: string[]): void {
  execFileSync('sox', [input, output, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Where each clip lies in a long recording (seconds) and what it says. */
export interface PlacedClip {
  start: number;
  end: number;
  text: string;
}

/**
 * At least `seconds` of speech at `rate` Hz: the sample clips in turn, with silences of
 * 0.6 to 1.5 s between them (varied, so that cuts cannot line up by chance), a little
 * noise under everything so that the pauses are not digital silence.
 */
export function longSpeech(seconds: number, rate = 16000): { samples: Float32Array; clips: PlacedClip[] } {
  const clips = SAMPLE_CLIPS.map((c) => {
    const a = readWav(c.path);
    return { samples: a.sampleRate === rate ? a.samples : resample(a.samples, a.sampleRate, rate), text: c.text };
  });
  const out = new Float32Array(Math.ceil((seconds + 10) * rate));
  const placed: PlacedClip[] = [];
  let at = Math.round(0.5 * rate);
  for (let k = 0; at / rate < seconds; k++) {
    const c = clips[k % clips.length]!;
    out.set(c.samples, at);
    placed.push({ start: at / rate, end: (at + c.samples.length) / rate, text: c.text });
    at += c.samples.length + Math.round((0.6 + ((k * 7) % 10) / 10) * rate);
  }
  const samples = out.subarray(0, at);
  // Deterministic noise at about -66 dBFS.
  let seed = 12345;
  for (let i = 0; i < samples.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    samples[i]! += ((seed / 2 ** 32) - 0.5) * 0.0017;
  }
  return { samples, clips: placed };
}
