/**
 * What the decoders read of a model, declared here so that model kinds implement it and
 * decoders never ask which model they decode: a batch of network output, either CTC
 * scores over time or a transducer's encoder frames with the network that continues them.
 */
import type { Features } from '../util/features.js';
import type { EncoderOutput, TransducerModel } from './rnnt-model.js';

/** A CTC model's output for a batch: unnormalised scores [T', B, C] and real frames per utterance. */
export interface CtcOutput {
  readonly kind: 'ctc';
  logits: Float32Array;
  shape: readonly [number, number, number];
  lengths: ArrayLike<number>;
}

/** A transducer's output for a batch: each utterance's encoder frames, and the prediction and joint networks. */
export interface TransducerOutput {
  readonly kind: 'transducer';
  model: TransducerModel<unknown>;
  encoded: readonly EncoderOutput[];
}

/** A batch of network output, as every {@link Decoder} takes it. */
export type AcousticOutput = CtcOutput | TransducerOutput;

/** Which kind of output a model gives. */
export type OutputKind = AcousticOutput['kind'];

/** What a recogniser needs of a model: the output of a padded batch x [T, B, F] with lengths[b] real frames. */
export interface DecodableModel {
  readonly outputKind: OutputKind;
  decodable(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): AcousticOutput;
  /**
   * {@link DecodableModel.decodable} on a device backend, where the output must be read back
   * (and the decoders may need more from the host); models without it have their CTC
   * scores read back by the caller.
   */
  decodableAsync?(x: Float32Array, shape: readonly [number, number, number], lengths: ArrayLike<number>): Promise<AcousticOutput>;
}

/**
 * A model's network over one stream of feature frames (a streaming model's encoder with its
 * state carried from chunk to chunk): each call returns the output of the frames completed
 * so far, as a batch of one utterance.
 */
export interface AcousticStream {
  /** Adds feature frames; returns the output of the output frames they complete (possibly none). */
  accept(features: Features): AcousticOutput;
  /** The features have ended: the output frames left. */
  finish(): AcousticOutput;
  /** A new utterance: the initial state. */
  reset(): void;
  /** Output frames produced since the last reset. */
  readonly frames: number;
}

/** A model that can run over a stream (unidirectional or latency-controlled encoders; others throw, saying why). */
export interface StreamableModel {
  /** Whether {@link StreamableModel.createStream} works: the encoder is unidirectional or latency-controlled. */
  readonly streaming: boolean;
  createStream(): AcousticStream;
  /** accept() of several of this model's streams at once (their steps share matrix products); each result as if alone. */
  acceptStreams(streams: readonly AcousticStream[], features: readonly Features[]): AcousticOutput[];
}
