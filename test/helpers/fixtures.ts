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

/** ../shared/fixtures beside the repository, or $SAYRE_FIXTURES. */
export const fixturesDir = process.env['SAYRE_FIXTURES'] ?? resolve(repoRoot, '..', 'shared', 'fixtures');

/** Reads fixtures/<rel> as JSON; the fixtures write infinities as the strings "inf" / "-inf". */
export function loadFixture<T>(rel: string): T {
  const text = readFileSync(join(fixturesDir, rel), 'utf8');
  return JSON.parse(text, (_key, value: unknown) => {
    if (value === 'inf') return Infinity;
    if (value === '-inf') return -Infinity;
    return value;
  }) as T;
}
