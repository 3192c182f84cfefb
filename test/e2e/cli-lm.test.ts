import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { readArpa } from '../../src/decode/lm/arpa-reader.js';
import { buildKneserNey, corpusSentences } from '../../src/decode/lm/kneser-ney.js';
import { repoRoot } from '../helpers/fixtures.js';
import { randomCorpus } from '../decode/lm/corpus.js';
import { cutIntoLines } from '../../src/corpus/lines/line-texts.js';
import { Random } from '../../src/math/random.js';

const cli = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'cli', 'main.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('sayre lm build writes the model buildKneserNey makes, without the excluded sentences; lm score reports perplexity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-lm-cli-'));
  try {
    const sentences = randomCorpus(31, 400, 60).map((s) => s.join(' '));
    const held = sentences.slice(0, 5);
    writeFileSync(join(dir, 'text.txt'), sentences.join('\n') + '\n');
    writeFileSync(join(dir, 'dev.jsonl'), held.map((text) => JSON.stringify({ audio: 'x.wav', text })).join('\n') + '\n');
    const out = join(dir, 'lm.arpa');
    const r = cli(['lm', 'build', '--order', '3', '--text', join(dir, 'text.txt'), '--out', out, '--prune', '0', '0', '1', '--exclude', join(dir, 'dev.jsonl')]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /395 sentences \(5 excluded\)/);
    assert.deepEqual(readdirSync(dir).sort(), ['dev.jsonl', 'lm.arpa', 'text.txt']); // no temporary file left
    const expected = buildKneserNey(corpusSentences(sentences.slice(5).join('\n')), { order: 3, prune: [0, 0, 1] }).model;
    const model = readArpa(out);
    for (let k = 1; k <= 3; k++) assert.equal(model.count(k), expected.count(k));
    const s = cli(['lm', 'score', '--lm', out, '--text', join(dir, 'text.txt')]);
    assert.equal(s.code, 0, s.err);
    assert.match(s.out, /perplexity \d+\.\d+/);
    // --fold: the words folded as a word LM beside a character LM reads them
    writeFileSync(join(dir, 'cased.txt'), 'The Cat, sat.\n"the cat" - sat!\n');
    const folded = join(dir, 'folded.arpa');
    const f = cli(['lm', 'build', '--order', '2', '--fold', '--text', join(dir, 'cased.txt'), '--out', folded]);
    assert.equal(f.code, 0, f.err);
    assert.deepEqual([...readArpa(folded).vocabulary].sort(), ['</s>', '<s>', '<unk>', 'cat', 'sat', 'the']);
    const fs = cli(['lm', 'score', '--fold', '--lm', folded, '--text', join(dir, 'cased.txt')]);
    assert.match(fs.out, /2 sentences, 6 tokens \(0 unknown to the model\)/);
    const charFold = cli(['lm', 'build', '--order', '2', '--fold', '--unit', 'char', '--text', join(dir, 'cased.txt'), '--out', folded]);
    assert.notEqual(charFold.code, 0);
    assert.match(charFold.err, /--fold applies to word models/);
    const bad = cli(['lm', 'build', '--order', '3', '--text', join(dir, 'missing.txt'), '--out', out]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /missing\.txt/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sayre lm build --recut cuts the kept sentences, as running text, into lines that cross sentence ends', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sayre-lm-recut-'));
  try {
    // sentences of one line each: a model of them never sees "end. Start" inside a line
    const sentences = Array.from({ length: 60 }, (_, i) => `Start ${i % 7} middle word${i % 5} end.`);
    sentences[10] = 'Secret words here end.';
    writeFileSync(join(dir, 'text.txt'), sentences.join('\n') + '\n');
    writeFileSync(join(dir, 'dev.txt'), 'Secret words here end.\n');
    const out = join(dir, 'recut.arpa');
    const r = cli(['lm', 'build', '--order', '2', '--recut', '--seed', '3', '--text', join(dir, 'text.txt'), '--exclude', join(dir, 'dev.txt'), '--out', out]);
    assert.equal(r.code, 0, r.err);
    const kept = sentences.filter((_, i) => i !== 10);
    const lines = cutIntoLines(kept.join(' '), new Random(3));
    assert.match(r.out, new RegExp(`${lines.length} lines cut from the running text \\(1 excluded\\)`));
    const expected = buildKneserNey(corpusSentences(lines.join('\n')), { order: 2 }).model;
    const model = readArpa(out);
    for (let k = 1; k <= 2; k++) assert.equal(model.count(k), expected.count(k));
    assert.ok(!model.vocabulary.includes('Secret'), 'an excluded sentence stays out');
    const plain = join(dir, 'plain.arpa');
    assert.equal(cli(['lm', 'build', '--order', '2', '--text', join(dir, 'text.txt'), '--out', plain]).code, 0);
    const endThenStart = (file: string): number => {
      const m = readArpa(file);
      return m.score(m.stateOf([m.id('end.')]), m.id('Start'), { logProb: 0, state: 0 }).logProb;
    };
    assert.ok(endThenStart(out) > endThenStart(plain) + 1, 'a sentence end followed by the next start inside a line');
    const seedAlone = cli(['lm', 'build', '--order', '2', '--seed', '3', '--text', join(dir, 'text.txt'), '--out', plain]);
    assert.notEqual(seedAlone.code, 0);
    assert.match(seedAlone.err, /--seed applies to --recut/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
