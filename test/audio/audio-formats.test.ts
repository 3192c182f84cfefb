/**
 * Every compressed format decodes to the samples of the WAV it was made from (FLAC:
 * exactly; MP3, Vorbis, Opus: the bundled model transcribes them alike), the format is
 * found by content whatever the file's name, and corrupt or truncated files fail with an
 * error that names them. The files are made here by sox and ffmpeg from samples/.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { AudioError } from '../../src/audio/audio-error.js';
import { detectAudioFormat } from '../../src/audio/audio-format.js';
import { decodeAudio } from '../../src/audio/decode-audio.js';
import { openAudio, readAudio } from '../../src/audio/read-audio.js';
import { resample } from '../../src/audio/resample.js';
import { encodeWav } from '../../src/audio/wav-write.js';
import { cer } from '../../src/metrics/error-rate.js';
import { bundledModelDir } from '../../src/recognizer/default-model.js';
import { Recognizer } from '../../src/recognizer/recognizer.js';
import { ffmpeg, programMissing, SAMPLE_CLIPS, sox } from '../helpers/speech-audio.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-formats-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const noFfmpeg = programMissing('ffmpeg');
const noSox = programMissing('sox');
const noModel = existsSync(join(bundledModelDir(), 'config.json')) ? undefined : 'no bundled model';

/** The lossy formats, as ffmpeg makes them: extension and codec arguments. */
const LOSSY: { name: string; ext: string; args: string[]; format: string }[] = [
  { name: 'MP3', ext: 'mp3', args: ['-c:a', 'libmp3lame', '-q:a', '4'], format: 'mp3' },
  { name: 'Ogg Vorbis', ext: 'ogg', args: ['-c:a', 'libvorbis'], format: 'ogg-vorbis' },
  { name: 'Ogg Opus', ext: 'opus', args: ['-c:a', 'libopus', '-b:a', '32k'], format: 'ogg-opus' },
  { name: 'WebM/Opus', ext: 'webm', args: ['-c:a', 'libopus', '-b:a', '32k'], format: 'webm' },
];

/** `file` made by `make` once, under a name that does not give its format away when `disguise` is set. */
function made(name: string, make: (out: string) => void): string {
  const out = join(dir, name);
  if (!existsSync(out)) make(out);
  return out;
}

test('FLAC from sox and from ffmpeg decodes to exactly the WAV\'s samples (mono and stereo)', { skip: noSox ?? noFfmpeg ?? false }, async () => {
  for (const clip of SAMPLE_CLIPS) {
    const wav = await readAudio(clip.path);
    for (const [tool, out] of [['sox', made(`${clip.path.split('/').pop()}.sox.flac`, (o) => sox(clip.path, o))], ['ffmpeg', made(`${clip.path.split('/').pop()}.ff.flac`, (o) => ffmpeg(clip.path, o))]] as const) {
      const flac = await readAudio(out);
      assert.equal(flac.format, 'flac');
      assert.equal(flac.sampleRate, wav.sampleRate, `${tool}: rate`);
      assert.equal(flac.samples.length, wav.samples.length, `${tool} ${clip.path}: every sample, the short last frame too`);
      assert.deepEqual(flac.samples, wav.samples, `${tool} ${clip.path}: lossless`);
    }
  }
  // Two different channels: the mix is the WAV reader's mix.
  const stereoWav = join(dir, 'stereo.wav');
  execFileSync('sox', ['-n', '-r', '16000', '-c', '2', '-b', '16', stereoWav, 'synth', '0.7', 'sine', '300', 'sine', '1234', 'vol', '0.6']);
  const stereoFlac = made('stereo.flac', (o) => sox(stereoWav, o));
  const a = await readAudio(stereoWav);
  const b = await readAudio(stereoFlac);
  assert.equal(b.channels, 2);
  assert.deepEqual(b.samples, a.samples);
});

