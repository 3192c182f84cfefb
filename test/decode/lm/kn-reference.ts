/**
 * A slow, plain reference for interpolated modified Kneser-Ney (strings and Maps, the
 * formulas written out directly), to cross-check buildKneserNey. No pruning.
 */
export type Discounts3 = [number, number, number];

export function referenceKneserNey(sentences: string[][], order: number, discounts: Discounts3[]): (context: readonly string[], word: string) => number {
  const raw = new Map<string, number>();
  for (const s of sentences) {
    const toks = ['<s>', ...s, '</s>'];
    for (let i = 1; i < toks.length; i++) {
      for (let k = 1; k <= order && i - k + 1 >= 0; k++) {
        const key = toks.slice(i - k + 1, i + 1).join(' ');
        raw.set(key, (raw.get(key) ?? 0) + 1);
      }
    }
  }
  const ngramsOf = (k: number): string[] => [...raw.keys()].filter((g) => g.split(' ').length === k);
  const adjusted = new Map<string, number>();
  for (let k = 1; k <= order; k++) {
    for (const g of ngramsOf(k)) {
      if (k === order || g.startsWith('<s>')) adjusted.set(g, raw.get(g)!);
      else adjusted.set(g, ngramsOf(k + 1).filter((h) => h.split(' ').slice(1).join(' ') === g).length);
    }
  }
  const vocab = new Set<string>(['<unk>', '</s>']);
  for (const s of sentences) for (const w of s) vocab.add(w);
  const discount = (k: number, a: number): number => (a <= 0 ? 0 : a === 1 ? discounts[k - 1]![0] : a === 2 ? discounts[k - 1]![1] : discounts[k - 1]![2]);

  // Children of each context, by order.
  const children = new Map<string, string[]>();
  for (const g of adjusted.keys()) {
    const parts = g.split(' ');
    const ctx = parts.slice(0, -1).join(' ');
    if (!children.has(ctx)) children.set(ctx, []);
    children.get(ctx)!.push(parts[parts.length - 1]!);
  }
  const prob = (h: string[], w: string): number => {
    const ctx = h.join(' ');
    const kids = children.get(ctx);
    const lower = h.length === 0 ? 1 / vocab.size : prob(h.slice(1), w);
    if (!kids) return lower;
    const key = (x: string): string => (ctx === '' ? x : `${ctx} ${x}`);
    const k = h.length + 1;
    let total = 0;
    let mass = 0;
    for (const x of kids) {
      const a = adjusted.get(key(x))!;
      total += a;
      mass += discount(k, a);
    }
    const a = adjusted.get(key(w)) ?? 0;
    return (a - discount(k, a)) / total + (mass / total) * lower;
  };
  return (context, word) => prob(context.slice(Math.max(0, context.length - (order - 1))) as string[], word);
}
