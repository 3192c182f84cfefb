/** Per-font tables of line scores: by family, kind and rendering, each from the right lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { handwritingFamilies, lineScoreGroups } from '../../src/metrics/line-groups.js';

test('lineScoreGroups: family, kind, rendering and per-rendering tables count the lines they should', () => {
  const entries = [
    { extra: { family: 'Breip', handwriting: true, rendering: 'plain' } },
    { extra: { family: 'Breip', handwriting: true, rendering: 'varied' } },
    { extra: { family: 'Tuffy', handwriting: false, rendering: 'varied' } },
    { extra: { font: 'Cantarell Bold', rendering: 'plain' } },
  ];
  const score = scoreTranscripts([
    { ref: 'ab', hyp: 'ax' }, { ref: 'cd', hyp: 'cd' }, { ref: 'ef', hyp: 'xx' }, { ref: 'gh', hyp: 'gh' },
  ]);
  const g = lineScoreGroups(score.utterances, entries);
  assert.deepEqual(Object.keys(g).sort(), ['family', 'family/plain', 'family/varied', 'kind', 'kind/plain', 'kind/varied', 'rendering']);
  assert.deepEqual(g['family']!.map((r) => [r.group, r.utterances, r.chars.errors]), [['Breip', 2, 1], ['Cantarell Bold', 1, 0], ['Tuffy', 1, 2]]);
  assert.deepEqual(g['kind/varied']!.map((r) => [r.group, r.utterances, r.cer]), [['handwriting-like', 1, 0], ['regular', 1, 1]]);
  assert.deepEqual(g['family/plain']!.map((r) => [r.group, r.cer]), [['Breip', 0.5], ['Cantarell Bold', 0]]);
  assert.deepEqual(g['rendering']!.map((r) => [r.group, r.utterances, r.chars.errors]), [['plain', 2, 1], ['varied', 2, 2]]);
  assert.deepEqual(handwritingFamilies(entries), ['Breip']);
  // Without renderings: only the family and kind tables.
  assert.deepEqual(Object.keys(lineScoreGroups(score.utterances, entries.map((e) => ({ extra: { family: e.extra.family } })))), ['family', 'kind']);
});
