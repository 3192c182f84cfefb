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
  const who = 'rnntModifiedBeamSearch';
  checkEncoderOutput(enc, who);
  const ctx = new BeamContext(model, options, who);
  let beam: BeamHyp[] = [ctx.root()];
  for (let t = 0; t < enc.frames; t++) {
    ctx.startFrame(t, encoderFrame(enc, t));
    const next = new Map<number, BeamHyp>();
    const lps = ctx.logProbsMany(beam.map((h) => h.prefix));
    for (const [i, h] of beam.entries()) {
      const lp = lps[i]!;
      mergeInto(next, { ...h, logP: h.logP + lp[model.blank]! });
      for (const k of ctx.candidates(lp)) mergeInto(next, ctx.extend(h, k, lp[k]!));
    }
    beam = [...next.values()].sort(byTotal).slice(0, ctx.beam);
  }
  return ctx.finish(beam);
}