/** Highest normalised correlation of `a` with `b` over lags of up to `maxLag` samples (the decoders trim encoder delay; this checks they do). */
function alignedCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  let best = { r: -1, lag: 0 };
  for (let lag = -maxLag; lag <= maxLag; lag++) {
    let ab = 0;
    let aa = 0;
    let bb = 0;
    for (let i = maxLag; i < b.length - maxLag; i++) {
      const x = a[i + lag] ?? 0;
      ab += x * b[i]!;
      aa += x * x;
      bb += b[i]! * b[i]!;
    }
    const r = ab / Math.sqrt(aa * bb);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

test('MP3, Ogg Vorbis, Ogg Opus and WebM/Opus decode to the WAV\'s waveform and transcribe like it', { skip: noFfmpeg ?? noModel ?? false }, async () => {
  const rec = Recognizer.load();
  const fromWav = await Promise.all(SAMPLE_CLIPS.map(async (c) => {
    const a = await readAudio(c.path);
    return { text: rec.transcribe(a.samples, a.sampleRate).text, seconds: a.samples.length / a.sampleRate, audio: a };
  }));
  for (const f of LOSSY) {
    const texts: string[] = [];
    for (const [i, clip] of SAMPLE_CLIPS.entries()) {
      const out = made(`${i}.${f.ext}`, (o) => ffmpeg(clip.path, o, ...f.args));
      const a = await readAudio(out);
      assert.equal(a.format, f.format, `${f.name}: detected`);
      // Opus decodes at 48 kHz; MP3 and Vorbis at the file's rate. Encoder delay is trimmed
      // (gapless MP3, Ogg granule positions); WebM keeps Opus' last frame's padding.
      assert.ok(Math.abs(a.samples.length / a.sampleRate - fromWav[i]!.seconds) < 0.03, `${f.name}: ${a.samples.length / a.sampleRate} s vs ${fromWav[i]!.seconds} s`);
      const w = fromWav[i]!.audio;
      const same = a.sampleRate === w.sampleRate ? a.samples : resample(a.samples, a.sampleRate, w.sampleRate);
      const { r, lag } = alignedCorrelation(same, w.samples, Math.round(w.sampleRate * 0.01));
      assert.ok(r > 0.98 && Math.abs(lag) <= 2, `${f.name} ${clip.path}: correlation ${r.toFixed(4)} at lag ${lag}`);
      texts.push(rec.transcribe(a.samples, a.sampleRate).text);
    }
    // The bundled model is brittle (a 128 kbit/s MP3, correlation 0.99999, still changes
    // about 1 character in 10), so "alike" is a CER between the transcripts well under
    // the model's own error rate (14% on these clips), not zero.
    const rate = cer(fromWav.map((t) => t.text), texts);
    assert.ok(rate <= 0.15, `${f.name}: CER against the WAV's transcripts ${rate.toFixed(3)}\n${texts.join('\n')}`);
  }
});

test('the format is found by content, not by the file name; ffmpeg reads the rest', { skip: noFfmpeg ?? false }, async () => {
  const clip = SAMPLE_CLIPS[0]!.path;
  const mp3 = made('0.mp3', (o) => ffmpeg(clip, o, '-c:a', 'libmp3lame'));
  const flac = made('0.ff.flac', (o) => ffmpeg(clip, o));
  const disguisedMp3 = join(dir, 'really-mp3.wav');
  const disguisedFlac = join(dir, 'really-flac.mp3');
  copyFileSync(mp3, disguisedMp3);
  copyFileSync(flac, disguisedFlac);
  assert.equal((await readAudio(disguisedMp3)).format, 'mp3');
  assert.equal((await readAudio(disguisedFlac)).format, 'flac');
  // AAC in MP4 is none of the five: ffmpeg decodes it when allowed, and without it the error says what to do.
  const m4a = made('0.m4a', (o) => ffmpeg(clip, o, '-c:a', 'aac'));
  const viaFfmpeg = await readAudio(m4a);
  assert.equal(viaFfmpeg.format, 'ffmpeg');
  assert.ok(Math.abs(viaFfmpeg.samples.length / viaFfmpeg.sampleRate - 3.47) < 0.1);
  await assert.rejects(readAudio(m4a, { ffmpeg: false }), (e: unknown) => e instanceof AudioError && e.kind === 'unrecognised' && e.message.startsWith(`${m4a}: `) && /ffmpeg/.test(e.message));
});

test('magic bytes: each format by its first bytes, unknown bytes by none', () => {
  const bytes = (s: string, ...rest: number[]): Uint8Array => Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat(rest));
  const ogg = (packet: string): Uint8Array => { const b = new Uint8Array(64); b.set(bytes('OggS')); b[26] = 1; b.set(bytes(packet), 28); return b; };
  assert.equal(detectAudioFormat(bytes('RIFF\0\0\0\0WAVE')), 'wav');
  assert.equal(detectAudioFormat(bytes('RIFF\0\0')), 'wav', 'a cut RIFF header is a truncated WAV');
  assert.equal(detectAudioFormat(bytes('RIFF\0\0\0\0AVI ')), undefined);
  assert.equal(detectAudioFormat(bytes('fLaC', 0, 0, 0, 34)), 'flac');
  assert.equal(detectAudioFormat(ogg('OpusHead')), 'ogg-opus');
  assert.equal(detectAudioFormat(ogg('\x01vorbis')), 'ogg-vorbis');
  assert.equal(detectAudioFormat(ogg('\x7fFLAC')), 'ogg-other');
  assert.equal(detectAudioFormat(Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3, 0x9f)), 'webm');
  assert.equal(detectAudioFormat(bytes('ID3', 4, 0, 0, 0, 0, 0, 0)), 'mp3');
  assert.equal(detectAudioFormat(Uint8Array.of(0xff, 0xfb, 0x90, 0x64)), 'mp3', 'MPEG-1 layer III, 128 kbit/s, 44.1 kHz');
  assert.equal(detectAudioFormat(Uint8Array.of(0xff, 0xfb, 0xf0, 0x64)), undefined, 'bitrate index 15 is invalid');
  assert.equal(detectAudioFormat(bytes('{"audio": 1}')), undefined);
});

