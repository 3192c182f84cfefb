/**
 * Scores of a voice-activity detector on a labelled set, per SNR and overall (frames, and
 * the endpoints the default rules find on its decisions), each example fed to a fresh
 * detector as a stream in 100 ms chunks; and the choice of the trained VAD's threshold on
 * held-out examples.
 */
import { ModelVad } from '../../audio/model-vad.js';
import type { VadModelWeights } from '../../audio/vad-model-weights.js';
import { type VoiceActivityDetector, vadDecisions } from '../../audio/voice-activity.js';
import { countEndpoints, type EndpointCounts, zeroEndpointCounts } from '../../metrics/endpoint-scores.js';
import { countVadFrames, vadRates, type VadCounts, zeroVadCounts } from '../../metrics/vad-scores.js';
import type { LabelledAudio } from './train-vad.js';

/** A labelled example and the SNR it was made at (Infinity: clean). */
export interface SnrExample extends LabelledAudio {
  snrDb: number;
}

/** Frame and endpoint counts per SNR (in the order the SNRs first appear) and over all examples. */
export interface VadEvaluation {
  bySnr: Map<number, VadCounts>;
  all: VadCounts;
  endpointsBySnr: Map<number, EndpointCounts>;
  endpoints: EndpointCounts;
}

/** Runs a detector made by `create` over each of `examples` (see the module comment) and counts its frames. */
export function evaluateVad(create: (sampleRate: number) => VoiceActivityDetector, examples: readonly SnrExample[]): VadEvaluation {
  const bySnr = new Map<number, VadCounts>();
  const all = zeroVadCounts();
  const endpointsBySnr = new Map<number, EndpointCounts>();
  const endpoints = zeroEndpointCounts();
  for (const e of examples) {
    const vad = create(e.sampleRate);
    const decisions = vadDecisions(vad, e.samples, Math.round(e.sampleRate * 0.1));
    bySnr.set(e.snrDb, countVadFrames(decisions, e.labels, bySnr.get(e.snrDb)));
    countVadFrames(decisions, e.labels, all);
    endpointsBySnr.set(e.snrDb, countEndpoints(decisions, e.labels, vad.frameSeconds, {}, endpointsBySnr.get(e.snrDb)));
    countEndpoints(decisions, e.labels, vad.frameSeconds, {}, endpoints);
  }
  return { bySnr, all, endpointsBySnr, endpoints };
}

/** The threshold in 0.05 .. 0.95 (steps of 0.05) at which `weights` decides the most frames of `examples` right. */
export function chooseVadThreshold(weights: VadModelWeights, examples: readonly LabelledAudio[]): { threshold: number; accuracy: number } {
  const probabilities = examples.map((e) => new ModelVad(e.sampleRate, { weights, threshold: 0.5 }).probabilities(e.samples));
  let best = { threshold: 0.5, accuracy: -1 };
  for (let k = 1; k <= 19; k++) {
    const threshold = k / 20;
    const counts = zeroVadCounts();
    probabilities.forEach((p, i) => countVadFrames(Array.from(p, (v) => v >= threshold), examples[i]!.labels, counts));
    const { accuracy } = vadRates(counts);
    if (accuracy > best.accuracy) best = { threshold, accuracy };
  }
  return best;
}
