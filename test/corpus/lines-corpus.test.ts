/** The text-line corpus: fonts (reserved ones test-only), texts, plan, rendering, resuming. */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildLinesCorpus, isCompletePng, renderOrder } from '../../src/corpus/lines/build-lines-corpus.js';
import { isReservedFont, parseFontList } from '../../src/corpus/lines/fonts.js';
import { LINE_ALPHABET } from '../../src/data/lines/line-alphabet.js';
import { cutIntoLines, fortuneLines } from '../../src/corpus/lines/line-texts.js';
import { planLines } from '../../src/corpus/lines/plan.js';
import { readImage } from '../../src/image/decode-image.js';
import { Random } from '../../src/math/random.js';
import { haveCommand } from '../helpers/have-command.js';

const FC_LIST = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf: DejaVu Sans:style=Book',
  '/usr/share/fonts/truetype/kristi/Kristi.ttf: Kristi:style=Medium',
  '/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf: DkgHandwriting:style=Bold Oblique',
  '/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf: Dancing Script:style=Regular',
  '/usr/share/fonts/truetype/breip/Breip.ttf: Breip:style=Medium',
  '/usr/share/fonts/X11/Type1/Z003-MediumItalic.pfb: Z003:style=Medium Italic',
  '/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf: DejaVu Math TeX Gyre:style=Regular',
  '/usr/share/fonts/opentype/linux-libertine/LinLibertine_I.otf: Linux Libertine Initials O:style=Regular',
].join('\n');

test('fonts: reserved families recognised in any spelling; symbol fonts and Type 1 copies left out', () => {
  const fonts = parseFontList(FC_LIST);
  assert.deepEqual(fonts.map((f) => f.family).sort(), ['Breip', 'Dancing Script', 'DejaVu Sans', 'DkgHandwriting', 'Kristi']);
  assert.deepEqual(fonts.filter((f) => f.reserved).map((f) => f.family).sort(), ['Dancing Script', 'DkgHandwriting', 'Kristi']);
  assert.ok(fonts.find((f) => f.family === 'Breip')!.handwriting);
  assert.ok(isReservedFont('dancingscript') && isReservedFont('KRISTI') && !isReservedFont('DejaVu Sans'));
});

test('texts: lines of 3-9 words, printable ASCII, from the fortune files without reserved texts', () => {
  const rng = new Random(1);
  for (let n = 3; n < 40; n++) {
    const words = Array.from({ length: n }, (_, i) => `w${i}`);
    const lines = cutIntoLines(words.join(' '), rng);
    assert.equal(lines.join(' '), words.join(' '), `${n} words kept in order`);
    for (const l of lines) assert.ok(l.split(' ').length >= 3 && l.split(' ').length <= 9, `${n}: "${l}"`);
  }
  assert.deepEqual(cutIntoLines('too short', rng), []);
  const lines = fortuneLines(1, [{ text: 'x', original: 'One two three four five six seven eight nine ten eleven twelve.', source: 't' },
    { text: 'y', original: 'Caf\u00e9 au lait is nice here.', source: 't' }]);
  assert.equal(lines.join(' '), 'One two three four five six seven eight nine ten eleven twelve.');
  assert.equal(LINE_ALPHABET.length, 95);
});

test('plan: texts never cross splits; reserved fonts only in test', () => {
  const fonts = parseFontList(FC_LIST);
  const texts = Array.from({ length: 200 }, (_, i) => `line number ${i} here`);
  const plan = planLines(texts, fonts, { lines: 400, seed: 3, devShare: 0.1, testShare: 0.1 });
  assert.equal(plan.length, 400);
  const bySplit = (s: string): Set<string> => new Set(plan.filter((p) => p.split === s).map((p) => p.text));
  const train = bySplit('train'), dev = bySplit('dev'), testSet = bySplit('test');
  for (const t of dev) assert.ok(!train.has(t) && !testSet.has(t));
  for (const t of testSet) assert.ok(!train.has(t));
  assert.ok(plan.filter((p) => p.split !== 'test').every((p) => !p.font.reserved));
  const testPlan = plan.filter((p) => p.split === 'test');
  assert.ok(testPlan.some((p) => p.font.reserved) && testPlan.some((p) => !p.font.reserved));
  assert.deepEqual(planLines(texts, fonts, { lines: 400, seed: 3, devShare: 0.1, testShare: 0.1 }), plan, 'the seed fixes the plan');
  for (const n of [1, 2, 3]) {
    const small = planLines(texts, fonts, { lines: n, seed: 1 });
    assert.equal(small.length, n, `${n} lines planned`);
    assert.ok(small.some((p) => p.split === 'train'));
  }
  // Rendering interleaves the splits: any prefix holds them in proportion.
  const first = renderOrder(plan).slice(0, 100).map((i) => plan[i]!.split);
  assert.deepEqual(['train', 'dev', 'test'].map((s) => first.filter((x) => x === s).length), [80, 10, 10]);
});

