/**
 * The recipes' run configs: each one resolves (every field valid), and each fine-tuning
 * recipe describes the same model and front end as the run it starts from, so that the
 * recipe's `sayre train --init-from` finds every weight in the shape it expects.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { CrnnModel } from '../../src/model/crnn-model.js';
import { resolveCrnnModelConfig } from '../../src/model/crnn-config.js';
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
  // a second fine-tune starts from the first one's model
  for (const t of names.filter((n) => n.endsWith('-finetune2.json'))) {
    const first = t.replace('-finetune2', '-finetune');
    const a = resolveRunConfig(read(first), first), b = resolveRunConfig(read(t), t);
    assert.deepEqual(b.model, a.model, `${t}: model`);
    assert.deepEqual(b.frontEnd, a.frontEnd, `${t}: front end`);
    assert.equal(b.training.schedule.kind, 'cosine', `${t}: a decaying learning rate`);
  }
  // a third fine-tune may read taller images, as long as every weight keeps its shape; a speech one keeps model and front end
  const shapes = (n: string): string[] => {
    const model = (read(n) as { model: Record<string, unknown> }).model;
    return CrnnModel.paramSpecs(resolveCrnnModelConfig({ ...model, numClasses: 96 })).map((p) => `${p.name} ${p.shape.join('x')}`);
  };
  const thirds = names.filter((n) => n.endsWith('-finetune3.json'));
  assert.ok(thirds.includes('text-lines-finetune3.json') && thirds.includes('english-finetune3.json'), thirds.join());
  for (const t of thirds) {
    // it starts from the second fine-tune's model, or the first's where a recipe has no second
    const second = names.includes(t.replace('-finetune3', '-finetune2')) ? t.replace('-finetune3', '-finetune2') : t.replace('-finetune3', '-finetune');
    if ((read(t) as { model: { type?: string } }).model.type === 'crnn') {
      assert.deepEqual(shapes(t), shapes(second), `${t}: every weight of ${second}'s model, in the same shape`);
    } else {
      const a = resolveRunConfig(read(second), second), b = resolveRunConfig(read(t), t);
      assert.deepEqual(b.model, a.model, `${t}: model`);
      assert.deepEqual(b.frontEnd, a.frontEnd, `${t}: front end`);
    }
    assert.equal(resolveRunConfig(read(t), t).training.schedule.kind, 'cosine', `${t}: a decaying learning rate`);
  }
  // a fourth or fifth fine-tune starts from the one before's model: every weight in its shape, the same input height
  for (const n of [4, 5]) {
    for (const t of names.filter((name) => name.endsWith(`-finetune${n}.json`))) {
      const before = t.replace(`-finetune${n}`, `-finetune${n - 1}`);
      assert.deepEqual(shapes(t), shapes(before), `${t}: every weight of ${before}'s model, in the same shape`);
      assert.deepEqual(resolveRunConfig(read(t), t).frontEnd, resolveRunConfig(read(before), before).frontEnd, `${t}: front end`);
      assert.equal(resolveRunConfig(read(t), t).training.schedule.kind, 'cosine', `${t}: a decaying learning rate`);
    }
  }
  // the RNN-T starts its encoder from the CTC model: it must see the same features
  const ctc = resolveRunConfig(read('english.json'), 'english.json'), rnnt = resolveRunConfig(read('english-rnnt.json'), 'english-rnnt.json');
  assert.deepEqual(rnnt.frontEnd, ctc.frontEnd, 'english-rnnt.json: front end');
  // the shell recipes name the fine-tuning configs they use; english.sh trains recipes/$NAME*.json
  // for each NAME an npm script gives it (english by default)
  const lines = readFileSync(dir + 'text-lines.sh', 'utf8'), english = readFileSync(dir + 'english.sh', 'utf8');
  assert.match(lines, /--config recipes\/text-lines-finetune\.json/);
  assert.match(lines, /--config recipes\/text-lines-finetune2\.json/);
  // the third to fifth start from the stage before's half-precision copy; the fourth adds an
  // extension's train lines, the fifth a second one's
  assert.match(lines, /--config "recipes\/text-lines-finetune\$n\.json" --train "\$@"[^\n]*\n[^\n]*--out "\$RUNS\/text-lines-ft\$n" --init-from "\$before\/model-f16\/model\.safetensors"/);
  assert.match(lines, /extension\(\) \{\n[^\n]*--seed "\$1"[^\n]*--extend "\$C"/);
  assert.match(lines, /\nfinetune_f16 3 "\$C\/train\.jsonl"\n/);
  assert.match(lines, /\nextension 2 "\$X"\nfinetune_f16 4 "\$C\/train\.jsonl" "\$X\/train\.jsonl"\n/);
  assert.match(lines, /\nextension 3 "\$Y"\nfinetune_f16 5 "\$C\/train\.jsonl" "\$X\/train\.jsonl" "\$Y\/train\.jsonl"\n/);
  assert.match(english, /NAME=\$\{NAME:-english\}/);
  // the third English fine-tune reads the first corpus's train and its extension's
  assert.match(english, /--extend "\$C"[^]*--config "recipes\/\$NAME-finetune3\.json" --train "\$C\/train\.jsonl" "\$S\/train\.jsonl"/);
  assert.match(english, /--config "recipes\/\$NAME\.json"[^\n]*\n[^]*--config "recipes\/\$NAME-finetune\.json"/);
  for (const text of [lines, english]) assert.match(text, /--init-from/);
  const scripts = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const englishNames = Object.values(scripts).flatMap((cmd) => {
    const m = /^(?:NAME=([\w-]+) )?bash recipes\/english\.sh/.exec(cmd);
    return m ? [m[1] ?? 'english'] : [];
  });
  assert.deepEqual(englishNames.sort(), ['english', 'english-streaming']);
  for (const n of englishNames) assert.ok(names.includes(`${n}.json`) && names.includes(`${n}-finetune.json`), `recipes/${n}.json and ${n}-finetune.json`);
});
