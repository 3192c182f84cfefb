/** The text-line corpus: fonts (reserved ones never, held-out ones apart), texts, plan, presentation, rendering, resuming. */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { buildLinesCorpus, isCompletePng, renderOrder } from '../../src/corpus/lines/build-lines-corpus.js';
import { heldOutSplitOf, isReservedFont, missingListedFamilies, parseFontList } from '../../src/corpus/lines/fonts.js';
import { LINE_ALPHABET } from '../../src/data/lines/line-alphabet.js';
import { corpusLineTexts, cutIntoLines, fortuneLines, heldOutLineTexts, isLineText } from '../../src/corpus/lines/line-texts.js';
import { HELD_OUT_SPLITS, LINE_SPLITS, planLines } from '../../src/corpus/lines/plan.js';
import { labelText, padArgs } from '../../src/corpus/lines/render-line.js';
import { jargonParagraphs } from '../../src/corpus/lines/texts/jargon.js';
import { parseDictIndex } from '../../src/corpus/lines/texts/gcide.js';
import { parseWordnetData } from '../../src/corpus/lines/texts/wordnet.js';
import { readImage } from '../../src/image/decode-image.js';
import { Random } from '../../src/math/random.js';
import { haveCommand } from '../helpers/have-command.js';

const FC_LIST = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf: DejaVu Sans:style=Book',
  '/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf: DejaVu Serif:style=Book',
  '/usr/share/fonts/truetype/kristi/Kristi.ttf: Kristi:style=Medium',
  '/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf: DkgHandwriting:style=Bold Oblique',
  '/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf: Dancing Script:style=Regular',
  '/usr/share/fonts/truetype/breip/Breip.ttf: Breip:style=Medium',
  '/usr/share/fonts/truetype/femkeklaver/femkeklaver.ttf: femkeklaver:style=Regular',
  '/usr/share/fonts/opentype/tlwg/Purisa.otf: Purisa:style=Regular',
  '/usr/share/fonts/truetype/tuffy/Tuffy.ttf: Tuffy:style=Regular',
  '/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf: Cantarell:style=Regular',
  '/usr/share/fonts/truetype/isabella/Isabella.ttf: Isabella:style=Regular',
  '/usr/share/fonts/truetype/larabie/pupcat.ttf: Pupcat:style=Regular',
  '/usr/share/fonts/truetype/larabie/3dlet.ttf: Baveuse 3D:style=Regular',
  '/usr/share/fonts/X11/Type1/Z003-MediumItalic.pfb: Z003:style=Medium Italic',
  '/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf: DejaVu Math TeX Gyre:style=Regular',
  '/usr/share/fonts/opentype/linux-libertine/LinLibertine_I.otf: Linux Libertine Initials O:style=Regular',
].join('\n');

test('fonts: the reserved families are never listed; decorative packages give only their hand-lettered faces', () => {
  const fonts = parseFontList(FC_LIST);
  assert.deepEqual(fonts.map((f) => f.family).sort(), ['Breip', 'Cantarell', 'DejaVu Sans', 'DejaVu Serif', 'Isabella', 'Pupcat', 'Purisa', 'Tuffy', 'femkeklaver']);
  assert.ok(isReservedFont('dancingscript') && isReservedFont('KRISTI') && !isReservedFont('DejaVu Sans'));
  assert.deepEqual(fonts.filter((f) => f.handwriting).map((f) => f.family).sort(), ['Breip', 'Isabella', 'Pupcat', 'Purisa', 'femkeklaver']);
  assert.ok(fonts.find((f) => f.family === 'Pupcat')!.unicase);
  assert.equal(heldOutSplitOf('Purisa'), 'heldout-dev');
  assert.equal(heldOutSplitOf('breip'), 'heldout-test');
  assert.equal(heldOutSplitOf('Isabella'), undefined);
  // what a machine without most font packages lacks: the held-out families among them
  const missing = missingListedFamilies(fonts);
  for (const f of ['Havana', 'Klee One', 'mikachan', 'EB Garamond', 'Kaushan Script', 'Lobster Two', 'Steve']) assert.ok(missing.includes(f), f);
  for (const f of ['Breip', 'Purisa', 'Tuffy', 'Cantarell', 'Isabella', 'Pupcat', 'femkeklaver', 'Lobster']) assert.ok(!missing.includes(f), f);
});

