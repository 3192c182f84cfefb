import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (tests run from dist/test/...). */
export const repoRoot = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the test files');
    dir = up;
  }
  return dir;
})();

/** A folder of PyTorch reference fixtures (ctc/, rnnt/, lstm/, fbank/) and a label for test names. */
export interface FixtureSet {
  label: string;
  dir: string;
}

/** The repository's own fixtures: test/fixtures, written by scripts/make_fixtures.py. */
export const repoFixtures: FixtureSet = { label: 'test/fixtures', dir: join(repoRoot, 'test', 'fixtures') };

const sharedDir = resolve(repoRoot, '..', 'shared', 'fixtures');

/**
 * Every fixture set the tests check: the repository's own, then ../shared/fixtures (the
 * larger set CI keeps beside the clone) as an extra cross-check where it exists.
 */
export const fixtureSets: FixtureSet[] = existsSync(sharedDir)
  ? [repoFixtures, { label: '../shared/fixtures', dir: sharedDir }]
  : [repoFixtures];

/** Reads <set>/<rel> as JSON; the fixtures write infinities as the strings "inf" / "-inf". */
export function loadFixture<T>(rel: string, set: FixtureSet = repoFixtures): T {
  const path = join(set.dir, rel);
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text, (_key, value: unknown) => {
      if (value === 'inf') return Infinity;
      if (value === '-inf') return -Infinity;
      return value;
    }) as T;
  } catch (e) {
    throw new Error(`fixture ${path}: ${(e as Error).message}`);
  }
}
