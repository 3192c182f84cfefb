/** `sayre train` with a CRNN config: line images in, model directory out; resume; then eval and transcribe, and their errors. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { writeWav } from '../../src/audio/wav-write.js';
import { loadLineModelDir } from '../../src/model/io/line-model-dir.js';
import { LineRecognizer } from '../../src/recognizer/line-recognizer.js';
import { readImage } from '../../src/image/decode-image.js';
import { makeTinyLines, renderMissing, tinyLineConfig } from './tiny-lines.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const sayre = (...args: string[]) => run(process.execPath, [MAIN, ...args], { maxBuffer: 1 << 24 });
const TEXTS = ['hey', 'meet me', 'The cat sat.', 'a dog ran'];

test('sayre train: a tiny CRNN overfits a few rendered lines; --resume continues the run', { skip: renderMissing() }, async () => {
  const corpus = await makeTinyLines(TEXTS);
  try {
    const configPath = join(corpus, 'config.json');
    writeFileSync(configPath, JSON.stringify(tinyLineConfig(160)));
    const out = join(corpus, 'run');
    const args = ['train', '--config', configPath, '--train', join(corpus, 'train.jsonl'), '--dev', join(corpus, 'dev.jsonl'), '--out', out];
    const first = await sayre(...args, '--max-epochs', '20');
    assert.match(first.stdout, /max epochs: 20 epochs, 80 steps, .* best dev CER/);
    assert.match(first.stderr, /train: 4 line images/);
    assert.ok(!existsSync(join(out, 'cmvn.json')), 'no CMVN for images');
    const run1 = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { config: { frontEnd: unknown }; tokenizer: { alphabet: string } };
    assert.deepEqual(run1.config.frontEnd, { type: 'image', height: 20 });
    assert.equal(run1.tokenizer.alphabet.length, 95, 'the line alphabet (printable ASCII)');
    const more = await sayre('train', '--out', out, '--resume', '--max-epochs', '160');
    assert.match(more.stderr, /resumed at epoch 20/);
    const best = /best dev CER ([\d.]+)%/.exec(more.stdout);
    assert.ok(best && Number(best[1]) === 0, more.stdout);
    const model = join(out, 'model');
    const loaded = loadLineModelDir(model);
    assert.equal(loaded.model.config.height, 20);
    assert.equal(loaded.info['devCer'], 0);
    loaded.model.dispose();

    // The library API: text, and word positions in pixels of the image given.
    const rec = LineRecognizer.load(model);
    const img = readImage(join(corpus, 'img', 'l2.png'));
    const t = rec.transcribeImage(img);
    assert.equal(t.text, 'The cat sat.');
    assert.deepEqual(t.words.map((w) => w.word), ['The', 'cat', 'sat.']);
    assert.equal(t.duration, img.width);
    for (const w of t.words) assert.ok(w.start >= 0 && w.start < w.end && w.end <= img.width, JSON.stringify(w));
    assert.ok(t.words[0]!.end <= t.words[1]!.start && t.words[1]!.end <= t.words[2]!.start, 'words left to right');
    rec.dispose();

    // The command line: eval (CER and WER) and transcribe (text, JSON).
    const report = join(corpus, 'report.txt');
    const ev = await sayre('eval', '--model', model, '--manifest', join(corpus, 'dev.jsonl'), '--report', report);
    assert.match(ev.stdout, /^%WER 0\.00 \[ 0 \/ 9,.*\n%CER 0\.00 \[ 0 \/ 31,/);
    assert.match(ev.stdout, /4 lines in [\d.]+ s \([\d.]+ lines\/s\)/);
    assert.match(readFileSync(report, 'utf8'), /img\/l0\.png/);
    const images = TEXTS.map((_, i) => join(corpus, 'img', `l${i}.png`));
    const tr = await sayre('transcribe', '--model', model, ...images);
    assert.deepEqual(tr.stdout.trim().split('\n'), images.map((f, i) => `${f}\t${TEXTS[i]}`));
    const js = JSON.parse((await sayre('transcribe', '--model', model, '--json', images[1]!)).stdout) as { text: string; words: { word: string; left: number; right: number }[] };
    assert.equal(js.text, 'meet me');
    assert.ok(js.words[0]!.left < js.words[0]!.right && js.words[0]!.right <= js.words[1]!.left);

    // Clear errors: audio for a text-line model, an image for a speech model, an unreadable image, a bad --model name.
    const wav = join(corpus, 'a.wav');
    writeWav(wav, new Float32Array(1600), 16000);
    await assert.rejects(sayre('transcribe', '--model', model, wav), /a\.wav: WAV audio, but .* is a text-line model \(it reads images\)/);
    const speechModel = fileURLToPath(new URL('../../../models/english/', import.meta.url));
    if (existsSync(speechModel)) {
      await assert.rejects(sayre('transcribe', '--model', speechModel, images[0]!), /l0\.png: an image, but .* is a speech model \(it reads audio\); for images of text lines use --model text-lines/);
      await assert.rejects(sayre('eval', '--model', speechModel, '--manifest', join(corpus, 'dev.jsonl')), /a text-line manifest \("image" entries\), but .* is a speech model/);
    }
    const bad = join(corpus, 'bad.png');
    writeFileSync(bad, 'not an image at all');
    await assert.rejects(sayre('transcribe', '--model', model, bad), /bad\.png: not PNG or JPEG \(unrecognised header, 19 bytes\)/);
    await assert.rejects(sayre('transcribe', '--model', model, join(corpus, 'missing.png')), /missing\.png: cannot read image \(ENOENT\)/);
    await assert.rejects(sayre('transcribe', '--model', 'no-such-model', images[0]!), /--model no-such-model: no such model directory, and no bundled model of that name \(bundled: .*english/);
    await assert.rejects(sayre('eval', '--model', model, '--manifest', join(corpus, 'dev.jsonl'), '--lm', 'x.arpa'), /x\.arpa: cannot read ARPA file \(ENOENT\)/);
  } finally {
    rmSync(corpus, { recursive: true, force: true });
  }
});
