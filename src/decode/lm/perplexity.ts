import { lmStep, type LanguageModel } from './language-model.js';

/** What {@link perplexity} returns. */
export interface PerplexityResult {
  sentences: number;
  /** Tokens scored, `</s>` excluded. */
  tokens: number;
  /** Tokens the model does not know (scored as `<unk>`). */
  oovs: number;
  /** Total log10 probability, every token and `</s>` included. */
  log10Prob: number;
  /** 10^(-log10Prob / (tokens + sentences)), as SRILM's ppl. */
  perplexity: number;
}

/** Perplexity of tokenised sentences under a language model (each sentence from `<s>` to `</s>`). */
export function perplexity(lm: LanguageModel, sentences: Iterable<readonly string[]>): PerplexityResult {
  const out = lmStep();
  let ln = 0;
  let tokens = 0;
  let oovs = 0;
  let n = 0;
  for (const s of sentences) {
    n++;
    let state = lm.begin();
    for (const t of s) {
      const id = lm.id(t);
      if (id === lm.unkId && t !== '<unk>') oovs++;
      lm.score(state, id, out);
      ln += out.logProb;
      state = out.state;
      tokens++;
    }
    ln += lm.finish(state);
  }
  const log10Prob = ln / Math.LN10;
  return { sentences: n, tokens, oovs, log10Prob, perplexity: Math.pow(10, -log10Prob / Math.max(1, tokens + n)) };
}
