/** The input limits in the library's parsers (src/util/limits.ts): each refuses from the header, names the file and the limit, and can be raised. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseWavHeader } from '../../src/audio/wav-header.js';
import { decodeWav, readWav } from '../../src/audio/wav-read.js';
import { parseArpa, readArpa } from '../../src/decode/lm/arpa-reader.js';
import { decodeImage } from '../../src/image/decode-image.js';
import { lineFrames } from '../../src/image/line-image.js';
import { createModel } from '../../src/model/model-kind.js';
import { computeFeatures } from '../../src/audio/front-end.js';
import { decoderConfigOf } from '../../src/recognizer/beam-decoder.js';
import { parseSafetensors } from '../../src/model/io/safetensors.js';
import { DEFAULT_LIMITS, LimitError, limits, resetLimits, setLimits } from '../../src/util/limits.js';
import { readFileBounded } from '../../src/util/read-bounded.js';
import { jpegClaiming, pngClaiming, safetensorsWith, tempDir, wavClaiming, whitePng } from '../helpers/hostile-files.js';

afterEach(() => resetLimits());

describe('image limits', () => {
  test('pixels are checked from the PNG IHDR and the JPEG frame header, before decoding', () => {
    assert.throws(() => decodeImage(pngClaiming(1e9, 1e9), 'a.png'), (e: unknown) =>
      e instanceof LimitError && e.limit === 'maxImagePixels' && /^a\.png: PNG of 1000000000x1000000000, pixels: 1000000000000000000, more than the 25000000 allowed/.test(e.message));
    assert.throws(() => decodeImage(jpegClaiming(10000, 5000), 'b.jpg'), /b\.jpg: JPEG of 10000x5000, pixels: 50000000/);
    // A second IHDR claiming more than the first counts too (a decoder may honour it).
    const two = pngClaiming(2, 2);
    const second = pngClaiming(1e6, 1e6).subarray(8, 8 + 25);
    const sneaky = new Uint8Array([...two.subarray(0, 33), ...second, ...two.subarray(33)]);
    assert.throws(() => decodeImage(sneaky, 'c.png'), /c\.png: PNG of 1000000x1000000/);
  });

  test('raising the limit lets a large real image through; a lower one refuses it', () => {
    const png = whitePng(1200, 1000);
    setLimits({ maxImagePixels: 1_000_000 });
    assert.throws(() => decodeImage(png, 'big.png'), /big\.png: PNG of 1200x1000, pixels: 1200000, more than the 1000000 allowed \(limit maxImagePixels = 1000000; raise it with --max-image-pixels\)/);
    setLimits({ maxImagePixels: 1_200_000 });
    const img = decodeImage(png, 'big.png');
    assert.deepEqual([img.width, img.height, img.data[0]], [1200, 1000, 1]);
  });

  test('a line image is refused by its width after scaling to the model height', () => {
    const img = decodeImage(whitePng(100000, 1), 'thin.png');
    assert.throws(() => lineFrames(img, 32, 'thin.png'), (e: unknown) => e instanceof LimitError && e.limit === 'maxLineColumns' && /^thin\.png: a 100000x1 line image scaled to 32 rows, columns: 3200000/.test(e.message));
    const ok = lineFrames(decodeImage(whitePng(2000, 64), 'ok.png'), 32, 'ok.png');
    assert.equal(ok.width, 1000);
  });

  test('malformed chunk lists are errors that name the file', () => {
    const png = pngClaiming(10, 10);
    const noIhdr = new Uint8Array([...png.subarray(0, 8), ...png.subarray(33)]);
    assert.throws(() => decodeImage(noIhdr, 'x.png'), /x\.png: cannot decode PNG \(the first chunk is "IDAT", not IHDR\)/);
    assert.throws(() => decodeImage(Uint8Array.of(0xff, 0xd8, 0xff, 0xd9), 'y.jpg'), /y\.jpg: cannot decode JPEG/);
  });
});

describe('audio limits', () => {
  test('sample rates outside 1 kHz-384 kHz are refused from the header; the bounds themselves are accepted', () => {
    for (const rate of [1, 8, 999, 384001, 4_000_000_000]) {
      assert.throws(() => parseWavHeader(wavClaiming(rate, 10), 'r.wav'), new RegExp(`r\\.wav: unsupported WAV: sample rate ${rate} Hz is (below|above)`));
    }
    for (const rate of [1000, 8000, 384000]) assert.equal(parseWavHeader(wavClaiming(rate, 10), 'r.wav').sampleRate, rate);
    setLimits({ maxSampleRate: 768000 });
    assert.equal(decodeWav(wavClaiming(768000, 10), 'r.wav').sampleRate, 768000);
  });

  test('samples at a rate outside the limits are refused before resampling (library callers, the browser)', () => {
    const front = { sampleRate: 16000, fbank: { numMelBins: 20 } };
    assert.throws(() => computeFeatures(new Float32Array(100), 4e9, front), /audio: unsupported WAV: sample rate 4000000000 Hz is above the 384000 Hz allowed/);
  });

  test('float64 samples beyond float32 are a malformed file, named', () => {
    assert.throws(() => decodeWav(wavClaiming(16000, 0, Float64Array.of(0.1, -1e39)), 'f.wav'), /f\.wav: malformed WAV file: sample 1 \(-1e\+39\) is beyond the range of 32-bit floats/);
  });

  test('the limits do not forbid long audio: ten hours of 16 kHz audio pass every check', () => {
    const tenHours = 10 * 3600 * 16000;
    assert.ok(limits().maxFileBytes >= 44 + 2 * tenHours);
    // A streamed header (sizes left as placeholders) of a ten-hour file.
    const wav = wavClaiming(16000, 1);
    const v = new DataView(wav.buffer);
    v.setUint32(4, 0xffffffff, true);
    v.setUint32(40, 0xffffffff, true);
    assert.equal(parseWavHeader(wav, 'long.wav').sampleRate, 16000);
  });
});

describe('bounded reads', () => {
  test('an endless non-regular file is read up to maxStreamBytes, then refused by name', { skip: existsSync('/dev/zero') ? false : 'no /dev/zero' }, () => {
    setLimits({ maxStreamBytes: 1 << 20 });
    assert.throws(() => readWav('/dev/zero'), (e: unknown) => e instanceof LimitError && e.limit === 'maxStreamBytes' && /^\/dev\/zero: WAV file, not a regular file/.test(e.message));
  });

  test('a regular file is checked from its size before it is read', () => {
    const dir = tempDir();
    const file = join(dir, 'x.bin');
    writeFileSync(file, new Uint8Array(5000));
    setLimits({ maxFileBytes: 4096 });
    assert.throws(() => readFileBounded(file, 'thing'), /x\.bin: thing size in bytes: 5000, more than the 4096 allowed \(limit maxFileBytes/);
    resetLimits();
    assert.equal(readFileBounded(file).length, 5000);
    assert.throws(() => readFileBounded(dir, 'WAV file'), /: cannot read WAV file: it is a directory/);
  });
});

describe('ARPA limits', () => {
  const small = '\\data\\\nngram 1=2\n\n\\1-grams:\n-1 a\n-1 b\n\n\\end\\\n';

  test('gzip that expands past maxArpaBytes stops inflating, with the limit in the error', () => {
    assert.equal(parseArpa(gzipSync(small), 'ok.arpa.gz').vocabulary.length, 2);
    const bomb = gzipSync(new Uint8Array(8 << 20));
    setLimits({ maxArpaBytes: 1 << 20 });
    assert.throws(() => parseArpa(bomb, 'bomb.arpa.gz'), (e: unknown) => e instanceof LimitError && /^bomb\.arpa\.gz: gzip-compressed ARPA expands past 1048576 bytes/.test(e.message));
    assert.throws(() => parseArpa(new Uint8Array(2 << 20).fill(32), 'big.arpa'), /big\.arpa: ARPA text in bytes: 2097152, more than the 1048576 allowed/);
  });

  test('a line longer than maxArpaLineBytes is refused with its file and line number', () => {
    const text = small.replace('-1 b', `-1 ${'b'.repeat(70000)}`);
    assert.throws(() => parseArpa(text, 'long.arpa'), /long\.arpa: ARPA line 6: a line of 70003 bytes is longer than the 65536 allowed \(limit maxArpaLineBytes/);
    setLimits({ maxArpaLineBytes: 1 << 17 });
    assert.equal(parseArpa(text, 'long.arpa').vocabulary.length, 2);
  });

  test('a gzip ARPA line past maxArpaLineBytes is refused while inflating, before the rest is inflated', () => {
    // A long line, then a corrupt tail: a check after full decompression would meet the
    // corruption first; the check while inflating stops at the line.
    const long = gzipSync(Buffer.from(small.replace('-1 b', `-1 ${'b'.repeat(3 << 20)}`)));
    const cut = Buffer.concat([long.subarray(0, long.length - 12), Buffer.alloc(12, 0xff)]);
    assert.throws(() => parseArpa(cut, 'long.arpa.gz'), (e: unknown) => e instanceof LimitError
      && /^long\.arpa\.gz: ARPA line 6: a line longer than the 65536 bytes allowed \(refused while inflating\) \(limit maxArpaLineBytes/.test(e.message));
    // The same bytes with the limit raised: now the corruption shows, naming the file.
    setLimits({ maxArpaLineBytes: 4 << 20 });
    assert.throws(() => parseArpa(cut, 'long.arpa.gz'), /^Error: long\.arpa\.gz: cannot decompress the gzip ARPA file/);
    resetLimits();
    // A line break in every piece keeps a long file of short lines legal.
    const lines = Array.from({ length: 40000 }, (_, i) => `-1 w${i}`).join('\n');
    assert.equal(parseArpa(gzipSync(`\\data\\\nngram 1=40000\n\n\\1-grams:\n${lines}\n\n\\end\\\n`), 'many.arpa.gz').vocabulary.length, 40000);
  });

  test('a declared count no file of its size could hold is refused before allocating', () => {
    const dir = tempDir();
    const file = join(dir, 'lie.arpa');
    writeFileSync(file, small.replace('ngram 1=2', 'ngram 1=1000000000000'));
    assert.throws(() => readArpa(file), /lie\.arpa: ARPA line 2: ngram 1=1000000000000 declares more n-grams than a file of \d+ bytes can hold/);
  });
});

describe('model and decoder limits', () => {
  test('a config claiming hiddenSize 1e9 is refused before any allocation', () => {
    assert.throws(() => createModel({ inputDim: 20, hiddenSize: 1e9, numLayers: 1, numClasses: 30 }), (e: unknown) =>
      e instanceof LimitError && e.limit === 'maxParameters' && /^model: parameters: \d+, more than the 268435456 allowed/.test(e.message));
  });

  test('safetensors tensors must lie inside the data and must not overlap', () => {
    const f32 = (begin: number, end: number): Record<string, unknown> => ({ dtype: 'F32', shape: [(end - begin) / 4], data_offsets: [begin, end] });
    assert.throws(() => parseSafetensors(safetensorsWith({ a: f32(0, 16), b: f32(8, 24) }, 24), 'o.safetensors'),
      /readSafetensors o\.safetensors: tensor "b" \(bytes 8-24\) overlaps tensor "a" \(bytes 0-16\)/);
    assert.throws(() => parseSafetensors(safetensorsWith({ a: f32(0, 16), b: f32(0, 16) }, 16), 'same.safetensors'), /overlaps tensor/);
    assert.throws(() => parseSafetensors(safetensorsWith({ a: f32(0, 4000) }, 16), 'past.safetensors'), /past\.safetensors: tensor "a": bad data_offsets \[0,4000\] for 16 data bytes/);
    const ok = parseSafetensors(safetensorsWith({ a: f32(0, 8), b: f32(8, 16), e: { dtype: 'F32', shape: [0], data_offsets: [16, 16] } }, 16), 'ok');
    assert.deepEqual([...ok.tensors.keys()], ['a', 'b', 'e']);
  });

  test('a beam of 1e9 is refused before the LM or anything else is loaded; the limit can be raised', () => {
    // decoderConfigOf is what the CLI, the server and Recognizer users go through; the LM file does not exist.
    assert.throws(() => decoderConfigOf({ beamWidth: 1e9, lm: '/nonexistent.arpa' }), /decoder: --beam \/ --nbest: 1000000000, more than the 4096 allowed \(limit maxBeam/);
    assert.throws(() => decoderConfigOf({ nBest: 5000 }), /--beam \/ --nbest: 5000, more than the 4096 allowed/);
    setLimits({ maxBeam: 1e5 });
    assert.equal(decoderConfigOf({ beamWidth: 5000 }).beamWidth, 5000);
  });

  test('limits are positive numbers, and the defaults are what docs/limits.md says', () => {
    assert.throws(() => setLimits({ maxBeam: 0 }), /maxBeam must be a positive number/);
    assert.throws(() => setLimits({ minSampleRate: 500_000 }), /minSampleRate 500000 is above maxSampleRate 384000/);
    const doc = readFileSync(new URL('../../../docs/limits.md', import.meta.url), 'utf8');
    for (const [k, v] of Object.entries(DEFAULT_LIMITS)) assert.match(doc, new RegExp(`\\| \`${k}\` \\|[^\\n]*\\| ${v} \\|`), `docs/limits.md lists ${k} = ${v}`);
  });
});
