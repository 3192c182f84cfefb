/**
 * Each hostile file of issue 13 given to the `sayre` CLI in a child process: it must end
 * with exit 1 and a message naming the file and the limit, and (where /usr/bin/time can
 * tell) stay well under 1 GB. Nothing here asserts on time.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';
import type { LineModelDirConfig } from '../../src/model/io/line-model-dir.js';
import { bundledLineModelDir } from '../../src/recognizer/line-recognizer.js';
import { makeTinyModelDir } from '../helpers/tiny-model.js';
import { jpegClaiming, pngClaiming, safetensorsWith, tempDir, wavClaiming, whitePng, writeGzipArpaWord } from '../helpers/hostile-files.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const HELLO = fileURLToPath(new URL('../../../samples/hello.wav', import.meta.url));

interface Outcome { code: number | null; stdout: string; stderr: string; maxRssKb: number | null }

/** Runs the CLI; with /usr/bin/time, its peak resident memory too (the last stderr line). */
function sayre(...args: string[]): Promise<Outcome> {
  const [cmd, argv] = TIME ? [TIME, ['-f', 'maxrss=%M', process.execPath, MAIN, ...args]] : [process.execPath, [MAIN, ...args]];
  return new Promise((resolve) => {
    execFile(cmd, argv, { maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      const m = /maxrss=(\d+)\s*$/.exec(stderr);
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr: m ? stderr.slice(0, m.index) : stderr, maxRssKb: m ? Number(m[1]) : null });
    });
  });
}

