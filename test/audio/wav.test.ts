import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeWav, readWav } from '../../src/audio/wav-read.js';
import { encodeWav, writeWav } from '../../src/audio/wav-write.js';
import { WavError } from '../../src/audio/wav-header.js';
import { assertClose, randomArray, rng } from '../helpers/compare.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-wav-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** sox's own decoding of `file`: interleaved float64 samples (sox scales ints by 2^-(bits-1)). */
function soxSamples(file: string): { data: Float64Array; channels: number } {
  const channels = Number(execFileSync('soxi', ['-c', file], { encoding: 'utf8' }).trim());
  const raw = execFileSync('sox', [file, '-t', 'raw', '-e', 'floating-point', '-b', '64', '-L', '-']);
  return { data: new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8), channels };
}

const ENCODINGS: { name: string; args: string[]; expect: string }[] = [
  { name: 'u8', args: ['-e', 'unsigned-integer', '-b', '8'], expect: 'pcm-u8' },
  { name: 's16', args: ['-e', 'signed-integer', '-b', '16'], expect: 'pcm-s16' },
  { name: 's24', args: ['-e', 'signed-integer', '-b', '24'], expect: 'pcm-s24' },
  { name: 's32', args: ['-e', 'signed-integer', '-b', '32'], expect: 'pcm-s32' },
  { name: 'f32', args: ['-e', 'floating-point', '-b', '32'], expect: 'float32' },
  { name: 'f64', args: ['-e', 'floating-point', '-b', '64'], expect: 'float64' },
  { name: 'alaw', args: ['-e', 'a-law', '-b', '8'], expect: 'alaw' },
  { name: 'mulaw', args: ['-e', 'mu-law', '-b', '8'], expect: 'mulaw' },
];

for (const enc of ENCODINGS) {
  for (const channels of [1, 2, 3]) {
    test(`WAV written by sox reads back to sox's samples: ${enc.name}, ${channels} channel(s)`, () => {
      const file = join(dir, `${enc.name}-${channels}.wav`);
      // A different tone per channel, so that a wrong channel order or mix shows.
      const synth = ['synth', '0.05', ...Array.from({ length: channels }, (_, c) => `sine ${300 + 400 * c}`).flatMap((s) => s.split(' '))];
      execFileSync('sox', ['-n', '-r', '11025', '-c', String(channels), ...enc.args, '--no-dither', file, ...synth, 'vol', '0.7']);
      const audio = readWav(file);
      assert.equal(audio.encoding, enc.expect);
      assert.equal(audio.channels, channels);
      assert.equal(audio.sampleRate, 11025);
      const ref = soxSamples(file);
      const frames = ref.data.length / channels;
      assert.equal(audio.samples.length, frames);
      const mono = new Float64Array(frames);
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++) mono[i]! += ref.data[i * channels + c]! / channels;
      }
      assertClose(audio.samples, mono, 1e-7, enc.name);
    });
  }
}

test('encodeWav -> decodeWav round trip is exact at 16 bits and for float', () => {
  const next = rng(9);
  const x = randomArray(1000, next, 0.9).map((v) => Math.round(v * 32768) / 32768);
  const back16 = decodeWav(encodeWav(x, 16000, '16'));
  assert.deepEqual(back16.samples, x);
  assert.equal(back16.sampleRate, 16000);
  for (const fmt of ['24', '32', '32f'] as const) assert.deepEqual(decodeWav(encodeWav(x, 8000, fmt)).samples, x, fmt);
  const file = join(dir, 'written.wav');
  writeWav(file, x, 22050);
  assert.deepEqual(readWav(file).samples, x);
  // sox agrees with what sayre wrote.
  assertClose(soxSamples(file).data, x, 0);
  // Full scale clips instead of wrapping.
  assert.deepEqual(Array.from(decodeWav(encodeWav(Float32Array.of(1, -1, 2), 8000)).samples), [32767 / 32768, -1, 32767 / 32768]);
});

/** Asserts reading `bytes` throws a WavError of `kind` whose message names the file and matches `re`. */
function assertWavError(name: string, bytes: Uint8Array, kind: string, re: RegExp): void {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  assert.throws(() => readWav(file), (err: unknown) => {
    assert.ok(err instanceof WavError, `expected a WavError, got ${String(err)}`);
    assert.equal(err.kind, kind, err.message);
    assert.equal(err.file, file);
    assert.ok(err.message.startsWith(`${file}: `), err.message);
    assert.match(err.message, re);
    return true;
  });
}