test('build: --require-all-fonts refuses a machine without a listed family, naming it, before rendering anything', async () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-lines-fonts-'));
  const logged: string[] = [];
  const sentences = Array.from({ length: 10 }, (_, i) => ({ text: '', original: `Line number ${i} of a few words.`, source: 't' }));
  const opts = { outDir: out, lines: 4, seed: 1, sentences, fonts: parseFontList(FC_LIST), signal: AbortSignal.abort(), log: (m: string) => logged.push(m) };
  await assert.rejects(buildLinesCorpus({ ...opts, requireAllFonts: true }), /listed font families are not installed: .*Havana.*docs\/line-corpus.md/);
  assert.equal(readdirSync(out).length, 0, 'nothing written');
  const r = await buildLinesCorpus(opts);
  assert.equal(r.complete, false);
  assert.match(logged.join('\n'), /warning: .* not installed: .*Klee One/);
  const summary = JSON.parse(readFileSync(join(out, 'corpus.json'), 'utf8')) as { missingFamilies: string[] };
  assert.ok(summary.missingFamilies.includes('Havana'));
});

test('texts: lines of 3-9 words from fortunes, WordNet, GCIDE, numbers, punctuation and random letters', () => {
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

  const wn = parseWordnetData([
    '  1 This software and database is being provided to you',
    '00001740 03 n 02 entity 0 physical_entity 0 003 ~ 00001930 n 0000 | that which is perceived or known or inferred to have its own distinct existence; "a small example of usage here"',
    '09044862 15 n 01 Abraham_Lincoln 0 000 | 16th President of the United States (1861-1865)',
    '00002312 00 a 01 galore(ip) 0 000 | in great numbers; "apples galore"',
  ].join('\n'));
  assert.deepEqual(wn.headwords, ['entity', 'physical entity', 'galore']);
  assert.deepEqual(wn.names, ['Abraham Lincoln']);
  assert.ok(wn.glosses.includes('16th President of the United States (1861-1865)') && wn.glosses.includes('"a small example of usage here"'));
  assert.deepEqual(parseDictIndex('00-database-info\tA\tB\nZymotic\tx\ty\nAcacia Seyal\tx\ty\nabbey\tx\ty\n'), ['zymotic', 'Acacia Seyal', 'abbey']);

  const sentences = Array.from({ length: 200 }, (_, i) => ({ text: '', original: `The fox number ${i} jumps over the lazy dog again.`, source: 't' }));
  const glosses = Array.from({ length: 100 }, (_, i) => `a gloss that defines word ${i} in several plain words`);
  const texts = corpusLineTexts(2, { sentences, wordnet: { headwords: ['abbey', 'zymotic', 'quark', 'lemma'], names: ['Ohio', 'Ada Lovelace'], glosses }, gcideHeadwords: ['aardvark'] });
  assert.equal(new Set(texts).size, texts.length, 'no duplicates');
  for (const t of texts) assert.ok(isLineText(t), JSON.stringify(t));
  const fortunes = texts.filter((t) => t.includes('fox')).length;
  assert.ok(fortunes / texts.length > 0.25 && fortunes / texts.length < 0.5, `fortune share ${fortunes / texts.length}`);
  assert.ok(texts.some((t) => t.includes('gloss that defines')), 'definitions');
  assert.ok(texts.some((t) => /Ohio|Ada Lovelace/.test(t)), 'names');
  assert.ok(texts.some((t) => /\d/.test(t) && /abbey|zymotic|quark|lemma|aardvark/.test(t)), 'numbers among headwords');
  assert.ok(texts.some((t) => /[[\](){}<>]/.test(t)), 'dense punctuation');
  assert.ok(texts.filter((t) => /\b[b-df-hj-np-tv-z]{5,}\b/i.test(t)).length > 5, 'random letter strings');
  assert.equal(labelText('@50% \\n'), '\\@50%% \\\\n', 'ImageMagick escapes kept literal');
  assert.equal(labelText('see [16]'), 'see [16\\]', 'not a frame selection');
});

