import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { NgramModel, type NgramOrder } from './ngram-model.js';
import { PairIndex } from './pair-index.js';

/**
 * Reads an ARPA back-off language model (SRILM, KenLM's lmplz or `sayre lm build`), plain
 * or gzip-compressed (detected from the content, not the name).
 */
export function readArpa(path: string): NgramModel {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new Error(`cannot read ARPA file ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return parseArpa(buf);
  } catch (err) {
    throw new Error(`${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * Parses ARPA text (a string, or bytes that may be gzip-compressed) into an
 * {@link NgramModel}. Errors name the line: a missing `\data\` header, a malformed count or
 * section, a wrong number of fields, a number that does not parse or is positive, a word
 * missing from the unigrams, an n-gram whose context is missing, a duplicate n-gram, a
 * section whose size differs from its declared count, a missing `\end\`.
 */
export function parseArpa(input: string | Uint8Array): NgramModel {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    const bytes = input[0] === 0x1f && input[1] === 0x8b ? gunzipSync(input) : input;
    text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  return new ArpaParser(text).parse();
}

/** Line-by-line ARPA parser; `line` is 1-based for error messages. */
class ArpaParser {
  private pos = 0;
  private lastPos = 0;
  private line = 0;
  private readonly fields: string[] = [];

  constructor(private readonly text: string) {}

  parse(): NgramModel {
    // Anything before \data\ is free text (SRILM and others put comments there).
    let l = this.next();
    while (l !== null && l.trim() !== '\\data\\') l = this.next();
    if (l === null) throw this.error('no \\data\\ header');
    const counts: number[] = [];
    for (l = this.next(); l !== null; l = this.next()) {
      const t = l.trim();
      if (t === '') {
        if (counts.length > 0) break;
        continue;
      }
      const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(t);
      if (!m) {
        if (t.startsWith('\\') && counts.length > 0) {
          this.unread();
          break;
        }
        throw this.error(`expected "ngram N=COUNT", found "${t}"`);
      }
      const k = Number(m[1]);
      if (k !== counts.length + 1) throw this.error(`expected ngram ${counts.length + 1}=..., found ngram ${k}`);
      counts.push(Number(m[2]));
    }
    if (counts.length === 0) throw this.error('no "ngram N=COUNT" lines after \\data\\');
    const n = counts.length;
    const vocabulary: string[] = [];
    const ids = new Map<string, number>();
    const orders: NgramOrder[] = [];
    for (let k = 1; k <= n; k++) {
      const header = this.nextNonBlank();
      if (header === null) throw this.error(`missing \\${k}-grams: section`);
      if (header.trim() !== `\\${k}-grams:`) throw this.error(`expected \\${k}-grams:, found "${header.trim()}"`);
      orders.push(this.section(k, n, counts[k - 1]!, vocabulary, ids, orders));
    }
    const end = this.nextNonBlank();
    if (end === null || end.trim() !== '\\end\\') {
      throw this.error(end === null ? 'missing \\end\\' : `expected \\end\\, found "${end.trim()}"`);
    }
    return new NgramModel(vocabulary, orders);
  }

  /** Reads the `count` n-grams of order k (the header already read). */
  private section(k: number, n: number, count: number, vocabulary: string[], ids: Map<string, number>, lower: NgramOrder[]): NgramOrder {
    const log10Prob = new Float32Array(count);
    const log10Backoff = new Float32Array(k < n ? count : 0);
    const index = k === 1 ? null : new PairIndex(count);
    const f = this.fields;
    let i = 0;
    for (;;) {
      const l = this.next();
      if (l === null) break;
      const trimmed = l.trim();
      if (trimmed === '') {
        if (i === count) break;
        continue;
      }
      if (trimmed.startsWith('\\')) {
        this.unread();
        break;
      }
      split(trimmed, f);
      if (f.length !== k + 1 && !(k < n && f.length === k + 2)) {
        throw this.error(`a ${k}-gram line needs a log10 probability, ${k} word${k > 1 ? 's' : ''}${k < n ? ' and an optional back-off' : ''}; found ${f.length} fields`);
      }
      if (i === count) throw this.error(`more ${k}-grams than the ${count} declared in \\data\\`);
      const p = this.number(f[0]!);
      if (p > 0) throw this.error(`log10 probability ${f[0]} is positive`);
      log10Prob[i] = p;
      if (f.length === k + 2) log10Backoff[i] = this.number(f[k + 1]!);
      if (k === 1) {
        const w = f[1]!;
        if (ids.has(w)) throw this.error(`duplicate unigram "${w}"`);
        ids.set(w, i);
        vocabulary.push(w);
      } else {
        let ctx = this.word(f[1]!, ids);
        for (let j = 2; j < k; j++) {
          const e = lower[j - 1]!.index!.find(ctx, this.word(f[j]!, ids));
          if (e < 0) throw this.error(`the context "${f.slice(1, k).join(' ')}" of this ${k}-gram is not among the ${k - 1}-grams`);
          ctx = e;
        }
        const w = this.word(f[k]!, ids);
        const before = index!.size;
        if (index!.insert(ctx, w) !== before) throw this.error(`duplicate ${k}-gram "${f.slice(1, k + 1).join(' ')}"`);
      }
      i++;
    }
    if (i !== count) throw this.error(`\\${k}-grams: found ${i} entries, \\data\\ declared ${count}`);
    return { index, log10Prob, log10Backoff };
  }

  private word(w: string, ids: Map<string, number>): number {
    const id = ids.get(w);
    if (id === undefined) throw this.error(`word "${w}" is not among the unigrams`);
    return id;
  }

  private number(s: string): number {
    // Some writers spell the log of zero as -inf.
    const v = /^-inf(inity)?$/i.test(s) ? -Infinity : Number(s);
    if (s === '' || Number.isNaN(v)) throw this.error(`"${s}" is not a number`);
    return v;
  }

  private next(): string | null {
    const t = this.text;
    if (this.pos >= t.length) return null;
    let e = t.indexOf('\n', this.pos);
    if (e < 0) e = t.length;
    this.lastPos = this.pos;
    let s = t.slice(this.pos, e);
    if (s.endsWith('\r')) s = s.slice(0, -1);
    this.pos = e + 1;
    this.line++;
    return s;
  }

  private nextNonBlank(): string | null {
    let l = this.next();
    while (l !== null && l.trim() === '') l = this.next();
    return l;
  }

  /** Steps back over the line that `next` just returned. */
  private unread(): void {
    this.pos = this.lastPos;
    this.line--;
  }

  private error(msg: string): Error {
    return new Error(`ARPA line ${Math.max(1, this.line)}: ${msg}`);
  }
}

/** Splits on runs of spaces and tabs into `out` (reused). */
function split(s: string, out: string[]): void {
  out.length = 0;
  let i = 0;
  const n = s.length;
  while (i < n) {
    while (i < n && (s.charCodeAt(i) === 32 || s.charCodeAt(i) === 9)) i++;
    if (i >= n) break;
    const start = i;
    while (i < n && s.charCodeAt(i) !== 32 && s.charCodeAt(i) !== 9) i++;
    out.push(s.slice(start, i));
  }
}
