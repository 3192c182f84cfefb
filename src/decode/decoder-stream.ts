/**
 * Decoding one utterance as its network output arrives, chunk by chunk, with the same
 * search as {@link Decoder.decode} on the whole output: the CTC prefix beam search (LM and
 * hotwords included) and the RNN-T searches carry their beams and prediction-network state
 * from chunk to chunk; CTC best path keeps the utterance's scores (bounded by the
 * utterance: a stream's endpoints start new ones). Any cut of the frames gives the offline
 * result.
 */
import type { AcousticOutput } from './acoustic-output.js';
import { bestPaths } from './best-path.js';
import type { Hypothesis } from './hypothesis.js';
import type { CtcBeamSearchDecoder, CtcBeamSearchStream } from './prefix-beam-search.js';
import { type TransducerDecodeOptions, transducerSearch } from './rnnt-decode.js';
import { type TimedHypothesis, geometricMean } from './transcript.js';

/** One utterance's search, fed the network output of its frames in order. */
export interface DecoderStream {
  /** Advances over the next frames of the utterance (an output of batch size 1). */
  accept(output: AcousticOutput): void;
  /** The hypotheses if the utterance ended now, best first (the search goes on). */
  partial(): TimedHypothesis[];
  /** Output frames consumed. */
  readonly frames: number;
}

/** A CTC prefix beam search's hypothesis with its confidence as a transcript states it: its words' geometric mean. */
export function withWordConfidence(h: Hypothesis): TimedHypothesis {
  return { ...h, confidence: geometricMean((h.words ?? []).map((w) => w.confidence ?? 1)) };
}

/**
 * An RNN-T search's hypothesis over `frames` frames with its confidence: the geometric mean
 * of the probabilities of the search's choices, blanks included (an LM's fused scores are
 * in a beam search's score too: hence the cap at 1).
 */
export function withPathConfidence(h: Hypothesis, frames: number): TimedHypothesis {
  return { ...h, confidence: Math.min(1, Math.exp(h.score / Math.max(1, frames + h.tokens.length))) };
}

/** Takes the one utterance of a CTC output (checking that it is CTC and of batch size 1). */
function ctcRows(output: AcousticOutput): { logits: Float32Array; frames: number; classes: number } {
  if (output.kind !== 'ctc') throw new Error('decoder stream: a CTC search was fed a transducer\'s output');
  const [, B, C] = output.shape;
  if (B !== 1) throw new Error(`decoder stream: one utterance at a time, got a batch of ${B}`);
  const frames = output.lengths[0]!;
  return { logits: output.logits.subarray(0, frames * C), frames, classes: C };
}

/** CTC best path: the utterance's scores so far, decoded whole (exactly as offline) when asked. */
export class BestPathStream implements DecoderStream {
  private logits = new Float32Array(0);
  frames = 0;
  private classes = 0;

  constructor(private readonly labels: readonly string[], private readonly blank: number) {}

  accept(output: AcousticOutput): void {
    const y = ctcRows(output);
    if (y.frames === 0) return;
    this.classes = y.classes;
    const need = (this.frames + y.frames) * y.classes;
    if (need > this.logits.length) {
      const grown = new Float32Array(Math.max(need, 2 * this.logits.length));
      grown.set(this.logits.subarray(0, this.frames * y.classes));
      this.logits = grown;
    }
    this.logits.set(y.logits, this.frames * y.classes);
    this.frames += y.frames;
  }

  partial(): TimedHypothesis[] {
    if (this.frames === 0) return [];
    const C = this.classes;
    return bestPaths(this.logits.subarray(0, this.frames * C), [this.frames, 1, C], [this.frames], { blank: this.blank, labels: this.labels });
  }
}

/** The CTC prefix beam search (LM, hotwords) carried across chunks. */
export class CtcBeamStream implements DecoderStream {
  private readonly search: CtcBeamSearchStream;

  constructor(decoder: CtcBeamSearchDecoder) {
    this.search = decoder.begin();
  }

  get frames(): number {
    return this.search.frames;
  }

  accept(output: AcousticOutput): void {
    const y = ctcRows(output);
    this.search.step(y.logits, y.frames);
  }

  partial(): TimedHypothesis[] {
    return this.search.peek().map(withWordConfidence);
  }
}

/** The RNN-T searches (greedy, modified beam, Graves's beam, with LM fusion) carried across chunks. */
export class TransducerStream implements DecoderStream {
  private search: ReturnType<typeof transducerSearch<unknown>> | undefined;
  frames = 0;

  constructor(private readonly options: TransducerDecodeOptions) {}

  accept(output: AcousticOutput): void {
    if (output.kind !== 'transducer') throw new Error('decoder stream: an RNN-T search was fed a CTC model\'s output');
    if (output.encoded.length !== 1) throw new Error(`decoder stream: one utterance at a time, got a batch of ${output.encoded.length}`);
    this.search ??= transducerSearch(output.model, this.options);
    const enc = output.encoded[0]!;
    this.search.step(enc);
    this.frames += enc.frames;
  }

  partial(): TimedHypothesis[] {
    return this.search ? this.search.end().map((h) => withPathConfidence(h, this.frames)) : [];
  }
}
