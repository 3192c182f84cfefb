import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Random } from '../../../src/math/random.js';
import type { Features } from '../../../src/util/features.js';
import { cachedFeatures, featureCacheKey } from '../../../src/train/run/feature-cache.js';
import type { InputItem, RunInput } from '../../../src/train/run/run-input.js';

const DIM = 5;

/** Items with pseudo-random features of 0..40 frames (seeded by the item's path). */
function items(n: number, prefix = 'u'): InputItem[] {
  return Array.from({ length: n }, (_, i) => ({ path: `/corpus/${prefix}${i}.wav`, name: `${prefix}${i}.wav`, text: `text ${i}`, line: i + 1, amount: 1 }));
}

function featuresOf(item: InputItem): Features {
  let seed = 0;
  for (const c of item.path) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  const rng = new Random(seed);
  const frames = rng.int(41);
  const data = new Float32Array(frames * DIM);
  for (let k = 0; k < data.length; k++) data[k] = rng.uniform() * 20 - 10;
  return { data, frames, dim: DIM };
}

/** A speech-like input whose features are computed by `featuresOf`, counting the calls; `failAt` throws at that call. */
function fakeInput(failAt = -1): RunInput & { calls: number } {
  const input = {
    kind: 'speech' as const, frontEnd: { type: 'fake', dim: DIM }, cmvn: true, unit: 'items', calls: 0,
    tokenizer: () => { throw new Error('unused'); },
    read: () => { throw new Error('unused'); },
    features: (item: InputItem): Features => {
      if (input.calls++ === failAt) throw new Error('simulated crash');
      return featuresOf(item);
    },
    describe: () => '',
  };
  return input as unknown as RunInput & { calls: number };
}

const tmp = (): string => mkdtempSync(join(tmpdir(), 'sayre-fcache-'));

test('a feature cache reads back, item by item, exactly the features computed, in memory or streamed', async () => {
  const dir = tmp();
  const entries = items(30);
  const input = fakeInput();
  const built = await cachedFeatures(dir, 'train', entries, input, { memoryBytes: 1e9 });
  assert.equal(input.calls, 30);
  assert.equal(built.mode, 'memory');
  const again = fakeInput();
  const hit = await cachedFeatures(dir, 'train', entries, again, { memoryBytes: 1e9 });
  assert.equal(again.calls, 0, 'a cache hit computes nothing');
  const streamed = await cachedFeatures(dir, 'train', entries, again, { memoryBytes: 0 });
  assert.equal(streamed.mode, 'stream');
  assert.equal(again.calls, 0);
  for (const set of [built, hit, streamed]) {
    assert.equal(set.length, 30);
    entries.forEach((e, i) => {
      const want = featuresOf(e);
      assert.equal(set.frames[i], want.frames);
      assert.deepEqual(set.get(i), want);
    });
  }
  // The index is of the current format and names the key.
  const index = JSON.parse(readFileSync(join(dir, 'train.json'), 'utf8')) as { version: number; key: string };
  assert.equal(index.version, 2);
  assert.equal(index.key, featureCacheKey(entries, input.frontEnd));
});

test('a cache made by another version of the reader is not read: the features are computed again', async () => {
  const dir = tmp();
  const entries = items(5);
  const withReader = (reader: string): RunInput & { calls: number } => Object.assign(fakeInput(), { reader });
  await cachedFeatures(dir, 'train', entries, withReader('lineInput 1'));
  const same = withReader('lineInput 1'), newer = withReader('lineInput 2');
  await cachedFeatures(dir, 'train', entries, same);
  assert.equal(same.calls, 0, 'the same reader reads the cache');
  await cachedFeatures(dir, 'train', entries, newer);
  assert.equal(newer.calls, entries.length, 'another reader computes every item again');
});

test('an interrupted cache build leaves no trusted cache: the next run computes the features again', async () => {
  const dir = tmp();
  const entries = items(20);
  await cachedFeatures(dir, 'train', entries, fakeInput());
  // A rebuild for other entries dies half-way (no clean-up runs after a real crash either;
  // the code does nothing on this path that a crash would skip but closing the file).
  const other = items(20, 'v');
  await assert.rejects(cachedFeatures(dir, 'train', other, fakeInput(10)), /simulated crash/);
  assert.equal(existsSync(join(dir, 'train.json')), false, 'the old index went before the data was replaced');
  assert.ok(existsSync(join(dir, 'train.f32.partial')), 'the half-written data is beside, never trusted');
  for (const [list, name] of [[entries, 'first'], [other, 'other']] as const) {
    const input = fakeInput();
    const set = await cachedFeatures(dir, 'train', list, input);
    assert.equal(input.calls, 20, `${name}: recomputed`);
    list.forEach((e, i) => assert.deepEqual(set.get(i), featuresOf(e)));
  }
  assert.equal(existsSync(join(dir, 'train.f32.partial')), false);
});

test('a cache whose data file is short, or whose index is of the old format, is recomputed, not misread', async () => {
  const dir = tmp();
  const entries = items(12);
  await cachedFeatures(dir, 'train', entries, fakeInput());
  const data = join(dir, 'train.f32');
  const index = join(dir, 'train.json');
  const full = readFileSync(data).byteLength;
  truncateSync(data, full - 4);
  let input = fakeInput();
  await cachedFeatures(dir, 'train', entries, input);
  assert.equal(input.calls, 12, 'short data: recomputed');
  // The format before version 2: {key, dim, frames}, with the same data layout.
  const { key, dim, frames } = JSON.parse(readFileSync(index, 'utf8')) as { key: string; dim: number; frames: number[] };
  writeFileSync(index, JSON.stringify({ key, dim, frames }));
  input = fakeInput();
  const set = await cachedFeatures(dir, 'train', entries, input);
  assert.equal(input.calls, 12, 'old index: recomputed');
  entries.forEach((e, i) => assert.deepEqual(set.get(i), featuresOf(e)));
});

test('over its memory budget a cache is read per item with positioned reads, in bounded memory, to the same values', async () => {
  const dir = tmp();
  const entries = items(60);
  const budget = 4096;
  const inMemory = await cachedFeatures(dir, 'train', entries, fakeInput());
  const streamed = await cachedFeatures(dir, 'train', entries, fakeInput(), { memoryBytes: budget });
  assert.equal(inMemory.mode, 'memory');
  assert.equal(streamed.mode, 'stream');
  assert.ok(inMemory.residentBytes > 5 * budget, 'the set is much larger than the budget');
  // Items read raw (as the CMVN pass does) are not served again once a normalisation is set.
  for (let i = 0; i < 10; i++) assert.deepEqual(streamed.get(i), featuresOf(entries[i]!));
  assert.ok(streamed.residentBytes > 0, 'the LRU holds items');
  // The same normalisation in place (applied at once) and on each read.
  const norm = (f: Features): void => { for (let k = 0; k < f.data.length; k++) f.data[k] = (f.data[k]! - 0.25) / 3; };
  inMemory.normalise(norm);
  streamed.normalise(norm);
  const rng = new Random(7);
  for (let step = 0; step < 500; step++) {
    const i = rng.int(entries.length);
    const f = streamed.get(i);
    assert.deepEqual(f, inMemory.get(i));
    assert.ok(streamed.residentBytes <= budget, `${streamed.residentBytes} bytes held`);
  }
  // Normalised exactly once, however often an item is read.
  const again = streamed.get(3);
  const raw = featuresOf(entries[3]!);
  norm(raw);
  assert.deepEqual(again, raw);
});