test('held-out text: the Jargon File\'s paragraphs, in ASCII, without the corpus\'s lines', () => {
  const dict = 'hack\n n.\n\n    Originally, a quick job that produces what is needed, but not\n    well. See {kludge}. \u201cQuoted\u201d\n\nnext\n';
  const paras = jargonParagraphs(dict);
  assert.deepEqual(paras, ['Originally, a quick job that produces what is needed, but not well. See kludge. "Quoted"']);
  const lines = heldOutLineTexts(1, paras);
  assert.equal(lines.join(' '), paras[0]);
  assert.deepEqual(heldOutLineTexts(1, paras, new Set(lines.slice(0, 1))), lines.slice(1));
  // A word of hundreds of digits (the Jargon File has such numbers) is not a line of text.
  const huge = `The number ${'1274622289'.repeat(35)} is big, and so on.`;
  assert.ok(!isLineText(`is ${'9'.repeat(41)} big`) && isLineText(`is ${'9'.repeat(40)} big`));
  assert.ok(heldOutLineTexts(1, [huge, paras[0]!]).every((l) => !l.includes('1274622289')));
});

const HELD = { 'heldout-dev': ['Purisa', 'Tuffy'], 'heldout-test': ['Breip', 'Cantarell'] } as const;
const heldTexts = Array.from({ length: 40 }, (_, i) => `held out jargon line ${i}`);

test('plan: texts never cross splits; a held-out family never leaks into another split', () => {
  const fonts = parseFontList(FC_LIST);
  const texts = Array.from({ length: 200 }, (_, i) => `line number ${i} here`);
  const opts = { lines: 400, seed: 3, devShare: 0.1, testShare: 0.1, heldOutLines: 30, heldOutTexts: heldTexts, heldOutFamilies: HELD };
  const plan = planLines(texts, fonts, opts);
  assert.equal(plan.length, 400 + 2 * 2 * 30);
  const bySplit = (s: string): Set<string> => new Set(plan.filter((p) => p.split === s).map((p) => p.text));
  const train = bySplit('train'), dev = bySplit('dev'), testSet = bySplit('test');
  for (const t of dev) assert.ok(!train.has(t) && !testSet.has(t));
  for (const t of testSet) assert.ok(!train.has(t));
  const familiesOf = (s: string): Set<string> => new Set(plan.filter((p) => p.split === s).map((p) => p.font.family));
  for (const s of LINE_SPLITS) {
    for (const f of familiesOf(s)) {
      for (const other of LINE_SPLITS) {
        if (other === s || (['train', 'dev', 'test'].includes(s) && ['train', 'dev', 'test'].includes(other))) continue;
        assert.ok(!familiesOf(other).has(f), `${f} in ${s} and ${other}`);
      }
    }
  }
  for (const s of HELD_OUT_SPLITS) {
    assert.deepEqual([...familiesOf(s)].sort(), [...HELD[s]].sort(), `${s}: every held-out family, nothing else`);
    const lines = plan.filter((p) => p.split === s);
    for (let i = 0; i < lines.length; i += 2) {
      assert.equal(lines[i]!.rendering, 'plain');
      assert.equal(lines[i + 1]!.rendering, 'varied');
      assert.equal(lines[i]!.text, lines[i + 1]!.text);
      assert.equal(lines[i]!.augmentation.pointSize, 32);
      assert.ok(heldTexts.includes(lines[i]!.text) && !train.has(lines[i]!.text));
    }
  }
  assert.ok(!bySplit('heldout-dev').has([...bySplit('heldout-test')][0]!), 'held-out dev and test texts apart');
  assert.deepEqual(planLines(texts, fonts, opts), plan, 'the seed fixes the plan');
  for (const n of [1, 2, 3]) {
    const small = planLines(texts, fonts, { lines: n, seed: 1 });
    assert.equal(small.length, n, `${n} lines planned`);
    assert.ok(small.some((p) => p.split === 'train'));
  }
  assert.throws(() => planLines(texts, fonts, { ...opts, heldOutFamilies: { 'heldout-dev': ['Nope'], 'heldout-test': ['Breip'] } }), /none of the heldout-dev families/);
  // Rendering interleaves the splits: any prefix holds them in proportion.
  const first = renderOrder(plan).slice(0, 130).map((i) => plan[i]!.split);
  assert.deepEqual(LINE_SPLITS.map((s) => first.filter((x) => x === s).length), [80, 10, 10, 15, 15]);
});

