import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Endpointer, resolveEndpointRules } from '../../src/audio/endpoint.js';
import { FrameVad } from '../../src/audio/frame-vad.js';
import { Random } from '../../src/math/random.js';

const RATE = 16000;

/**
 * Synthetic speech with silences: background noise at about -46 dBFS throughout, and in
 * each [start, end) second span a voiced buzz (harmonics of a wobbling 120 Hz, syllable-rate
 * amplitude modulation that never falls silent) at about -20 dBFS.
 */
function speechWithPauses(seconds: number, spans: [number, number][], seed = 1): Float32Array {
  const rng = new Random(seed);
  const x = new Float32Array(Math.round(seconds * RATE));
  let phase = 0;
  for (let i = 0; i < x.length; i++) {
    const t = i / RATE;
    x[i] = 0.005 * rng.normal();
    if (spans.some(([a, b]) => t >= a && t < b)) {
      phase += (2 * Math.PI * (120 + 20 * Math.sin(2 * Math.PI * 3 * t))) / RATE;
      let v = 0;
      for (let h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
      x[i]! += 0.07 * (0.7 + 0.3 * Math.sin(2 * Math.PI * 4 * t)) * v;
    }
  }
  return x;
}

/** Runs samples in chunks of `chunk` through a VAD and an endpointer; returns the decisions and the endpointer. */
function run(x: Float32Array, chunk: number, config = {}): { speech: boolean[]; ep: Endpointer } {
  const vad = new FrameVad(RATE);
  const ep = new Endpointer(vad.frameSeconds, config);
  const speech: boolean[] = [];
  for (let at = 0; at < x.length; at += chunk) {
    const d = vad.accept(x.subarray(at, at + chunk));
    speech.push(...d);
    ep.accept(d);
  }
  return { speech, ep };
}

describe('FrameVad', () => {
  const x = speechWithPauses(4, [[0.5, 1.5], [2.2, 3.0]]);
  it('marks the speech spans and the pauses, within two frames of each edge', () => {
    const { speech } = run(x, 1600);
    assert.equal(speech.length, 400);
    speech.forEach((s, f) => {
      const t = f / 100;
      const inside = (t >= 0.5 && t < 1.5) || (t >= 2.2 && t < 3.0);
      const nearEdge = [0.5, 1.5, 2.2, 3.0].some((e) => Math.abs(t - e) <= 0.02);
      if (!nearEdge) assert.equal(s, inside, `frame ${f} (${t.toFixed(2)} s)`);
    });
  });

  it('decides the same whatever the chunk sizes', () => {
    const ref = run(x, 1600).speech;
    for (const chunk of [1, 7, 160, 161, 4001]) assert.deepEqual(run(x, chunk).speech, ref, `chunks of ${chunk}`);
  });
});

describe('Endpointer', () => {
  it('fires 0.8 s after the end of speech (rule 2)', () => {
    const { ep } = run(speechWithPauses(3, [[0.3, 1.3]]), 1600);
    assert.ok(ep.isEndpoint());
    assert.ok(Math.abs(ep.endpointAt! - 2.1) <= 0.021, `fired at ${ep.endpointAt}`);
    assert.ok(Math.abs(ep.speechEnd - 1.3) <= 0.021, `speech ended at ${ep.speechEnd}`);
  });

  it('does not fire at a pause shorter than the trailing silence', () => {
    const { ep } = run(speechWithPauses(2.5, [[0.3, 1.0], [1.5, 2.5]]), 1600);
    assert.equal(ep.isEndpoint(), false);
  });

  it('fires after 2.4 s of silence with no speech (rule 1), and at the maximum length whatever the input (rule 3)', () => {
    const silent = run(speechWithPauses(3, []), 1600).ep;
    assert.ok(Math.abs(silent.endpointAt! - 2.4) <= 0.011, `fired at ${silent.endpointAt}`);
    assert.equal(silent.containsSpeech, false);
    const long = run(speechWithPauses(4, [[0.2, 1.5], [1.7, 3.1], [3.3, 4]]), 1600, { rule3: { minUtteranceLength: 3 } }).ep;
    assert.ok(Math.abs(long.endpointAt! - 3) <= 0.011, `fired at ${long.endpointAt}`);
  });

  it('takes its rules from the config, and resets for the next utterance', () => {
    const { ep } = run(speechWithPauses(3, [[0.3, 1.3]]), 1600, { rule2: { minTrailingSilence: 0.5 } });
    assert.ok(Math.abs(ep.endpointAt! - 1.8) <= 0.021, `fired at ${ep.endpointAt}`);
    ep.reset();
    assert.equal(ep.isEndpoint(), false);
    assert.equal(ep.length, 0);
    assert.throws(() => resolveEndpointRules({ rule2: { minTrailingSilence: -1 } }), /rule2: minTrailingSilence must be/);
  });
});
