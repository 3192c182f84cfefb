/**
 * "Modified" RNN-T beam search (as in k2/icefall): at most one label per frame, so every
 * hypothesis advances one frame per step and the beam can be scored as one batch.
 */
import type { Hypothesis } from './hypothesis.js';
import { BeamContext, byTotal, mergeInto, type BeamHyp, type RnntBeamOptions } from './rnnt-beam-common.js';
import { checkEncoderOutput, encoderFrame, type EncoderOutput, type TransducerModel } from './rnnt-model.js';

/**
 * Beam search in which each frame emits either a blank or exactly one label (a label
 * also consumes the frame). Hypotheses that reach the same labelling are merged (their
 * probabilities summed), so with a beam at least as large as the number of labellings
 * the result is exact for this topology. Returns the n-best, best first.
 */
export function rnntModifiedBeamSearch<S>(
  model: TransducerModel<S>, enc: EncoderOutput, options: RnntBeamOptions = {},
): Hypothesis[] {
  const search = new RnntModifiedBeamStream(model, options);
  search.step(enc);
  return search.end();
}

/**
 * {@link rnntModifiedBeamSearch} fed its encoder frames a chunk at a time (a live stream):
 * the beam is carried from chunk to chunk, so any cut of the frames gives the same result.
 */
export class RnntModifiedBeamStream<S> {
  private readonly ctx: BeamContext<S>;
  private beam: BeamHyp[];
  private t = 0;

  constructor(readonly model: TransducerModel<S>, options: RnntBeamOptions = {}) {
    this.ctx = new BeamContext(model, options, 'rnntModifiedBeamSearch');
    this.beam = [this.ctx.root()];
  }

  /** Advances the search over the next encoder frames. */
  step(enc: EncoderOutput): void {
    checkEncoderOutput(enc, 'rnntModifiedBeamSearch');
    const { ctx, model } = this;
    for (let i = 0; i < enc.frames; i++, this.t++) {
      ctx.startFrame(this.t, encoderFrame(enc, i));
      const next = new Map<number, BeamHyp>();
      const lps = ctx.logProbsMany(this.beam.map((h) => h.prefix));
      for (const [j, h] of this.beam.entries()) {
        const lp = lps[j]!;
        mergeInto(next, { ...h, logP: h.logP + lp[model.blank]! });
        for (const k of ctx.candidates(lp)) mergeInto(next, ctx.extend(h, k, lp[k]!));
      }
      this.beam = [...next.values()].sort(byTotal).slice(0, ctx.beam);
    }
  }

  /** The n-best so far (the LM's end-of-sentence term included), best first; the search goes on. */
  end(): Hypothesis[] {
    return this.ctx.finish(this.beam);
  }
}
