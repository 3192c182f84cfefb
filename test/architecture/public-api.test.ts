/**
 * The public API: a small root export (at most 60 names, types included) with the stable
 * loss and front-end functions, and subpath exports that resolve to index modules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The names an index file exports (values and types), read from its export statements. */
function exportedNames(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const names: string[] = [];
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()!.trim();
      if (name) names.push(name);
    }
  }
  for (const m of text.matchAll(/^export\s+(?:declare\s+)?(?:async\s+)?(?:function|class|const|let|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) names.push(m[1]!);
  return names;
}

test('the root export has at most 60 names', () => {
  const names = exportedNames(`${root}src/index.ts`);
  assert.ok(names.length >= 20, `only ${names.length} names read: the reader is broken`);
  assert.equal(new Set(names).size, names.length, 'a name exported twice');
  assert.ok(names.length <= 60, `the root export has ${names.length} names: move some to a subpath`);
});

test('the root keeps ctcLoss, ctcGreedyDecode, rnntLoss, fbank and the recogniser', async () => {
  const sayre = await import('sayre') as Record<string, unknown>;
  for (const name of ['ctcLoss', 'ctcGreedyDecode', 'rnntLoss', 'fbank', 'Recognizer', 'createDecoder', 'trainingRun']) {
    assert.equal(typeof sayre[name], 'function', `sayre.${name}`);
  }
});

test('every subpath in package.json resolves to an index module with exports', async () => {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { exports: Record<string, { default: string }> };
  const subpaths = Object.keys(pkg.exports).filter((k) => k !== '.');
  for (const want of ['./train', './nn', './lm', './audio', './image', './backend', './decode', './model']) assert.ok(subpaths.includes(want), want);
  for (const sub of subpaths) {
    assert.match(pkg.exports[sub]!.default, /\/index\.js$/, sub);
    const mod = await import(`sayre/${sub.slice(2)}`) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, `sayre/${sub.slice(2)} exports nothing`);
  }
  const lm = await import('sayre/lm') as Record<string, unknown>;
  assert.equal(typeof lm['buildKneserNey'], 'function');
});
