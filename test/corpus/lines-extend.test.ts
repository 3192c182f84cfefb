/** `sayre corpus lines --extend`: more train lines for a built corpus that never read its evaluation texts or held-out families. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { buildLinesCorpus } from '../../src/corpus/lines/build-lines-corpus.js';
import { extensionLines } from '../../src/corpus/lines/extend-lines-corpus.js';
import { parseFontList } from '../../src/corpus/lines/fonts.js';
import { planLines } from '../../src/corpus/lines/plan.js';
import { haveCommand } from '../helpers/have-command.js';

const FONTS = parseFontList([
  '/f/DejaVuSans.ttf: DejaVu Sans:style=Book',
  '/f/DejaVuSerif.ttf: DejaVu Serif:style=Book',
  '/f/Isabella.ttf: Isabella:style=Regular',
  '/f/femkeklaver.ttf: femkeklaver:style=Regular',
].join('\n'));

test('plan: an extension keeps the train lines that read no evaluation text of the base and use none of its held-out families', () => {
  const texts = Array.from({ length: 40 }, (_, i) => `line number ${i} here`);
  const plan = planLines(texts, FONTS, { lines: 300, seed: 2, devShare: 0.1, testShare: 0.1 });
  const evaluationTexts = new Set(texts.slice(0, 10));
  const base = { dir: '/base', seed: 1, heldOutFamilies: new Set(['Isabella']), evaluationTexts };
  const { lines, dropped } = extensionLines(plan, 2, base);
  const train = plan.filter((l) => l.split === 'train');
  assert.ok(dropped.text > 0 && dropped.family > 0, `each reason drops lines (${JSON.stringify(dropped)})`);
  assert.equal(lines.length + dropped.text + dropped.family, train.length, 'every planned train line is kept or counted as dropped');
  for (const l of lines) {
    assert.equal(l.split, 'train');
    assert.ok(!evaluationTexts.has(l.text) && l.font.family !== 'Isabella', `${l.id}: ${l.text} in ${l.font.family}`);
    assert.equal(plan.find((p) => p.id === l.id), l, 'ids are the plan\'s (a resumed build finds its images)');
  }
  assert.throws(() => extensionLines(plan, 1, base), /--seed 1 is that corpus's own seed/);
});

const canRender = haveCommand('convert', ['-version']) && haveCommand('fc-list', ['--version']);
const dir = mkdtempSync(join(tmpdir(), 'sayre-lines-extend-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('build: an extension renders only train lines outside the base\'s evaluation, records what it left out, resumes, and refuses bad bases',
  { skip: canRender ? false : 'needs ImageMagick convert and fontconfig' }, async () => {
    const installed = parseFontList(execFileSync('fc-list', [':', 'file', 'family', 'style'], { encoding: 'utf8' }));
    const fonts = installed.filter((f) => /DejaVuSans\.ttf$|DejaVuSerif\.ttf$|DejaVuSansMono\.ttf$/.test(f.file));
    if (fonts.length < 3) return; // fonts-dejavu not installed
    // three-word sentences are whole lines, so both seeds plan the same texts
    const sentences = Array.from({ length: 12 }, (_, i) => ({ text: '', original: `Fox number ${i}.`, source: 't' }));
    const held = { 'heldout-dev': [fonts[0]!.family], 'heldout-test': [fonts[1]!.family] };
    const common = { sentences, fonts, jobs: 2, heldOutFamilies: held };
    const baseDir = join(dir, 'base'), extDir = join(dir, 'more');
    const baseRun = await buildLinesCorpus({ ...common, outDir: baseDir, lines: 12, seed: 1, devShare: 0.25, testShare: 0.25, heldOutLines: 1, heldOutParagraphs: ['A hacker is a person who enjoys exploring the details of programmable systems and how to stretch their capabilities, as opposed to most users.'] });
    assert.ok(baseRun.complete);
    const evaluation = new Set(['dev', 'test', 'heldout-dev', 'heldout-test'].flatMap((s) => readFileSync(join(baseDir, `${s}.jsonl`), 'utf8').trim().split('\n').filter(Boolean)
      .map((l) => (JSON.parse(l) as { text: string }).text)));

    const opts = { ...common, outDir: extDir, lines: 16, seed: 2, devShare: 0, testShare: 0, extend: baseDir };
    const first = await buildLinesCorpus(opts);
    assert.ok(first.complete);
    const d = first.extends!.dropped;
    assert.ok(d.text > 0, 'the same texts: some planned lines read a base evaluation text');
    assert.equal(first.counts.train + d.text + d.family, 16);
    const lines = readFileSync(join(extDir, 'train.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { text: string; image: string });
    assert.equal(lines.length, first.counts.train);
    for (const l of lines) {
      assert.ok(!evaluation.has(l.text), `${l.image} reads a base evaluation text: ${l.text}`);
      assert.ok(existsSync(join(extDir, l.image)));
    }
    assert.ok(!existsSync(join(extDir, 'dev.jsonl')) && !existsSync(join(extDir, 'texts.txt')), 'train.jsonl only, no LM text');
    const summary = JSON.parse(readFileSync(join(extDir, 'corpus.json'), 'utf8')) as { status: string; extends: { corpus: string; lines: number; dropped: unknown } };
    assert.equal(summary.status, 'complete');
    assert.deepEqual(summary.extends, { corpus: resolve(baseDir), lines: first.counts.train, dropped: d });
    const again = await buildLinesCorpus(opts);
    assert.deepEqual([again.progress.generated, again.progress.skipped], [0, first.counts.train]);

    // refusals, before anything is written
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x1'), seed: 1 }), /--seed 1 is that corpus's own seed/);
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x2'), extend: extDir }), /itself an extension/);
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x3'), heldOutLines: 2 }), /renders train lines only; leave out --held-out-lines/);
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x4'), extend: join(dir, 'nothing') }), /no corpus\.json there/);
    const partial = join(dir, 'partial');
    await buildLinesCorpus({ ...common, outDir: partial, lines: 12, seed: 1, signal: AbortSignal.abort() });
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x5'), extend: partial }), /not that of a complete build \(status incomplete\)/);
    mkdirSync(join(dir, 'speech'));
    writeFileSync(join(dir, 'speech', 'corpus.json'), JSON.stringify({ status: 'complete', plan: { seed: 1 } }));
    await assert.rejects(buildLinesCorpus({ ...opts, outDir: join(dir, 'x6'), extend: join(dir, 'speech') }), /not that of a sayre corpus lines build/);
    for (const x of ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']) assert.ok(!existsSync(join(dir, x)), `${x}: nothing written`);
  });