test('plan: presentations vary as asked (margins, sizes, polarity, contrast, per-word jitter, lines, JPEG)', () => {
  const fonts = parseFontList(FC_LIST);
  const texts = Array.from({ length: 300 }, (_, i) => `Line number ${i} here now`);
  const plan = planLines(texts, fonts, { lines: 3000, seed: 4, handwritingShare: 0.8, augmentation: 'strong', heldOutFamilies: HELD });
  const share = (f: (p: (typeof plan)[number]) => boolean): number => plan.filter(f).length / plan.length;
  const a = (p: (typeof plan)[number]) => p.augmentation;
  const between = (x: number, lo: number, hi: number, what: string): void => assert.ok(x >= lo && x <= hi, `${what}: ${x}`);
  between(share((p) => a(p).margin.every((m) => m === 0)), 0.25, 0.35, 'tight crops');
  between(share((p) => Math.max(...a(p).margin) > a(p).pointSize), 0.08, 0.25, 'wide margins');
  between(share((p) => a(p).pointSize < 24), 0.1, 0.2, 'small text');
  between(share((p) => a(p).inverted === true), 0.07, 0.13, 'inverted');
  between(share((p) => a(p).contrast !== undefined), 0.05, 0.12, 'low contrast');
  between(share((p) => a(p).jpegQuality !== undefined), 0.09, 0.17, 'JPEG');
  between(share((p) => a(p).underline !== undefined), 0.02, 0.07, 'underlined');
  between(share((p) => a(p).ruled === true), 0.02, 0.07, 'ruled');
  between(share((p) => a(p).words !== undefined), 0.25, 0.4, 'word by word');
  for (const p of plan.filter((q) => a(q).words)) {
    assert.equal(a(p).words!.length, p.text.split(' ').length);
    assert.ok(new Set(a(p).words!.map((w) => w.scale)).size > 1 || p.text.split(' ').length < 3);
  }
  assert.ok(plan.some((p) => a(p).words?.some((w) => w.shift !== 0)), 'baseline drift');
  const hand = plan.filter((p) => p.font.handwriting).length / plan.length;
  assert.ok(Math.abs(hand - 0.8) < 0.04, `handwriting share ${hand}`);
  assert.ok(plan.filter((p) => p.split === 'train').some((p) => a(p).stretch !== undefined), 'train lines stretched');
  assert.ok(plan.filter((p) => p.split !== 'train').every((p) => a(p).stretch === undefined), 'dev and test keep the standard distortions');
  for (const p of plan) assert.equal(p.text, p.font.unicase ? p.text.toUpperCase() : texts.find((t) => t === p.text), `${p.font.family}: ${p.text}`);
  assert.ok(plan.some((p) => p.font.unicase));
  assert.deepEqual(padArgs(3, 0, 1, 0), ['-bordercolor', 'white', '-border', '3x0', '-gravity', 'east', '-chop', '2x0']);
});

