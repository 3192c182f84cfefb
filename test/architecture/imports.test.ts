/**
 * The import rules of docs/architecture.md: every folder of src/ sits on one floor,
 * imports run downwards only (type-only imports count), and no files import each other
 * in a circle.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { findCycles, importGraph } from './import-graph.js';

/** Floors from the top down; folders on one floor do not import each other. */
const floors: readonly (readonly string[])[] = [
  ['index.ts'],
  ['cli', 'server', 'web'],
  ['recognizer'],
  ['train'],
  ['corpus'],
  ['model'],
  ['decode'],
  ['metrics', 'report'],
  ['data'],
  ['image', 'audio'],
  ['losses'],
  ['nn'],
  ['util', 'parallel', 'math'],
  ['backend'],
];

/** Imports between folders of one floor that are part of the design, with the reason. */
const sideways: readonly { from: string; to: string; why: string }[] = [
  { from: 'cli', to: 'server', why: '`sayre serve` starts the server' },
];

/** The compiled test lives in dist/test/architecture; the sources in src/. */
const srcDir = fileURLToPath(new URL('../../../src', import.meta.url));

function folderOf(file: string): string {
  const slash = file.indexOf('/');
  return slash < 0 ? file : file.slice(0, slash);
}

function floorOf(folder: string): number {
  return floors.findIndex((floor) => floor.includes(folder));
}

test('every folder of src/ sits on one floor', () => {
  const entries = readdirSync(srcDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() || e.name.endsWith('.ts'))
    .map((e) => e.name);
  const unplaced = entries.filter((name) => floorOf(name) < 0);
  assert.deepEqual(unplaced, [], `folders of src/ on no floor: ${unplaced.join(', ')}`);
});

test('imports run downwards only (type-only imports included)', () => {
  const { edges } = importGraph(srcDir);
  const upward = edges
    .filter((e) => {
      const from = folderOf(e.from);
      const to = folderOf(e.to);
      if (from === to || floorOf(from) < floorOf(to)) return false;
      return !sideways.some((s) => s.from === from && s.to === to);
    })
    .map((e) => `src/${e.from} -> src/${e.to}`);
  assert.deepEqual(upward, [], `imports up or sideways a floor:\n${upward.join('\n')}`);
});

test('no import cycles', () => {
  const { files, edges } = importGraph(srcDir);
  const cycles = findCycles(files, edges).map((c) => c.map((f) => `src/${f}`).join(', '));
  assert.deepEqual(cycles, [], `files that import each other in a circle:\n${cycles.join('\n')}`);
});

test('the import reader sees type-only, multi-line and dynamic imports', () => {
  // A check that reads nothing passes vacuously: make sure it reads what src/ has.
  const { files, edges } = importGraph(srcDir);
  assert.ok(files.includes('index.ts'));
  assert.ok(edges.some((e) => e.from === 'index.ts' && e.to.startsWith('backend/')));
  assert.ok(edges.length > files.length, `only ${edges.length} imports read from ${files.length} files`);
});

test('only the model directory loaders ask which class a model is (instanceof)', () => {
  // Everything else goes through the seams: DecodableModel for decoding, train/run/model-kinds.ts for training.
  const { files } = importGraph(srcDir);
  const found = files
    .filter((f) => !f.startsWith('model/io/'))
    .filter((f) => /instanceof\s+(CtcModel|RnntModel|CrnnModel)\b/.test(readFileSync(`${srcDir}/${f}`, 'utf8')))
    .map((f) => `src/${f}`);
  assert.deepEqual(found, [], `instanceof on model classes in:\n${found.join('\n')}`);
});
