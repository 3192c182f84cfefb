/**
 * The recipes' run configs: each one resolves (every field valid), and each fine-tuning
 * recipe describes the same model and front end as the run it starts from, so that the
 * recipe's `sayre train --init-from` finds every weight in the shape it expects.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { resolveRunConfig } from '../../src/train/run/run-config.js';

const dir = fileURLToPath(new URL('../../../recipes/', import.meta.url));
const read = (name: string): unknown => JSON.parse(readFileSync(dir + name, 'utf8'));

test('every recipe config resolves; a fine-tuning recipe keeps its base run\'s model and front end', () => {
  const names = readdirSync(dir).filter((f) => f.endsWith('.json'));
  assert.ok(names.includes('english.json') && names.includes('text-lines.json'), names.join());
  for (const n of names) resolveRunConfig(read(n), n);
  const tunes = names.filter((n) => n.endsWith('-finetune.json'));
  assert.ok(tunes.length >= 2, tunes.join());
  for (const t of tunes) {
    const base = t.replace('-finetune', '');
    const a = resolveRunConfig(read(base), base), b = resolveRunConfig(read(t), t);
    assert.deepEqual(b.model, a.model, `${t}: model`);
    assert.deepEqual(b.frontEnd, a.frontEnd, `${t}: front end`);
    assert.equal(b.training.schedule.kind, 'cosine', `${t}: a decaying learning rate`);
    assert.ok(b.training.learningRate < a.training.learningRate, `${t}: a smaller learning rate than ${base}`);
  }
  // the RNN-T starts its encoder from the CTC model: it must see the same features
  const ctc = resolveRunConfig(read('english.json'), 'english.json'), rnnt = resolveRunConfig(read('english-rnnt.json'), 'english-rnnt.json');
  assert.deepEqual(rnnt.frontEnd, ctc.frontEnd, 'english-rnnt.json: front end');
  // the shell recipes name the fine-tuning configs they use
  for (const sh of ['english.sh', 'text-lines.sh']) {
    const text = readFileSync(dir + sh, 'utf8');
    assert.match(text, new RegExp(`--config recipes/${sh.replace('.sh', '')}-finetune\\.json`), sh);
    assert.match(text, /--init-from/, sh);
  }
});
