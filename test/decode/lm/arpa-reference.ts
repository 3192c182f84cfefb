/**
 * A slow, obvious ARPA reader and back-off scorer for tests: lines split with a regular
 * expression, n-grams in a Map keyed by their words joined with spaces, scores by the
 * textbook recursion (KenLM's semantics: P(w | c1..ck) = P(c1..ck w) if listed, else
 * bow(c1..ck) + P(w | c2..ck); a word outside the vocabulary scores as `<unk>`, or -100
 * where there is none). log10 throughout, as in the file.
 */
export interface ReferenceArpa {
  order: number;
  vocabulary: Set<string>;
  prob: Map<string, number>;
  backoff: Map<string, number>;
}

/** Parses ARPA text the slow way (assumes a well-formed file). */
export function referenceArpa(text: string): ReferenceArpa {
  const prob = new Map<string, number>();
  const backoff = new Map<string, number>();
  const vocabulary = new Set<string>();
  let order = 0;
  let k = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const header = /^\\(\d+)-grams:$/.exec(line);
    if (header) {
      k = Number(header[1]);
      order = Math.max(order, k);
      continue;
    }
    if (k === 0 || line === '' || line.startsWith('\\')) continue;
    const fields = line.split(/[ \t]+/);
    const words = fields.slice(1, 1 + k);
    const key = words.join(' ');
    prob.set(key, Number(fields[0]));
    if (fields.length > k + 1) backoff.set(key, Number(fields[k + 1]));
    if (k === 1) vocabulary.add(words[0]!);
  }
  return { order, vocabulary, prob, backoff };
}

/** log10 P(word | context) (context oldest first, cut to order - 1 words). */
export function referenceLog10(lm: ReferenceArpa, context: readonly string[], word: string): number {
  const w = lm.vocabulary.has(word) ? word : '<unk>';
  if (!lm.prob.has(w)) return -100;
  const ctx = context.slice(Math.max(0, context.length - (lm.order - 1))).map((c) => (lm.vocabulary.has(c) ? c : '<unk>'));
  const score = (c: string[]): number => {
    const key = [...c, w].join(' ');
    const p = lm.prob.get(key);
    if (p !== undefined) return p;
    return (lm.backoff.get(c.join(' ')) ?? 0) + score(c.slice(1));
  };
  return score(ctx);
}
