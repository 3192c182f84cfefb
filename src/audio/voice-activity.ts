/**
 * One interface over the live voice-activity detectors, so that the endpointer and the
 * streams take either: the energy VAD (frame-vad.ts) or the trained one (model-vad.ts).
 * Both decide each 10 ms frame from the samples up to its end.
 */
import { FrameVad, type FrameVadOptions } from './frame-vad.js';
import { ModelVad, type ModelVadOptions } from './model-vad.js';

/** A causal frame-wise detector. */
export interface VoiceActivityDetector {
  /** Seconds per decision. */
  readonly frameSeconds: number;
  /** Adds samples; returns one decision (true: speech) per frame they complete. */
  accept(samples: Float32Array): boolean[];
  /** Forgets the partial frame; what it has learnt of the background stays. */
  reset(): void;
}

/** The detectors there are. */
export type VadKind = 'energy' | 'model';

/**
 * The detector a stream uses when its options name none: the trained one, which on the
 * held-out speakers of the labelled noisy set decides more frames right than the energy VAD
 * at every SNR from clean down to 0 dB, and finds more pauses for the endpoints while cutting
 * into speech far less (docs/streaming.md#endpoints; `npm run bench -- vad`).
 */
export const DEFAULT_VAD_KIND: VadKind = 'model';

/** Which detector, and its options: `{ kind: 'energy', marginDb: 10 }`, `{ kind: 'model', threshold: 0.6 }`; the kind defaults to {@link DEFAULT_VAD_KIND}. */
export type VadOptions = ({ kind: 'energy' } & FrameVadOptions) | ({ kind?: 'model' } & ModelVadOptions);

const ENERGY_KEYS: readonly (keyof FrameVadOptions)[] = ['frameSeconds', 'marginDb', 'minSpeechDb', 'floorSeconds'];
const MODEL_KEYS: readonly (keyof ModelVadOptions)[] = ['threshold', 'weights'];

/** The kind `options` ask for; throws on an unknown kind or options of the other kind (they would be ignored). */
export function vadKind(options: VadOptions): VadKind {
  const kind = options.kind ?? DEFAULT_VAD_KIND;
  if (kind !== 'energy' && kind !== 'model') throw new Error(`vad: unknown kind ${JSON.stringify(kind)} (expected "energy" or "model")`);
  const foreign = (kind === 'energy' ? MODEL_KEYS : ENERGY_KEYS).filter((k) => k in options);
  if (foreign.length > 0) {
    throw new Error(`vad: ${foreign.join(', ')} ${foreign.length > 1 ? 'are options' : 'is an option'} of the ${kind === 'energy' ? 'model' : 'energy'} VAD, but kind is "${kind}"`);
  }
  return kind;
}

/** A detector for a stream at `sampleRate` Hz, as `options` say (see {@link vadKind}). */
export function createVad(sampleRate: number, options: VadOptions = {}): VoiceActivityDetector {
  return vadKind(options) === 'model' ? new ModelVad(sampleRate, options as ModelVadOptions) : new FrameVad(sampleRate, options as FrameVadOptions);
}

/** Decisions of `vad` over the whole of `samples`, fed in chunks of `chunk` samples (as a stream would). */
export function vadDecisions(vad: VoiceActivityDetector, samples: Float32Array, chunk = 1600): boolean[] {
  const out: boolean[] = [];
  for (let at = 0; at < samples.length; at += chunk) out.push(...vad.accept(samples.subarray(at, at + chunk)));
  return out;
}