test('truncated and corrupt files of every format fail with an error naming the file', { skip: noFfmpeg ?? false }, async () => {
  const clip = SAMPLE_CLIPS[1]!.path;
  const sources = [
    made('1.flac', (o) => ffmpeg(clip, o)),
    ...LOSSY.map((f) => made(`1.${f.ext}`, (o) => ffmpeg(clip, o, ...f.args))),
  ];
  for (const src of sources) {
    const bytes = readFileSync(src);
    const name = src.split('/').pop()!;
    const cut = join(dir, `cut-${name}`);
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await assert.rejects(readAudio(cut, { ffmpeg: false }), (e: unknown) => e instanceof AudioError && e.kind === 'truncated' && e.message.startsWith(`${cut}: `), `${name} cut at 60%`);
    const bad = Uint8Array.from(bytes);
    for (let i = Math.floor(bad.length / 3); i < Math.floor(bad.length / 3) + 2000; i++) bad[i] = (bad[i]! * 7 + 13) & 255;
    await assert.rejects(decodeAudio(bad, `bad-${name}`), (e: unknown) => e instanceof AudioError && e.message.startsWith(`bad-${name}: `), `${name} with 2000 garbled bytes`);
  }
  await assert.rejects(decodeAudio(new Uint8Array(0), 'nothing.mp3'), /^AudioError: nothing\.mp3: empty audio file/);
  await assert.rejects(decodeAudio(new TextEncoder().encode('not audio at all'), 'notes.txt'), (e: unknown) => e instanceof AudioError && e.kind === 'unrecognised' && /^notes\.txt: /.test(e.message));
});

test('sample rates outside 1 kHz - 384 kHz in a header are refused, naming the file', async () => {
  const wav = encodeWav(new Float32Array(400).fill(0.1), 500);
  await assert.rejects(decodeAudio(wav, 'slow.wav'), (e: unknown) => e instanceof AudioError && e.kind === 'unsupported' && /^slow\.wav: .*sample rate 500 Hz/.test(e.message));
  const fast = encodeWav(new Float32Array(400).fill(0.1), 400000);
  await assert.rejects(decodeAudio(fast, 'fast.wav'), /fast\.wav: .*sample rate 400000 Hz/);
});

test('a WAV file read from disk block by block gives the whole-file samples; a cut one fails naming it', { skip: noSox ?? false }, async () => {
  const file = join(dir, 'stereo24.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-c', '2', '-b', '24', file, 'synth', '1.3', 'sine', '300', 'sine', '1234', 'vol', '0.6']);
  const whole = await readAudio(file);
  for (const chunkBytes of [6, 1000, 1 << 20]) {
    const { total, chunks } = await openAudio(file, { chunkBytes });
    const pieces: Float32Array[] = [];
    let last = 0;
    for await (const c of chunks) {
      pieces.push(c.samples);
      assert.ok(c.bytesRead > last && c.bytesRead <= total);
      last = c.bytesRead;
    }
    assert.equal(last, total);
    const joined = new Float32Array(pieces.reduce((a, p) => a + p.length, 0));
    pieces.reduce((at, p) => { joined.set(p, at); return at + p.length; }, 0);
    assert.deepEqual(joined, whole.samples, `blocks of ${chunkBytes} bytes`);
  }
  const cut = join(dir, 'cut-stereo24.wav');
  writeFileSync(cut, readFileSync(file).subarray(0, 20000));
  await assert.rejects(openAudio(cut), (e: unknown) => e instanceof AudioError && e.kind === 'truncated' && e.message.startsWith(`${cut}: truncated WAV`));
});
