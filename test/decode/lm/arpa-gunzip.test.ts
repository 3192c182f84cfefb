import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { gunzipArpa, linesWithin } from '../../../src/decode/lm/arpa-gunzip.js';
import { LimitError } from '../../../src/util/limits.js';
import { rng } from '../../helpers/compare.js';

/** The obvious check: split at line feeds, measure each line. */
function referenceLinesWithin(b: Buffer, max: number): boolean {
  return b.toString('latin1').split('\n').every((l) => l.length <= max);
}

test('linesWithin agrees with splitting at line feeds', () => {
  const next = rng(3);
  for (let trial = 0; trial < 400; trial++) {
    const lines: string[] = [];
    const n = Math.floor(next() * 12);
    for (let i = 0; i < n; i++) lines.push('x'.repeat(Math.floor(next() ** 3 * 300)));
    let text = lines.join('\n');
    if (next() < 0.3) text += '\n';
    if (next() < 0.2) text = '\n' + text;
    const b = Buffer.from(text, 'latin1');
    for (const max of [0, 1, 5, 17, 64, 150, 299, 300, 1000]) {
      assert.equal(linesWithin(b, max), referenceLinesWithin(b, max), `${JSON.stringify(lines.map((l) => l.length))} max ${max}`);
    }
  }
});

test('gunzipArpa gives the text of every gzip file whichever way it inflates: honest, lying trailers, several members', () => {
  const text = Buffer.from(Array.from({ length: 5000 }, (_, i) => `-1.5\tw${i} w${i + 1}\t-0.25`).join('\n') + '\n');
  const gz = gzipSync(text);
  const withSize = (size: number): Buffer => {
    const b = Buffer.from(gz);
    b.writeUInt32LE(size >>> 0, b.length - 4);
    return b;
  };
  const half = Math.floor(text.length / 2);
  const cases: [string, Uint8Array, Buffer][] = [
    ['honest', gz, text],
    ['claims less', withSize(text.length - 1), text],
    ['claims more', withSize(text.length + 1), text],
    ['claims past the one-call bound', withSize(2 ** 32 - 1), text],
    ['two members', Buffer.concat([gzipSync(text.subarray(0, half)), gzipSync(text.subarray(half))]), text],
    ['empty', gzipSync(Buffer.alloc(0)), Buffer.alloc(0)],
  ];
  for (const [name, input, want] of cases) assert.ok(gunzipArpa(input, name).equals(want), name);
});

test('a long line in a well-formed gzip file is refused with its line number, as while inflating', () => {
  const text = `\\data\\\nngram 1=1\n\n\\1-grams:\n-1 ${'b'.repeat(70000)}\n\n\\end\\\n`;
  assert.throws(() => gunzipArpa(gzipSync(text), 'long.arpa.gz'), (e: unknown) => e instanceof LimitError
    && /^long\.arpa\.gz: ARPA line 5: a line longer than the 65536 bytes allowed \(refused while inflating\)/.test(e.message));
});
