/**
 * A labelled synthetic set for voice-activity detection: clean utterances joined with
 * pauses, a background noise at a chosen SNR under the whole of it, at a random level, and
 * the speech/non-speech label of every 10 ms frame taken from the clean speech before
 * anything was added (see speech-labels.ts for the rule). Deterministic from its seed.
 *
 * The SNR is the clean speech's active power (mean power over its speech-labelled frames,
 * so that the pauses do not lower it) over the noise's mean power, in dB; Infinity is
 * clean (no noise). The level is that active power in dBFS, before a mixture whose peak
 * would clip is scaled down as a whole (which keeps its SNR).
 */
import { Random } from '../../math/random.js';
import { speechFrameLabels, SPEECH_WITHIN_DB } from './speech-labels.js';
import { NOISE_KINDS, type NoiseKind, vadNoise } from './vad-noise.js';

/** Options of {@link buildVadSet}; all but the seed and count have defaults. */
export interface VadSetOptions {
  seed: number;
  /** Examples to build. */
  examples: number;
  /** SNRs in dB, Infinity for clean; example i gets snrsDb[i % length] (default clean, 20, 10, 5 and 0 dB). */
  snrsDb?: readonly number[];
  /** Noises; every SNR gets each in turn (default all of them). */
  noises?: readonly NoiseKind[];
  /** Utterances per example, at least and at most (default 2 and 4). */
  utterances?: readonly [number, number];
  /** Seconds of pause before, between and after the utterances, at least and at most (default 0.2 and 2). */
  pauseSeconds?: readonly [number, number];
  /** Active speech level in dBFS, at least and at most (default -36 and -16: 10 dB either side of -26, a usual recording level). */
  levelDb?: readonly [number, number];
  /** The labels' rule: speech within this many dB of the utterance's loudest frame (default 35). */
  withinDb?: number;
}

export const DEFAULT_SNRS_DB: readonly number[] = [Infinity, 20, 10, 5, 0];

/** One example: the mixture, its two parts, and the frame labels. */
export interface VadExample {
  /** The mixture, speech + noise. */
  samples: Float32Array;
  /** The speech part (the utterances and pauses, at the example's level). */
  speech: Float32Array;
  /** The noise part (zeros when clean). */
  noise: Float32Array;
  /** 1 per 10 ms frame of speech, 0 of non-speech (frames of {@link VadExample.frameSamples}). */
  labels: Uint8Array;
  frameSamples: number;
  sampleRate: number;
  snrDb: number;
  /** The noise added, or 'none' when clean. */
  noiseKind: NoiseKind | 'none';
  /** Active speech level in dBFS (after any scaling down against clipping). */
  levelDb: number;
}

/** Peak the mixture may reach; louder mixtures are scaled down whole. */
const MAX_PEAK = 0.99;

function between(rng: Random, [lo, hi]: readonly [number, number]): number {
  return lo + (hi - lo) * rng.uniform();
}

/** Mean power of `x` over its frames labelled speech (0 when there are none). */
export function activeSpeechPower(x: Float32Array, labels: Uint8Array, frame: number): number {
  let s = 0, n = 0;
  labels.forEach((l, f) => {
    if (!l) return;
    for (let i = f * frame; i < (f + 1) * frame; i++) s += x[i]! * x[i]!;
    n += frame;
  });
  return n > 0 ? s / n : 0;
}

/** The utterances of one example joined with pauses, and the labels of the whole (pauses are non-speech). */
function joinWithPauses(clips: readonly Float32Array[], frame: number, pauses: readonly number[], withinDb: number): { speech: Float32Array; labels: Uint8Array } {
  // Every piece is a whole number of frames, so that each clip's labels fall on the example's frames.
  const padded = clips.map((c) => Math.ceil(c.length / frame) * frame);
  const total = pauses.reduce((a, p) => a + p, 0) + padded.reduce((a, n) => a + n, 0);
  const speech = new Float32Array(total);
  const labels = new Uint8Array(total / frame);
  let at = pauses[0]!;
  clips.forEach((c, k) => {
    speech.set(c, at);
    labels.set(speechFrameLabels(speech.subarray(at, at + padded[k]!), frame, withinDb), at / frame);
    at += padded[k]! + pauses[k + 1]!;
  });
  return { speech, labels };
}

/**
 * Builds `options.examples` examples from the clean utterances `clips` (mono, at
 * `sampleRate`), each of a few of them (drawn at random) with pauses, noise and gain as the
 * options say. Babble is made of `clips` too, so a set's noise never holds another set's speakers.
 */
export function buildVadSet(clips: readonly Float32Array[], sampleRate: number, options: VadSetOptions): VadExample[] {
  if (clips.length === 0) throw new Error('buildVadSet: no utterances');
  const snrs = options.snrsDb ?? DEFAULT_SNRS_DB;
  const noises = options.noises ?? NOISE_KINDS;
  const [minUtterances, maxUtterances] = options.utterances ?? [2, 4];
  const withinDb = options.withinDb ?? SPEECH_WITHIN_DB;
  if (snrs.length === 0 || noises.length === 0) throw new Error('buildVadSet: snrsDb and noises must not be empty');
  if (!(minUtterances >= 1 && maxUtterances >= minUtterances)) throw new Error(`buildVadSet: bad utterances range [${minUtterances}, ${maxUtterances}]`);
  const frame = Math.round(sampleRate * 0.01);
  const rng = new Random(options.seed);
  const out: VadExample[] = [];
  for (let e = 0; e < options.examples; e++) {
    const k = minUtterances + rng.int(maxUtterances - minUtterances + 1);
    const chosen = Array.from({ length: k }, () => clips[rng.int(clips.length)]!);
    const pauses = Array.from({ length: k + 1 }, () => frame * Math.round(between(rng, options.pauseSeconds ?? [0.2, 2]) * 100));
    const { speech, labels } = joinWithPauses(chosen, frame, pauses, withinDb);
    // Every SNR with every noise equally often: the SNRs cycle fastest, then the noises.
    const snrDb = snrs[e % snrs.length]!;
    const kind = noises[Math.floor(e / snrs.length) % noises.length]!;
    const noise = Number.isFinite(snrDb) ? vadNoise(kind, speech.length, sampleRate, rng, clips) : new Float32Array(speech.length);
    // Speech to the drawn level, noise SNR dB under it, then both down together if the sum would clip.
    const target = 10 ** (between(rng, options.levelDb ?? [-36, -16]) / 10);
    const speechGain = Math.sqrt(target / Math.max(1e-20, activeSpeechPower(speech, labels, frame)));
    const noiseGain = Math.sqrt(target / 10 ** (snrDb / 10));
    const samples = new Float32Array(speech.length);
    let peak = 0;
    for (let i = 0; i < samples.length; i++) {
      samples[i] = speech[i]! * speechGain + noise[i]! * noiseGain;
      peak = Math.max(peak, Math.abs(samples[i]!));
    }
    const limit = peak > MAX_PEAK ? MAX_PEAK / peak : 1;
    for (let i = 0; i < samples.length; i++) {
      speech[i]! *= speechGain * limit;
      noise[i]! *= noiseGain * limit;
      samples[i]! *= limit;
    }
    out.push({
      samples, speech, noise, labels, frameSamples: frame, sampleRate, snrDb,
      noiseKind: Number.isFinite(snrDb) ? kind : 'none',
      levelDb: 10 * Math.log10(target * limit * limit),
    });
  }
  return out;
}
