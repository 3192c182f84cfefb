/**
 * The speech front end a model was trained with, stored in its model directory: samples at
 * any rate -> resampled to the model's rate -> log-mel filterbank -> optionally sliding-window
 * or per-utterance normalisation -> CMVN with statistics of the training set. Training and inference share this code, so they cannot drift apart.
 */
import { Cmvn } from './cmvn.js';
import { fbank, type FbankOptions } from './fbank.js';
import type { Features } from '../util/features.js';
import { resample } from './resample.js';
import { checkSampleRate } from './wav-header.js';
import { checkSlidingCmvn, SlidingCmvnStream, type SlidingCmvnOptions } from './sliding-cmvn.js';
import { checkUtteranceCmvn, utteranceCmvn, type UtteranceCmvnOptions } from './utterance-cmvn.js';
import { unstreamableFbankReason } from './fbank-stream.js';

/** The front end's settings, as JSON in a model directory. */
export interface FrontEndConfig {
  /** Rate the model's features are computed at (audio at other rates is resampled). */
  sampleRate: number;
  /** Filterbank options (numMelBins and the rest); deterministic, so no dither. */
  fbank: FbankOptions;
  /** Causal sliding-window normalisation of the filterbank, before the global CMVN. Default none. */
  slidingCmvn?: SlidingCmvnOptions;
  /**
   * Per-utterance normalisation of the filterbank, before the global CMVN. Default none; not
   * with slidingCmvn, and not for a streaming model (it needs the whole utterance).
   */
  utteranceCmvn?: UtteranceCmvnOptions;
}

/** The front end used when a training config gives none: 80 log-mel bins at 16 kHz. */
export const DEFAULT_FRONT_END: FrontEndConfig = { sampleRate: 16000, fbank: { numMelBins: 80 } };

/** Checks a parsed front-end config, filling in defaults; throws naming the bad field. */
export function resolveFrontEnd(value: unknown, where = 'front end'): FrontEndConfig {
  if (value === undefined) return { sampleRate: DEFAULT_FRONT_END.sampleRate, fbank: { ...DEFAULT_FRONT_END.fbank } };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: expected an object`);
  const v = value as Record<string, unknown>;
  const known = ['sampleRate', 'fbank', 'slidingCmvn', 'utteranceCmvn'];
  for (const k of Object.keys(v)) if (!known.includes(k)) throw new Error(`${where}: unknown field "${k}" (known: ${known.join(', ')})`);
  const rate = v['sampleRate'] ?? DEFAULT_FRONT_END.sampleRate;
  if (typeof rate !== 'number' || !Number.isInteger(rate) || rate < 1000) throw new Error(`${where}: "sampleRate" must be an integer >= 1000, got ${JSON.stringify(rate)}`);
  const fb = v['fbank'] ?? DEFAULT_FRONT_END.fbank;
  if (typeof fb !== 'object' || fb === null || Array.isArray(fb)) throw new Error(`${where}: "fbank" must be an object of filterbank options`);
  const options = { ...(fb as FbankOptions) };
  if (options.dither) throw new Error(`${where}: dither must be 0 (features must be deterministic)`);
  fbank(new Float32Array(rate / 10), rate, options); // validates the options now rather than mid-run
  const config: FrontEndConfig = { sampleRate: rate, fbank: options };
  const sliding = normalisationField<SlidingCmvnOptions>(v, 'slidingCmvn', ['window', 'normVars', 'varianceFloor', 'skipSilence'], '{"window": 300}', where);
  const utterance = normalisationField<UtteranceCmvnOptions>(v, 'utteranceCmvn', ['normVars', 'varianceFloor'], '{"normVars": true}', where);
  if (sliding && utterance) throw new Error(`${where}: "slidingCmvn" and "utteranceCmvn" exclude each other (choose one normalisation)`);
  if (sliding) {
    checkSlidingCmvn(sliding, `${where}: slidingCmvn`);
    config.slidingCmvn = sliding;
  }
  if (utterance) {
    checkUtteranceCmvn(utterance, `${where}: utteranceCmvn`);
    config.utteranceCmvn = utterance;
  }
  return config;
}

/** A copy of the normalisation options `v[name]`, undefined when absent; throws for a non-object or an unknown field. */
function normalisationField<T extends object>(v: Record<string, unknown>, name: string, known: string[], example: string, where: string): T | undefined {
  const o = v[name];
  if (o === undefined) return undefined;
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new Error(`${where}: "${name}" must be an object such as ${example}`);
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new Error(`${where}: unknown ${name} field "${k}" (known: ${known.join(', ')})`);
  return { ...o } as T;
}

/** Why features of `config` cannot be computed as audio arrives (so no streaming model may use it), or undefined when they can. */
export function unstreamableFrontEndReason(config: FrontEndConfig): string | undefined {
  if (config.utteranceCmvn) return 'utteranceCmvn needs the whole utterance (slidingCmvn is the causal alternative)';
  return unstreamableFbankReason(config.fbank);
}

/** Feature columns per frame that `config` produces. */
export function frontEndDim(config: FrontEndConfig): number {
  return fbank(new Float32Array(config.sampleRate / 10), config.sampleRate, config.fbank).dim;
}

/** Each front end's frame of silence, computed once (computeFeatures runs once per utterance). */
const silentFrames = new WeakMap<FrontEndConfig, Float32Array>();

/** The filterbank frame ([dim]) of all-zero samples: what digital silence looks like to `config`'s front end (one shared array: read it, never write it). */
export function silentFrame(config: FrontEndConfig): Float32Array {
  let frame = silentFrames.get(config);
  if (!frame) {
    const zeros = fbank(new Float32Array(config.sampleRate / 10), config.sampleRate, config.fbank);
    frame = zeros.data.slice(0, zeros.dim);
    silentFrames.set(config, frame);
  }
  return frame;
}

/** `config`'s sliding-window normalisation of `dim`-column frames at the start of a stream; undefined when it has none. */
export function createSlidingCmvn(config: FrontEndConfig, dim: number): SlidingCmvnStream | undefined {
  const o = config.slidingCmvn;
  return o ? new SlidingCmvnStream(dim, o, o.skipSilence ? silentFrame(config) : undefined) : undefined;
}

/** Seconds between feature frames. */
export function frameSeconds(config: FrontEndConfig): number {
  return (config.fbank.frameShiftMs ?? 10) / 1000;
}

/**
 * Features of mono `samples` at `sampleRate` (resampled to the model's rate when they
 * differ), normalised over a sliding window or over the utterance when the config says so,
 * then by `cmvn` when given. Throws for non-finite samples and for a rate outside the sample-rate limits
 * (1 kHz-384 kHz by default).
 */
export function computeFeatures(samples: Float32Array, sampleRate: number, config: FrontEndConfig, cmvn?: Cmvn): Features {
  if (sampleRate !== config.sampleRate) checkSampleRate(sampleRate, 'audio');
  for (let i = 0; i < samples.length; i++) {
    if (!Number.isFinite(samples[i]!)) throw new Error(`audio sample ${i} is not a finite number: ${samples[i]}`);
  }
  const audio = sampleRate === config.sampleRate ? samples : resample(samples, sampleRate, config.sampleRate);
  const raw = fbank(audio, config.sampleRate, config.fbank);
  const sliding = createSlidingCmvn(config, raw.dim);
  const feats = sliding ? sliding.accept(raw) : config.utteranceCmvn ? utteranceCmvn(raw, config.utteranceCmvn) : raw;
  return cmvn ? cmvn.apply(feats) : feats;
}
