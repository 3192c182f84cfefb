/**
 * The interface every language model implements, so that decoders do not care where the
 * model comes from (an ARPA file, the Kneser-Ney builder, or the caller's own model).
 *
 * Units: every score is a NATURAL logarithm (ln) of a probability, the same unit as the
 * acoustic log-probabilities the CTC decoder adds it to. (ARPA files store log10; the
 * n-gram model converts.)
 *
 * States are plain integers chosen by the model (for an n-gram model, the index of the
 * longest context it knows), so that a decoder can store one per hypothesis in a typed
 * array and compare them cheaply.
 */
export interface LanguageModel {
  /** n of an n-gram model; informational for other models. */
  readonly order: number;
  /** The model's tokens by id (words for a word model, characters for a character model). */
  readonly vocabulary: readonly string[];
  /** Id of the unknown token, which `id` returns for tokens outside the vocabulary. */
  readonly unkId: number;
  /** Id of a token, or `unkId` when the model does not know it. */
  id(token: string): number;
  /** The state at the start of a sentence (after `<s>`). */
  begin(): number;
  /**
   * Scores `token` (an id) after `state`: writes ln P(token | state) and the state after
   * the token into `out` and returns `out` (one object reused by the caller, no allocation).
   */
  score(state: number, token: number, out: LmStep): LmStep;
  /** ln P(end of sentence | state). */
  finish(state: number): number;
  /**
   * ln P(token) with no context (the unigram probability), used by decoders for
   * partial-word look-ahead. Optional: a model without it gets no look-ahead.
   */
  unigram?(token: number): number;
}

/** The result of {@link LanguageModel.score}: a natural-log probability and the next state. */
export interface LmStep {
  logProb: number;
  state: number;
}

/** A fresh {@link LmStep} to pass to `score`. */
export function lmStep(): LmStep {
  return { logProb: 0, state: 0 };
}

/** ln P(sentence) under `lm`: every token from the start state, then end of sentence. */
export function sentenceLogProb(lm: LanguageModel, tokens: readonly string[]): number {
  const out = lmStep();
  let state = lm.begin();
  let total = 0;
  for (const t of tokens) {
    lm.score(state, lm.id(t), out);
    total += out.logProb;
    state = out.state;
  }
  return total + lm.finish(state);
}
