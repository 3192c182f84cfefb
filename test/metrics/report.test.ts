import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { formatErrorSummary, formatScoreReport, formatScoreSummary, scoreReportJsonl } from '../../src/metrics/report.js';
import { alignWords } from '../../src/metrics/error-rate.js';

const score = scoreTranscripts([
  { id: 'good', ref: 'hello world', hyp: 'hello world' },
  { id: 'bad', ref: 'the cat sat', hyp: 'a cat' },
]);

test('summaries follow Kaldi compute-wer', () => {
  assert.equal(formatScoreSummary(score), [
    '%WER 40.00 [ 2 / 5, 0 ins, 1 del, 1 sub ]',
    '%CER 31.82 [ 7 / 22, 0 ins, 6 del, 1 sub ]', // "the cat sat" -> "a cat": 1 sub and 2 del in "the", " sat" deleted,
  ].join('\n'));
  assert.equal(formatErrorSummary('WER', alignWords('', 'x')), '%WER inf [ 1 / 0, 1 ins, 0 del, 0 sub ]');
});

test('the text report lists the worst utterances first, with alignments', () => {
  const report = formatScoreReport(score);
  const bad = report.indexOf('bad: WER 66.67 [ 2 / 3, 0 ins, 1 del, 1 sub ]');
  const good = report.indexOf('good: WER 0.00');
  assert.ok(bad > 0 && good > bad, report);
  assert.ok(report.includes('REF: the cat sat\nHYP: a   cat ***\n     S       D\n'));
});

test('the JSON-lines report has one object per utterance in corpus order', () => {
  const lines = scoreReportJsonl(score).trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]!['id'], 'good');
  assert.deepEqual(lines[1]!['words'], { hits: 1, substitutions: 1, deletions: 1, insertions: 0, errors: 2, refLength: 3, hypLength: 2 });
  assert.deepEqual(lines[1]!['alignment'], [['the', 'a'], ['cat', 'cat'], ['sat', null]]);
  assert.equal(scoreReportJsonl(scoreTranscripts([])), '');
});