test('plan: a handwriting share, strong distortion of train only, unicase fonts planned in capitals', () => {
  const fonts = parseFontList(`${FC_LIST}\n/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf: Humor Sans:style=Regular\n`
    + '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf: DejaVu Serif:style=Book');
  assert.ok(fonts.find((f) => f.family === 'Humor Sans')!.unicase);
  assert.ok(!parseFontList('/usr/share/fonts/truetype/dustin/Winks.ttf: Winks:style=Regular').length, 'a face without lowercase is left out');
  const texts = Array.from({ length: 300 }, (_, i) => `Line number ${i} here`);
  const plan = planLines(texts, fonts, { lines: 2000, seed: 4, handwritingShare: 0.8, augmentation: 'strong' });
  const trainDev = plan.filter((p) => p.split !== 'test');
  const hand = trainDev.filter((p) => p.font.handwriting).length / trainDev.length;
  assert.ok(Math.abs(hand - 0.8) < 0.04, `handwriting share ${hand}`);
  assert.ok(plan.filter((p) => p.split === 'train').some((p) => p.augmentation.stretch !== undefined), 'train lines stretched');
  assert.ok(plan.filter((p) => p.split !== 'train').every((p) => p.augmentation.stretch === undefined), 'dev and test keep the standard distortions');
  for (const p of plan) assert.equal(p.text, p.font.unicase ? p.text.toUpperCase() : texts.find((t) => t === p.text), `${p.font.family}: ${p.text}`);
  assert.ok(plan.some((p) => p.font.unicase));
});

const canRender = haveCommand('convert', ['-version']) && haveCommand('fc-list', ['--version']);
const dir = mkdtempSync(join(tmpdir(), 'sayre-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('build: renders readable PNGs and manifests, then resumes without redoing them', { skip: canRender ? false : 'needs ImageMagick convert and fontconfig' }, async () => {
  const sentences = Array.from({ length: 30 }, (_, i) => ({ text: '', original: `The quick brown fox number ${i} jumps over it.`, source: 't' }));
  const opts = { outDir: dir, lines: 12, seed: 5, jobs: 2, sentences, devShare: 0.2, testShare: 0.2 };
  const first = await buildLinesCorpus(opts);
  assert.ok(first.complete);
  assert.equal(first.progress.generated, 12);
  const entries = ['train', 'dev', 'test'].flatMap((s) => readFileSync(join(dir, `${s}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { image: string; text: string; reserved: boolean }));
  assert.equal(entries.length, 12);
  for (const e of entries) {
    const img = readImage(join(dir, e.image));
    assert.ok(img.height >= 10 && img.width > img.height, `${e.image} is a line (${img.width}x${img.height})`);
    assert.ok(img.data.some((v) => v < 0.5), `${e.image} has ink`);
  }
  const again = await buildLinesCorpus(opts);
  assert.equal(again.progress.generated, 0);
  assert.equal(again.progress.skipped, 12);
  assert.ok(!isCompletePng(join(dir, 'train.jsonl')));
  await assert.rejects(buildLinesCorpus({ ...opts, lines: 13 }), /planned with other options/);
});

test('line manifests: paths resolve beside the manifest; bad lines name file and line', async () => {
  const { parseLineManifest } = await import('../../src/data/lines/lines-manifest.js');
  const entries = parseLineManifest('{"image":"images/a.png","text":"Hi there, you.","font":"X"}\n\n', '/data/c/train.jsonl');
  assert.equal(entries[0]!.imagePath, '/data/c/images/a.png');
  assert.equal(entries[0]!.text, 'Hi there, you.');
  assert.deepEqual(entries[0]!.extra, { font: 'X' });
  assert.throws(() => parseLineManifest('{"text":"x"}', 'm.jsonl'), /m\.jsonl:1: "image" must be/);
  assert.throws(() => parseLineManifest('{"image":"a.png"}\n{oops', 'm.jsonl'), /m\.jsonl:1: "text" must be a string/);
  assert.throws(() => parseLineManifest('{"image":"a.png","text":"x"}\n{oops', 'm.jsonl'), /m\.jsonl:2: invalid JSON/);
});
