/**
 * test/fixtures is what scripts/make_fixtures.py writes: the generator runs into a temporary
 * folder and every file must match the committed one. Numbers are compared within 1e-6
 * relative (plus 1e-12 absolute), not bit for bit, since PyTorch's CPU kernels may round the
 * last bits differently on another machine; a changed case, seed or format still fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { repoFixtures, repoRoot } from '../helpers/fixtures.js';

const PYTHON = '/usr/bin/python3';

/** Why the generator cannot run here, or undefined when it can. */
function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch, torchaudio'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${PYTHON} with torch and torchaudio not found (Debian: python3-torch python3-torchaudio)`;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).sort();
}

/** Asserts two parsed JSON values agree, numbers within `rel` relative; `where` names the spot. */
function assertSameJson(a: unknown, b: unknown, rel: number, where: string): void {
  if (typeof a === 'number' && typeof b === 'number') {
    assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-12, `${where}: ${a} vs ${b}`);
  } else if (Array.isArray(a) && Array.isArray(b)) {
    assert.equal(a.length, b.length, `${where}: length`);
    for (let i = 0; i < a.length; i++) assertSameJson(a[i], b[i], rel, `${where}[${i}]`);
  } else if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    assert.deepEqual(ka, Object.keys(b).sort(), `${where}: keys`);
    for (const k of ka) assertSameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], rel, `${where}.${k}`);
  } else {
    assert.equal(a, b, where);
  }
}

test('scripts/make_fixtures.py writes test/fixtures', { skip: torchMissing() ?? false }, () => {
  const out = mkdtempSync(join(tmpdir(), 'sayre-fixtures-'));
  try {
    const r = spawnSync(PYTHON, [join(repoRoot, 'scripts', 'make_fixtures.py'), out], { encoding: 'utf8' });
    assert.equal(r.status, 0, `make_fixtures.py failed: ${r.stderr}`);
    const committed = jsonFiles(repoFixtures.dir);
    assert.deepEqual(jsonFiles(out), committed, `the files under ${relative(repoRoot, repoFixtures.dir)}`);
    for (const file of committed) {
      const want = JSON.parse(readFileSync(join(repoFixtures.dir, file), 'utf8')) as unknown;
      const got = JSON.parse(readFileSync(join(out, file), 'utf8')) as unknown;
      assertSameJson(got, want, 1e-6, file);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
