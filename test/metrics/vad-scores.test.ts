import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countEndpoints } from '../../src/metrics/endpoint-scores.js';
import { countVadFrames, vadRates } from '../../src/metrics/vad-scores.js';

/** Labels from runs of [value, frames]. */
function runs(...parts: [number, number][]): number[] {
  return parts.flatMap(([v, n]) => Array<number>(n).fill(v));
}

describe('VAD frame scores', () => {
  it('count hits and false alarms, and the rates from them', () => {
    const labels = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
    const decided = [true, true, true, false, true, false, false, false, false, false];
    const c = countVadFrames(decided, labels);
    assert.deepEqual(c, { frames: 10, speech: 4, hits: 3, falseAlarms: 1 });
    assert.deepEqual(vadRates(c), { accuracy: 0.8, recall: 0.75, falseAlarmRate: 1 / 6 });
    assert.throws(() => countVadFrames([true], labels), /1 decisions for 10 labelled frames/);
  });
});

describe('endpoint scores', () => {
  // speech 1 s, pause 1.5 s, speech 1 s, pause 0.5 s, speech 1 s, pause 1.2 s (10 ms frames)
  const labels = runs([1, 100], [0, 150], [1, 100], [0, 50], [1, 100], [0, 120]);

  it('a perfect detector finds every long pause and cuts nothing', () => {
    const c = countEndpoints(labels.map((l) => l === 1), labels, 0.01);
    assert.deepEqual(c, { pauses: 2, found: 2, endpoints: 2, cuts: 0 });
  });

  it('a detector that misses speech ends utterances inside it', () => {
    // deaf after the first 0.2 s of the second utterance: rule 2 fires 0.8 s later, at its last frame
    const decided = labels.map((l, f) => l === 1 && !(f >= 270 && f < 350));
    const c = countEndpoints(decided, labels, 0.01);
    assert.equal(c.cuts, 1);
    assert.equal(c.found, 2);
  });

  it('a detector that hears speech everywhere finds no pause', () => {
    assert.deepEqual(countEndpoints(labels.map(() => true), labels, 0.01), { pauses: 2, found: 0, endpoints: 0, cuts: 0 });
  });
});
