/**
 * The line language model: a model directory's own LM (config.json "lm") decodes by
 * default, `--no-lm` gives best path, `--lm FILE` another LM (word or character, told apart
 * by its vocabulary); the bundled line LM beats best path on a small held-out-font set.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { corpusSentences, buildKneserNey } from '../../src/decode/lm/kneser-ney.js';
import { writeArpa } from '../../src/decode/lm/arpa-writer.js';
import { lmUnitOf } from '../../src/decode/lm/lm-unit.js';
import { readLineManifest } from '../../src/data/lines/lines-manifest.js';
import { readImage } from '../../src/image/decode-image.js';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { attachModelLm, resolveModelLmConfig } from '../../src/model/io/model-lm.js';
import { loadLineModelDir } from '../../src/model/io/line-model-dir.js';
import { bundledLineModelDir, LineRecognizer } from '../../src/recognizer/line-recognizer.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const root = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const bundled = bundledLineModelDir();
const skip = existsSync(`${bundled}config.json`) ? false : 'no bundled text-line model (npm run recipe:text-lines:bundle)';
const dir = mkdtempSync(join(tmpdir(), 'sayre-line-lm-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the bundled line model in `dir/name` without its "lm" entry (returned as `own`). */
function bundledWithoutLm(name: string): { model: string; own: unknown } {
  const model = join(dir, name);
  mkdirSync(model);
  copyFileSync(join(bundled, 'model.safetensors'), join(model, 'model.safetensors'));
  const { lm: own, ...config } = JSON.parse(readFileSync(join(bundled, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(model, 'config.json'), JSON.stringify(config));
  return { model, own };
}

const TEXT = ['please call me back before noon', 'call me before noon please', 'the quick brown fox', 'back before noon'].join('\n');

test('lm entries: checked field by field; character and word models told apart by their vocabularies', () => {
  assert.equal(resolveModelLmConfig(undefined), undefined);
  const ok = { file: 'lm.arpa.gz', unit: 'char', delimiter: '<sp>', alpha: 0.4, beta: 0, beamWidth: 16 };
  assert.deepEqual(resolveModelLmConfig(ok), ok);
  assert.deepEqual(resolveModelLmConfig({ ...ok, file: '../english/lm.arpa.gz' }), { ...ok, file: '../english/lm.arpa.gz' }); // a sibling model's LM
  for (const file of ['../lm.arpa', '/tmp/lm.arpa', '../../m/lm.arpa', 'm/lm.arpa', '../m/../lm.arpa', '..', '../m/..', '', '..\\m\\lm.arpa']) {
    assert.throws(() => resolveModelLmConfig({ ...ok, file }, 'm/config.json: lm'), /m\/config\.json: lm: "file" must be a file name inside/, file);
  }
  assert.throws(() => resolveModelLmConfig({ ...ok, unit: 'phone' }), /"unit" must be "word" or "char"/);
  assert.throws(() => resolveModelLmConfig({ ...ok, beamWidth: 0 }), /"beamWidth" must be an integer >= 1/);
  assert.throws(() => resolveModelLmConfig({ ...ok, weight: 1 }), /unknown field "weight"/);
  assert.deepEqual(resolveModelLmConfig({ ...ok, labelBonus: 2.5 }), { ...ok, labelBonus: 2.5 });
  assert.throws(() => resolveModelLmConfig({ ...ok, labelBonus: '2' }), /"labelBonus" must be a number/);
  const both = { ...ok, unkScore: -3, wordLm: { file: 'word-lm.arpa.gz', alpha: 0.4 } };
  assert.deepEqual(resolveModelLmConfig(both), both);
  assert.throws(() => resolveModelLmConfig({ ...both, unit: 'word' }), /"wordLm" goes beside a character LM/);
  assert.throws(() => resolveModelLmConfig({ ...both, wordLm: { file: '/tmp/w.arpa', alpha: 1 } }), /"wordLm.file" must be a file name inside/);
  assert.throws(() => resolveModelLmConfig({ ...both, wordLm: { file: 'w.arpa', alpha: '1' } }), /"wordLm.alpha" must be a number/);
  assert.throws(() => resolveModelLmConfig({ ...both, wordLm: { file: 'w.arpa', alpha: 1, fold: true } }), /"wordLm" must be \{"file", "alpha"\}/);
  assert.throws(() => resolveModelLmConfig({ ...both, unkScore: null }), /"unkScore" must be a number/);
  const chars = buildKneserNey(corpusSentences(TEXT, 'char', '<sp>'), { order: 3 }).model;
  const words = buildKneserNey(corpusSentences(TEXT, 'word'), { order: 2 }).model;
  assert.deepEqual(lmUnitOf(chars), { unit: 'char', delimiter: '<sp>' });
  assert.deepEqual(lmUnitOf(words), { unit: 'word' });
});

test('the bundled line LM decodes by default and beats best path on a small held-out-font set', { skip }, () => {
  const entries = readLineManifest(root('test/recognizer/fixtures/heldout-lines/lines.jsonl'));
  const withLm = LineRecognizer.load();
  const entry = withLm.loaded.lm!.config;
  const bonus = entry.labelBonus ? `, label bonus ${entry.labelBonus}` : '';
  const word = entry.wordLm ? `, with a word 3-gram LM (case-folded), weight ${entry.wordLm.alpha}${entry.unkScore !== undefined ? `, unknown word ${entry.unkScore}` : ''}` : '';
  assert.equal(withLm.decoding, `prefix beam search, width ${entry.beamWidth}, character 6-gram LM (lm.arpa.gz), alpha ${entry.alpha}, beta ${entry.beta}${bonus}${word}`);
  const bestPath = new LineRecognizer(withLm.loaded, { lm: false });
  assert.equal(bestPath.decoding, 'best path, no LM');
  const images = entries.map((e) => readImage(e.imagePath));
  const score = (rec: LineRecognizer) => {
    const hyps = rec.transcribeImages(images);
    return scoreTranscripts(entries.map((e, i) => ({ ref: e.text, hyp: hyps[i]!.text })));
  };
  const lm = score(withLm), plain = score(bestPath);
  assert.ok(lm.cer < plain.cer && lm.wer < plain.wer, `with the LM CER ${lm.cer} WER ${lm.wer}; best path CER ${plain.cer} WER ${plain.wer}`);
  withLm.dispose();
});

test('sayre transcribe with a text-line model: its LM by default, --no-lm best path, --lm FILE another LM; lm attach names it in config.json', { skip }, async () => {
  const sample = root('samples/line-unseen-font.png');
  const [def, none] = await Promise.all([
    run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', sample]),
    run(process.execPath, [MAIN, 'transcribe', '--model', 'text-lines', '--no-lm', sample]),
  ]);
  // The CLI reads as the library does with the same decoding (the figures of the LM itself: the test above).
  const image = readImage(sample);
  const own = LineRecognizer.load(), bestPath = LineRecognizer.load(undefined, { lm: false });
  assert.equal(def.stdout.trim(), own.transcribeImage(image).text);
  assert.equal(none.stdout.trim(), bestPath.transcribeImage(image).text);
  assert.match(own.decoding, /character 6-gram LM/);
  own.dispose();
  bestPath.dispose();
  const { model, own: _own } = bundledWithoutLm('model');
  assert.ok(_own, 'the bundled config names its LM');
  const arpa = join(dir, 'tiny.arpa');
  writeArpa(buildKneserNey(corpusSentences(TEXT, 'char', '<sp>'), { order: 4 }).model, arpa);
  const other = await run(process.execPath, [MAIN, 'transcribe', '--model', model, '--lm', arpa, '--alpha', '0.8', sample]);
  const withOther = LineRecognizer.load(model, { lm: arpa, alpha: 0.8 });
  assert.match(withOther.decoding, /character 4-gram LM \(tiny\.arpa\), alpha 0\.8/);
  assert.equal(other.stdout.trim(), withOther.transcribeImage(image).text);
  withOther.dispose();
  const attached = attachModelLm(model, arpa, { unit: 'char', delimiter: '<sp>', alpha: 0.8, beta: 0, beamWidth: 8 });
  assert.equal(attached.file, 'lm.arpa');
  const loaded = loadLineModelDir(model);
  assert.equal(loaded.lm?.config.alpha, 0.8);
  assert.match(new LineRecognizer(loaded).decoding, /width 8, character 4-gram LM \(lm\.arpa\), alpha 0\.8/);
  await assert.rejects(run(process.execPath, [MAIN, 'transcribe', '--model', model, '--no-lm', '--alpha', '1', sample]), /--alpha and --beta need --lm/);
  await assert.rejects(run(process.execPath, [MAIN, 'transcribe', '--model', model, '--no-lm', '--label-bonus', '1', sample]), /--label-bonus needs --lm/);
});

test('sayre lm tune with a text-line model: the grid by CER on line images, its best pair scores as eval does, --attach makes it the default', { skip }, async () => {
  const manifest = root('test/recognizer/fixtures/heldout-lines/lines.jsonl');
  const { model, own } = bundledWithoutLm('tuned');
  const lm = join(bundled, (own as { file: string }).file);
  const tuned = await run(process.execPath, [MAIN, 'lm', 'tune', '--model', model, '--manifest', manifest, '--lm', lm, '--alphas', '0,0.4,2', '--betas', '0', '--label-bonuses', '0,3', '--beam', '8', '--attach']);
  const rows = [...tuned.stdout.matchAll(/^alpha ([\d.]+) {2}beta ([\d.]+) {2}label bonus ([\d.]+) {2}WER ([\d.]+)% {2}CER ([\d.]+)% {2}\(\d\/6\)$/gm)];
  assert.equal(rows.length, 6, tuned.stdout);
  assert.deepEqual(rows.map((r) => Number(r[3])), [0, 3, 0, 3, 0, 3]);
  const best = /^best: --alpha ([\d.]+) --beta ([\d.]+) --label-bonus ([\d.]+) \(dev WER ([\d.]+)%, CER ([\d.]+)%, (\d+) lines/m.exec(tuned.stdout)!;
  assert.ok(best, tuned.stdout);
  // by default a line model's point is the one of the lowest CER
  assert.equal(Number(best[5]), Math.min(...rows.map((r) => Number(r[5]))));
  assert.equal(Number(best[6]), readLineManifest(manifest).length);
  const evalCer = async (...flags: string[]): Promise<number> => {
    const { stdout } = await run(process.execPath, [MAIN, 'eval', '--model', model, '--manifest', manifest, '--report', join(dir, 'tune-eval.txt'), ...flags]);
    return Number(/^%CER ([\d.]+)/m.exec(stdout)![1]);
  };
  // the attached LM and pair decode by default, and score as the grid said
  assert.equal(await evalCer(), Number(best[5]));
  assert.equal(await evalCer('--lm', lm, '--alpha', best[1]!, '--beta', best[2]!, '--label-bonus', best[3]!, '--beam', '8'), Number(best[5]));
  const attached = loadLineModelDir(model).lm!.config;
  assert.deepEqual([attached.alpha, attached.beta, attached.labelBonus ?? 0, attached.beamWidth, attached.unit], [Number(best[1]), Number(best[2]), Number(best[3]), 8, 'char']);
});

test('a word LM beside the character LM: lm attach --word-lm copies it in, both decode by default, --lm FILE replaces both, --no-lm gives best path', { skip }, async () => {
  const sample = root('samples/line-unseen-font.png');
  const { model } = bundledWithoutLm('both');
  const chars = join(dir, 'both-chars.arpa'), words = join(dir, 'both-words.arpa');
  writeArpa(buildKneserNey(corpusSentences(TEXT, 'char', '<sp>'), { order: 4 }).model, chars);
  writeArpa(buildKneserNey(corpusSentences(TEXT, 'word', '|', true), { order: 2 }).model, words);
  await run(process.execPath, [MAIN, 'lm', 'attach', '--model', model, '--lm', chars, '--unit', 'char', '--alpha', '0.8', '--beam', '8',
    '--word-lm', words, '--word-alpha', '0.6', '--unk-score', '-2']);
  const entry = loadLineModelDir(model).lm!.config;
  assert.deepEqual(entry.wordLm, { file: 'word-lm.arpa', alpha: 0.6 });
  assert.equal(entry.unkScore, -2);
  assert.ok(existsSync(join(model, 'word-lm.arpa')));
  const both = LineRecognizer.load(model);
  assert.equal(both.decoding, 'prefix beam search, width 8, character 4-gram LM (lm.arpa), alpha 0.8, beta 0, with a word 2-gram LM (case-folded), weight 0.6, unknown word -2');
  const image = readImage(sample);
  const [def, other, none] = await Promise.all([
    run(process.execPath, [MAIN, 'transcribe', '--model', model, sample]),
    run(process.execPath, [MAIN, 'transcribe', '--model', model, '--lm', chars, '--alpha', '0.8', '--beam', '8', sample]),
    run(process.execPath, [MAIN, 'transcribe', '--model', model, '--no-lm', sample]),
  ]);
  assert.equal(def.stdout.trim(), both.transcribeImage(image).text);
  const charOnly = LineRecognizer.load(model, { lm: chars, alpha: 0.8, beamWidth: 8 });
  assert.doesNotMatch(charOnly.decoding, /word/);
  assert.equal(other.stdout.trim(), charOnly.transcribeImage(image).text);
  assert.equal(none.stdout.trim(), LineRecognizer.load(model, { lm: false }).transcribeImage(image).text);
  both.dispose();
  charOnly.dispose();
  await assert.rejects(run(process.execPath, [MAIN, 'lm', 'attach', '--model', model, '--lm', words, '--alpha', '1', '--word-lm', words]), /"wordLm" goes beside a character LM/);
});