const canRender = haveCommand('convert', ['-version']) && haveCommand('fc-list', ['--version']);
const dir = mkdtempSync(join(tmpdir(), 'sayre-lines-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('build: renders readable, varied PNGs and manifests for every split, then resumes without redoing them', { skip: canRender ? false : 'needs ImageMagick convert and fontconfig' }, async () => {
  const installed = parseFontList((await import('node:child_process')).execFileSync('fc-list', [':', 'file', 'family', 'style'], { encoding: 'utf8' }));
  const fonts = installed.filter((f) => /DejaVuSans\.ttf$|DejaVuSerif\.ttf$|LiberationSans-Regular|LiberationSerif-Regular/.test(f.file));
  if (fonts.length < 2) return; // fonts-dejavu / fonts-liberation not installed
  const held = { 'heldout-dev': [fonts[0]!.family], 'heldout-test': [fonts[1]!.family] };
  const sentences = Array.from({ length: 30 }, (_, i) => ({ text: '', original: `The quick brown fox number ${i} jumps over it.`, source: 't' }));
  const heldOutParagraphs = ['A hacker is a person who enjoys exploring the details of programmable systems and how to stretch their capabilities.'];
  const opts = { outDir: dir, lines: 24, seed: 5, jobs: 2, sentences, devShare: 0.2, testShare: 0.2, fonts, heldOutLines: 2, heldOutParagraphs, heldOutFamilies: held };
  const first = await buildLinesCorpus({ ...opts, fonts: installed.filter((f) => fonts.includes(f) || f.family === 'DejaVu Sans Mono') });
  assert.ok(first.complete);
  assert.equal(first.progress.generated, 24 + 8);
  const summary = JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8')) as { status: string; missing: string[] };
  assert.deepEqual([summary.status, summary.missing], ['complete', []]);
  const entries = LINE_SPLITS.flatMap((s) => readFileSync(join(dir, `${s}.jsonl`), 'utf8').trim().split('\n').map((l) => ({ split: s, ...JSON.parse(l) as { image: string; text: string; font: string; rendering: string; augmentation: { margin: number[]; inverted?: boolean } } })));
  assert.equal(entries.length, 32);
  for (const e of entries) {
    const img = readImage(join(dir, e.image));
    assert.ok(img.height >= 8 && img.width > img.height, `${e.image} is a line (${img.width}x${img.height})`);
    const sorted = img.data.slice().sort();
    const q = (p: number): number => sorted[Math.floor(p * (sorted.length - 1))]!;
    const paper = q(0.5), lighter = q(0.995) - paper, darker = paper - q(0.005);
    assert.ok(e.augmentation.inverted ? lighter > darker : darker > lighter, `${e.image}: ink ${e.augmentation.inverted ? 'lighter' : 'darker'} than the paper`);
    assert.ok(Math.max(lighter, darker) > 0.1, `${e.image} has ink`);
    if (e.split.startsWith('heldout')) assert.ok(held[e.split as 'heldout-dev'].some((f) => e.font.startsWith(f)), `${e.image} in its held-out family`);
    else assert.ok(!Object.values(held).flat().some((f) => e.font === `${f} Book` || e.font === `${f} Regular`), `${e.image}: no held-out family in ${e.split}`);
  }
  assert.deepEqual(entries.filter((e) => e.split === 'heldout-test').map((e) => e.rendering), ['plain', 'varied', 'plain', 'varied']);
  const again = await buildLinesCorpus({ ...opts, fonts: installed.filter((f) => fonts.includes(f) || f.family === 'DejaVu Sans Mono') });
  assert.equal(again.progress.generated, 0);
  assert.equal(again.progress.skipped, 32);
  assert.ok(!isCompletePng(join(dir, 'train.jsonl')));
  await assert.rejects(buildLinesCorpus({ ...opts, lines: 25 }), /planned with other options/);

  // A build stopped before it rendered anything says so in corpus.json and lists the lines it lacks.
  const stopped = join(dir, 'stopped');
  const none = await buildLinesCorpus({ ...opts, outDir: stopped, signal: AbortSignal.abort() });
  assert.equal(none.complete, false);
  const left = JSON.parse(readFileSync(join(stopped, 'corpus.json'), 'utf8')) as { status: string; missing: string[] };
  assert.equal(left.status, 'incomplete');
  assert.deepEqual(left.missing, none.plan.map((l) => l.id));
  assert.equal(readFileSync(join(stopped, 'train.jsonl'), 'utf8'), '');
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
