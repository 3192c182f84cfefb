/**
 * The trained voice-activity detector, with the energy VAD's frame-wise interface (frame-vad.ts):
 * samples in, one speech/non-speech decision per 10 ms frame out, causal (a frame's decision
 * is made from the samples up to its end, so appending audio never changes a past decision),
 * whatever the chunk sizes. Features: vad-features.ts; network: vad-net.ts; the weights the
 * package ships were trained on a labelled synthetic set with noise (`npm run recipe:vad`).
 */
import { JsBackend } from '../backend/js-backend.js';
import { sigmoid } from '../losses/logistic.js';
import { Parameters } from '../nn/parameters.js';
import { bundledVadWeights } from './bundled-vad.js';
import { VadFeatureStream } from './vad-features.js';
import { checkVadWeights, type VadModelWeights } from './vad-model-weights.js';
import { VadNet, vadNetParamSpecs } from './vad-net.js';

/** Options of {@link ModelVad}. */
export interface ModelVadOptions {
  /** A frame is speech when its probability is at least this (default: the weights' own, chosen on held-out speakers). */
  threshold?: number;
  /** The trained VAD (default the one the package ships). */
  weights?: VadModelWeights;
}

/** The incremental trained detector (see the module comment). */
export class ModelVad {
  readonly frameSamples: number;
  readonly threshold: number;
  private readonly features: VadFeatureStream;
  private readonly net: VadNet;
  private readonly mean: Float32Array;
  private readonly scale: Float32Array;
  private readonly hidden: number;

  constructor(readonly sampleRate: number, options: ModelVadOptions = {}) {
    const w = options.weights ?? bundledVadWeights();
    checkVadWeights(w);
    this.threshold = options.threshold ?? w.threshold;
    if (!(this.threshold > 0 && this.threshold < 1)) throw new Error(`ModelVad: threshold must be in (0, 1), got ${this.threshold}`);
    this.features = new VadFeatureStream(sampleRate, w.features);
    this.frameSamples = this.features.frameSamples;
    const shape = { inputs: this.features.dim, hidden: w.hidden };
    // A few thousand weights: plain JS is fast enough, and the same numbers on every platform.
    const backend = new JsBackend();
    const params = new Parameters(vadNetParamSpecs(shape), backend);
    for (const e of params.entries) params.value(e.name).set(w.tensors[e.name]!);
    this.net = new VadNet(backend, params, shape);
    this.mean = w.tensors['input.mean']!;
    this.scale = w.tensors['input.scale']!;
    this.hidden = w.hidden;
  }

  /** Seconds per decision. */
  get frameSeconds(): number {
    return this.frameSamples / this.sampleRate;
  }

  /** Adds samples; returns the speech probability of each frame they complete. */
  probabilities(samples: Float32Array): Float32Array {
    const f = this.features.accept(samples);
    const out = new Float32Array(f.frames);
    if (f.frames === 0) return out;
    const x = f.data, D = f.dim;
    for (let i = 0; i < x.length; i++) x[i] = (x[i]! - this.mean[i % D]!) * this.scale[i % D]!;
    const h = new Float32Array(f.frames * this.hidden);
    this.net.forward(f.frames, x, h, out);
    for (let i = 0; i < out.length; i++) out[i] = sigmoid(out[i]!);
    return out;
  }

  /** Adds samples; returns one decision (true: speech) per frame they complete. */
  accept(samples: Float32Array): boolean[] {
    return Array.from(this.probabilities(samples), (p) => p >= this.threshold);
  }

  /** Forgets the partial frame (the noise floor and past frames stay: they are the room's, not the utterance's). */
  reset(): void {
    this.features.reset();
  }
}
