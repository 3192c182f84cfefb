import { rng } from '../../helpers/compare.js';

/** A seeded random corpus with a skewed word distribution, so that every count-of-counts is non-zero. */
export function randomCorpus(seed: number, sentences: number, vocab: number): string[][] {
  const next = rng(seed);
  const words = Array.from({ length: vocab }, (_, i) => `w${i}`);
  const out: string[][] = [];
  for (let s = 0; s < sentences; s++) {
    const len = 1 + Math.floor(next() * 8);
    const sent: string[] = [];
    for (let i = 0; i < len; i++) sent.push(words[Math.floor(vocab * next() ** 2.5)]!);
    out.push(sent);
  }
  return out;
}

/** Every context (up to order-1 words, `<s>`-first where at the start) that the corpus shows. */
export function corpusContexts(sentences: string[][], order: number): string[][] {
  const seen = new Map<string, string[]>();
  seen.set('', []);
  for (const s of sentences) {
    const toks = ['<s>', ...s];
    for (let i = 0; i < toks.length; i++) {
      for (let k = 1; k < order && i - k + 1 >= 0; k++) {
        const ctx = toks.slice(i - k + 1, i + 1);
        seen.set(ctx.join(' '), ctx);
      }
    }
  }
  return [...seen.values()];
}