/** Exit 1, a message matching `message`, and under 1 GB where measured. */
function refused(r: Outcome, message: RegExp): void {
  assert.equal(r.code, 1, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  if (r.maxRssKb !== null) assert.ok(r.maxRssKb < 1 << 20, `peak memory ${r.maxRssKb} KB`);
}

describe('sayre CLI on hostile files', () => {
  const dir = tempDir();
  let speech: string;
  before(() => { speech = makeTinyModelDir('tiny-cli'); });

  test('a 67-byte PNG claiming 1e9 x 1e9 pixels, and one claiming 50000 x 50000', async () => {
    for (const [w, h] of [[1e9, 1e9], [50000, 50000]] as const) {
      const file = join(dir, `claims-${w}.png`);
      const png = pngClaiming(w, h);
      assert.ok(png.length < 80);
      writeFileSync(file, png);
      refused(await sayre('transcribe', '--model', 'text-lines', file), new RegExp(`${file}: PNG of ${w}x${h}, pixels: .* more than the 25000000 allowed \\(limit maxImagePixels .*--max-image-pixels\\)`));
    }
  });

  test('a real 20000 x 20000 PNG, and a JPEG header claiming 60000 x 60000', async () => {
    const png = join(dir, 'big.png');
    writeFileSync(png, whitePng(20000, 20000));
    refused(await sayre('transcribe', '--model', 'text-lines', png), /big\.png: PNG of 20000x20000, pixels: 400000000, more than/);
    const jpg = join(dir, 'big.jpg');
    writeFileSync(jpg, jpegClaiming(60000, 60000));
    refused(await sayre('transcribe', '--model', 'text-lines', jpg), /big\.jpg: JPEG of 60000x60000, pixels/);
  });

  test('a 100000 x 1 PNG is refused by its width scaled to the model\'s height', async () => {
    const file = join(dir, 'thin.png');
    writeFileSync(file, whitePng(100000, 1));
    const rows = (JSON.parse(readFileSync(`${bundledLineModelDir()}config.json`, 'utf8')) as LineModelDirConfig).model.height;
    const columns = 100000 * rows;
    refused(await sayre('transcribe', '--model', 'text-lines', file), new RegExp(`thin\\.png: a 100000x1 line image scaled to ${rows} rows, columns: ${columns}, more than the 20000 allowed \\(limit maxLineColumns`));
    // Raising the limit is an option, not a code change (here: one just big enough; the decode then runs).
    const ok = await sayre('--max-line-columns', String(columns), '--max-image-pixels', '100000', 'transcribe', '--model', 'text-lines', join(dir, 'missing.png'));
    assert.match(ok.stderr, /missing\.png: cannot read image \(ENOENT\)/);
  });

  test('WAV headers claiming 4 GHz, 8 Hz and 1 Hz', async () => {
    for (const rate of [4_000_000_000, 8, 1]) {
      const file = join(dir, `rate-${rate}.wav`);
      writeFileSync(file, wavClaiming(rate, 16000));
      const side = rate > 1000 ? 'above' : 'below';
      refused(await sayre('transcribe', '--model', speech, file), new RegExp(`rate-${rate}\\.wav: unsupported WAV: sample rate ${rate} Hz is ${side} the \\d+ Hz allowed`));
    }
  });

  test('float64 samples beyond the range of float32', async () => {
    const file = join(dir, 'huge.wav');
    writeFileSync(file, wavClaiming(16000, 0, Float64Array.of(0, 0.5, 1e300, 0)));
    refused(await sayre('transcribe', '--model', speech, file), /huge\.wav: malformed WAV file: sample 2 \(1e\+300\) is beyond the range of 32-bit floats/);
  });

  test('a gzip ARPA file expanding to one 300 MB word', async () => {
    const file = join(dir, 'word.arpa.gz');
    await writeGzipArpaWord(file, 300 << 20);
    refused(await sayre('transcribe', '--model', speech, '--lm', file, HELLO), /word\.arpa\.gz: ARPA line 5: a line longer than the 65536 bytes allowed \(refused while inflating\) \(limit maxArpaLineBytes/);
  });

  test('safetensors metadata claiming hiddenSize 1e9', async () => {
    const model = join(dir, 'absurd');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(model);
    const tok = new CharTokenizer();
    const config = { inputDim: 20, hiddenSize: 1e9, numLayers: 1, numClasses: tok.size };
    writeFileSync(join(model, 'model.safetensors'), safetensorsWith({ __metadata__: { format: 'sayre.ctc-checkpoint/1', config: JSON.stringify(config) } }, 0));
    const cfg = JSON.parse((await import('node:fs')).readFileSync(join(speech, 'config.json'), 'utf8')) as { model: Record<string, unknown> };
    writeFileSync(join(model, 'config.json'), JSON.stringify({ ...cfg, model: { ...cfg.model, ...config } }));
    refused(await sayre('transcribe', '--model', model, HELLO), /absurd\/model\.safetensors: model: parameters: \d+, more than the 268435456 allowed \(limit maxParameters/);
  });

  test('a manifest that is /dev/zero, and a manifest entry whose audio is /dev/zero', { skip: existsSync('/dev/zero') ? false : 'no /dev/zero here' }, async () => {
    const report = join(dir, 'report.txt');
    refused(await sayre('eval', '--model', speech, '--manifest', '/dev/zero', '--report', report), /\/dev\/zero: manifest, not a regular file, bytes read: \d+, more than the 268435456 allowed \(limit maxStreamBytes/);
    const manifest = join(dir, 'zero.jsonl');
    writeFileSync(manifest, JSON.stringify({ audio: '/dev/zero', text: 'zero', duration: 1 }) + '\n');
    refused(await sayre('eval', '--model', speech, '--manifest', manifest, '--report', report), /\/dev\/zero: audio file, not a regular file, bytes read: \d+, more than/);
  });

  test('--beam 1e9 is refused before anything is allocated', async () => {
    refused(await sayre('transcribe', '--model', speech, '--beam', '1000000000', HELLO), /--beam \/ --nbest: 1000000000, more than the 4096 allowed \(limit maxBeam = 4096; raise it with --max-beam\)/);
  });

  test('transcribe a.wav bad.wav c.wav: the bad one on stderr, the others transcribed, exit 1 at the end', async () => {
    const bad = join(dir, 'bad.wav');
    writeFileSync(bad, new TextEncoder().encode('RIFF....WAVE but not really'));
    const r = await sayre('transcribe', '--model', speech, HELLO, bad, HELLO);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trim().split('\n').length, 2, r.stdout);
    assert.ok(r.stdout.split('\n').every((l) => l === '' || l.startsWith(`${HELLO}\t`)), r.stdout);
    assert.match(r.stderr, /bad\.wav: (malformed|truncated) WAV/);
    assert.match(r.stderr, /1 of 3 files failed/);
  });
});
