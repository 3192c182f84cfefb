import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { audioHeaderInfo } from '../../../src/corpus/import/audio-duration.js';
import { HAVE_FFMPEG, HAVE_SOX, ffmpegConvert, ffprobeSeconds, soxConvert, toneWav } from './fabricate.js';

const dir = mkdtempSync(join(tmpdir(), 'sayre-durations-'));
const wav = join(dir, 'tone.wav');
toneWav(wav, 20011, 16000); // an odd length: no format rounds it away by chance

describe('audio durations from headers', () => {
  it('WAV: samples / rate from the fmt and data chunks', () => {
    assert.deepEqual(audioHeaderInfo(wav), { format: 'wav', sampleRate: 16000, seconds: 20011 / 16000 });
  });

  it('FLAC: STREAMINFO\'s total samples (sox)', { skip: HAVE_SOX ? false : 'sox is not installed' }, () => {
    const flac = join(dir, 'tone.flac');
    soxConvert(wav, flac);
    assert.deepEqual(audioHeaderInfo(flac), { format: 'flac', sampleRate: 16000, seconds: 20011 / 16000 });
  });

  it('MP3 with and without a Xing/Info frame, and Ogg Vorbis and Opus, agree with ffprobe / the sample count (ffmpeg)', { skip: HAVE_FFMPEG ? false : 'ffmpeg/ffprobe are not installed' }, () => {
    for (const [name, args] of [['vbr.mp3', ['-ar', '48000', '-q:a', '5']], ['cbr.mp3', ['-b:a', '64k', '-write_xing', '0']], ['lsf.mp3', ['-ar', '22050']]] as const) {
      const path = join(dir, name);
      ffmpegConvert(wav, path, [...args]);
      const info = audioHeaderInfo(path);
      assert.equal(info.format, 'mp3');
      assert.ok(Math.abs(info.seconds - ffprobeSeconds(path)) < 1e-3, `${name}: ${info.seconds} s, ffprobe ${ffprobeSeconds(path)} s`);
    }
    const ogg = join(dir, 'tone.ogg');
    ffmpegConvert(wav, ogg, ['-c:a', 'libvorbis']);
    assert.deepEqual(audioHeaderInfo(ogg), { format: 'ogg-vorbis', sampleRate: 16000, seconds: 20011 / 16000 });
    const opus = join(dir, 'tone.opus');
    ffmpegConvert(wav, opus, ['-c:a', 'libopus']);
    const o = audioHeaderInfo(opus);
    assert.equal(o.format, 'ogg-opus');
    // Opus counts 48 kHz samples: 20011 samples at 16 kHz are 60033 there
    assert.equal(Math.round(o.seconds * 48000), 60033);
  });

  it('unreadable files: errors that name the file and say why', () => {
    const bad = (name: string, bytes: Uint8Array, why: RegExp): void => {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      assert.throws(() => audioHeaderInfo(p), (e: Error) => e.message.startsWith(p) && why.test(e.message));
    };
    bad('empty.wav', new Uint8Array(0), /empty file/);
    bad('text.mp3', new TextEncoder().encode('not audio at all'), /not WAV, FLAC, MP3 or Ogg/);
    bad('cut.flac', new TextEncoder().encode('fLaC\0\0\0\x22abc'), /STREAMINFO/);
    bad('nodata.wav', readFileSync(wav).subarray(0, 36), /no data chunk/);
  });
});
