import { writeChunksAtomic } from '../../util/atomic-write.js';
import type { NgramModel } from './ngram-model.js';

/**
 * The ARPA text of a model. Numbers are written with the fewest digits (6 to 9) that
 * read back to the same float32, so that a written model read back scores identically.
 * Back-off weights are written for entries below the highest order where they are not 0.
 */
export function* arpaChunks(model: NgramModel): Generator<string> {
  const n = model.order;
  let head = '\\data\\\n';
  for (let k = 1; k <= n; k++) head += `ngram ${k}=${model.count(k)}\n`;
  yield head;
  const vocab = model.vocabulary;
  let prev: string[] = vocab.slice();
  for (let k = 1; k <= n; k++) {
    const o = model.orders[k - 1]!;
    const names = k === 1 ? prev : new Array<string>(o.index!.size);
    if (k > 1) {
      const a = o.index!.a;
      const b = o.index!.b;
      for (let i = 0; i < names.length; i++) names[i] = `${prev[a[i]!]!} ${vocab[b[i]!]!}`;
    }
    const lines: string[] = [`\n\\${k}-grams:`];
    for (let i = 0; i < names.length; i++) {
      let line = `${formatFloat32(o.log10Prob[i]!)}\t${names[i]!}`;
      if (k < n && o.log10Backoff[i] !== 0) line += `\t${formatFloat32(o.log10Backoff[i]!)}`;
      lines.push(line);
      if (lines.length >= 8192) {
        yield lines.join('\n');
        lines.length = 0;
        lines.push('');
      }
    }
    yield lines.join('\n') + '\n';
    prev = names;
  }
  yield '\n\\end\\\n';
}

/** The ARPA text of a model as one string (small models, tests). */
export function formatArpa(model: NgramModel): string {
  return [...arpaChunks(model)].join('');
}

/** Writes a model as an ARPA file atomically (a temporary file beside it, flushed, then a rename). */
export function writeArpa(model: NgramModel, path: string): void {
  writeChunksAtomic(path, arpaChunks(model), { fsync: true });
}

/** The shortest decimal (6 to 9 significant digits) that parses back to the float32 `x`. */
export function formatFloat32(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return x < 0 ? '-inf' : 'inf';
  for (let p = 6; p < 9; p++) {
    const s = trimZeros(x.toPrecision(p));
    if (Math.fround(Number(s)) === x) return s;
  }
  return trimZeros(x.toPrecision(9));
}

function trimZeros(s: string): string {
  if (s.includes('e')) return s;
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
