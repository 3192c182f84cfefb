import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scoreTranscripts } from '../../src/metrics/error-rate.js';
import { formatGroupTable, scoreByGroup } from '../../src/metrics/group-scores.js';

test('scores by group: totals per voice, and a table', () => {
  const pairs = [{ ref: 'a cat', hyp: 'a cat' }, { ref: 'the dog', hyp: 'the dig' }, { ref: 'one two', hyp: 'one' }];
  const voices = ['pico:en-GB', 'espeak-ng:mb-us2', 'pico:en-GB'];
  const groups = scoreByGroup(scoreTranscripts(pairs).utterances, (i) => voices[i]!);
  assert.deepEqual(groups.map((g) => [g.group, g.utterances, g.words.errors, g.words.refLength, g.chars.errors]), [
    ['espeak-ng:mb-us2', 1, 1, 2, 1], ['pico:en-GB', 2, 1, 4, 4],
  ]);
  assert.equal(groups[1]!.wer, 0.25);
  assert.equal(groups[1]!.cer, 4 / 12);
  assert.equal(formatGroupTable('voice', groups), [
    'voice               utts   CER %   WER %',
    'espeak-ng:mb-us2       1   14.29   50.00',
    'pico:en-GB             2   33.33   25.00',
  ].join('\n'));
});
