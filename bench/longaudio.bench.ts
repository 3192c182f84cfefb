/**
 * Long audio and audio formats.
 * 1. A 60-minute recording (the sample clips with pauses, as the tests build it):
 *    `Recognizer.transcribeLong` on the file (decode, VAD segments, one at a time) beside
 *    the same audio cut at the clips' known boundaries and transcribed utterance by
 *    utterance; real-time factor and peak resident memory, each in a fresh process.
 * 2. Decoder throughput of each format (10 minutes of the same audio, made by ffmpeg):
 *    seconds of audio decoded per second, beside ffmpeg decoding the same file to PCM.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeAudioStream } from '../src/audio/audio-stream.js';
import { readWav } from '../src/audio/wav-read.js';
import { writeWav } from '../src/audio/wav-write.js';
import { bundledModelDir } from '../src/recognizer/default-model.js';
import { Recognizer } from '../src/recognizer/recognizer.js';
import { longSpeech, programMissing } from '../test/helpers/speech-audio.js';

const self = fileURLToPath(import.meta.url);
const [mode, file, clipsFile] = process.argv.slice(2);

/** Child: one measurement, printed as a JSON line. */
async function child(): Promise<void> {
  const rec = Recognizer.load();
  const t0 = performance.now();
  let text: string;
  if (mode === 'long') {
    text = (await rec.transcribeLong(file!)).text;
  } else {
    const audio = readWav(file!);
    const clips = JSON.parse(readFileSync(clipsFile!, 'utf8')) as { start: number; end: number }[];
    text = clips.map((c) => rec.transcribe(audio.samples.subarray(Math.round(c.start * audio.sampleRate), Math.round(c.end * audio.sampleRate)), audio.sampleRate).text).join(' ');
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, chars: text.length }));
}

function measure(m: string, wav: string, clips: string): { seconds: number; maxRssMiB: number; chars: number } {
  const r = spawnSync(process.execPath, [self, m, wav, clips], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${m}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as { seconds: number; maxRssMiB: number; chars: number };
}

async function decodeSeconds(path: string): Promise<{ seconds: number; audio: number }> {
  const bytes = readFileSync(path);
  let best = Infinity;
  let audio = 0;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    audio = 0;
    for await (const c of decodeAudioStream(bytes, path)) audio += c.samples.length / c.sampleRate;
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, audio };
}

function ffmpegSeconds(path: string): number {
  let best = Infinity;
  for (let pass = 0; pass < 3; pass++) {
    const t0 = performance.now();
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-threads', '1', '-i', path, '-ac', '1', '-f', 'f32le', '-y', '/dev/null']);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return best;
}

async function main(): Promise<void> {
  if (!existsSync(join(bundledModelDir(), 'config.json'))) {
    console.log('no bundled model: nothing to measure');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'sayre-bench-long-'));
  try {
    const { samples, clips } = longSpeech(3600);
    const hour = join(dir, 'hour.wav');
    writeWav(hour, samples, 16000);
    const clipsFile = join(dir, 'clips.json');
    writeFileSync(clipsFile, JSON.stringify(clips));
    const audio = samples.length / 16000;
    console.log(`${(audio / 60).toFixed(1)} minutes of speech (${clips.length} clips with pauses), 16 kHz 16-bit WAV of ${(readFileSync(hour).length / 2 ** 20).toFixed(0)} MiB; machine shared, figures noisy`);
    for (const m of ['long', 'utterances'] as const) {
      const r = measure(m, hour, clipsFile);
      const what = m === 'long' ? 'transcribeLong (file, VAD segments)' : 'cut at the clips, one by one     ';
      console.log(`${what}: real-time factor ${(r.seconds / audio).toFixed(4)} (${r.seconds.toFixed(1)} s), peak RSS ${r.maxRssMiB.toFixed(0)} MiB`);
    }
    // Bounded memory: a sixth of the audio should not take a sixth of the memory.
    const ten = join(dir, 'ten.wav');
    writeWav(ten, samples.subarray(0, 600 * 16000), 16000);
    const short = measure('long', ten, clipsFile);
    console.log(`transcribeLong on the first 10 minutes: peak RSS ${short.maxRssMiB.toFixed(0)} MiB (GC timing moves these peaks by tens of MiB on a loaded machine)`);
    const noFfmpeg = programMissing('ffmpeg');
    if (noFfmpeg) {
      console.log(`decoder throughput: skipped (${noFfmpeg})`);
      return;
    }
    const formats: [string, string, string[]][] = [
      ['WAV', 'ten.wav', []],
      ['FLAC', 'ten.flac', []],
      ['MP3 64k', 'ten.mp3', ['-c:a', 'libmp3lame', '-b:a', '64k']],
      ['Ogg Vorbis', 'ten.ogg', ['-c:a', 'libvorbis']],
      ['Ogg Opus 32k', 'ten.opus', ['-c:a', 'libopus', '-b:a', '32k']],
      ['WebM/Opus 32k', 'ten.webm', ['-c:a', 'libopus', '-b:a', '32k']],
    ];
    console.log('decoder throughput, 10 minutes of audio (x real time: seconds of audio per second; best of 3; ffmpeg -threads 1 to PCM as the peer):');
    for (const [name, out, args] of formats) {
      const path = join(dir, out);
      if (out !== 'ten.wav') execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', ten, ...args, path]);
      const d = await decodeSeconds(path);
      const f = ffmpegSeconds(path);
      console.log(`  ${name.padEnd(14)} sayre ${(d.audio / d.seconds).toFixed(0).padStart(5)}x   ffmpeg ${(d.audio / f).toFixed(0).padStart(5)}x   (${(d.seconds / f).toFixed(2)}x ffmpeg's time)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await (mode ? child() : main());