test('malformed, truncated, empty and unsupported WAV files give clear errors naming the file', () => {
  const good = encodeWav(randomArray(400, rng(1), 0.5), 16000, '16');
  const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
  assertWavError('empty.wav', new Uint8Array(0), 'empty', /no bytes/);
  assertWavError('tiny.wav', good.slice(0, 8), 'truncated', /shorter than a RIFF header/);
  assertWavError('text.wav', new TextEncoder().encode('this is not a wav file at all'), 'malformed', /not "RIFF"/);
  const notWave = good.slice();
  notWave.set(new TextEncoder().encode('AVI '), 8);
  assertWavError('avi.wav', notWave, 'malformed', /not "WAVE"/);
  assertWavError('cut-data.wav', good.slice(0, good.length - 101), 'truncated', /declares 800 bytes but only 699 remain/);
  assertWavError('cut-header.wav', good.slice(0, 30), 'truncated', /fmt chunk runs past the end/);
  const odd = good.slice(0, good.length - 1);
  view(odd).setUint32(40, 799, true);
  view(odd).setUint32(4, odd.length - 8, true);
  assertWavError('odd.wav', odd, 'truncated', /not a whole number of 2-byte frames/);
  const noData = good.slice(0, 44);
  view(noData).setUint32(40, 0, true);
  assertWavError('no-samples.wav', noData, 'empty', /no samples/);
  const noFmt = good.slice();
  noFmt.set(new TextEncoder().encode('junk'), 12);
  assertWavError('no-fmt.wav', noFmt, 'malformed', /data chunk before the fmt chunk/);
  const zeroCh = good.slice();
  view(zeroCh).setUint16(22, 0, true);
  assertWavError('zero-channels.wav', zeroCh, 'malformed', /block align|zero channels/);
  const bits12 = good.slice();
  view(bits12).setUint16(34, 12, true);
  assertWavError('12bit.wav', bits12, 'unsupported', /12-bit integer PCM/);
  const rf64 = good.slice();
  rf64.set(new TextEncoder().encode('RF64'), 0);
  assertWavError('rf64.wav', rf64, 'unsupported', /RF64/);
  const adpcm = join(dir, 'adpcm-src.wav');
  execFileSync('sox', ['-n', '-r', '8000', '-e', 'ima-adpcm', adpcm, 'synth', '0.05', 'sine', '440']);
  assertWavError('adpcm.wav', readFileSync(adpcm), 'unsupported', /IMA ADPCM/);
  assert.throws(() => readWav(join(dir, 'missing.wav')), /missing\.wav: cannot read/);
});

test('streamed WAVs (sizes left as placeholders by a writer on a pipe) read as the rest of the file', () => {
  const x = randomArray(301, rng(4), 0.5).map((v) => Math.round(v * 32768) / 32768);
  const streamed = encodeWav(x, 8000, '16');
  const view = new DataView(streamed.buffer, streamed.byteOffset, streamed.byteLength);
  view.setUint32(4, 0xffffffff, true);
  view.setUint32(40, 0xffffffff, true);
  assert.deepEqual(decodeWav(streamed).samples, x);
  // A realistic size that overruns the file is still a truncation.
  view.setUint32(4, 10_000, true);
  view.setUint32(40, 9_000, true);
  assert.throws(() => decodeWav(streamed, 'cut.wav'), /cut\.wav: truncated WAV file/);
  // espeak-ng --stdout writes such a header; it reads as the same speech as espeak-ng -w.
  const file = join(dir, 'espeak.wav');
  try {
    execFileSync('espeak-ng', ['-w', file, 'streamed speech']);
  } catch {
    return; // espeak-ng is not installed
  }
  const piped = execFileSync('espeak-ng', ['--stdout', 'streamed speech']);
  assert.equal(new DataView(piped.buffer, piped.byteOffset).getUint32(40, true) >= 0x7fff0000, true);
  assert.deepEqual(decodeWav(piped, 'stdout').samples, readWav(file).samples);
});
