import { checkLimit, LimitError, limits } from '../../util/limits.js';
import { gunzipArpa } from './arpa-gunzip.js';
import { readFileBounded } from '../../util/read-bounded.js';
import { NgramModel, type NgramOrder } from './ngram-model.js';
import { PairIndex } from './pair-index.js';

/**
 * Reads an ARPA back-off language model (SRILM, KenLM's lmplz or `sayre lm build`), plain
 * or gzip-compressed (detected from the content, not the name).
 */
export function readArpa(path: string): NgramModel {
  return parseArpa(readFileBounded(path, 'ARPA file'), path);
}

/**
 * Parses ARPA text (a string, or UTF-8 bytes that may be gzip-compressed) into an
 * {@link NgramModel}. Errors name the line: a missing `\data\` header, a malformed count or
 * section, a wrong number of fields, a number that does not parse or is positive, a word
 * missing from the unigrams, an n-gram whose context is missing, a duplicate n-gram, a
 * section whose size differs from its declared count, a missing `\end\`.
 *
 * The n-gram lines are parsed from the bytes (words hashed in place, numbers read
 * digit by digit), without making a string per line or per word. The text after
 * decompression is bounded by the `maxArpaBytes` limit and each line by
 * `maxArpaLineBytes` (see gunzipArpa: a gzip bomb or one 300 MB word is refused as soon
 * as it shows, not inflated and parsed). `source` (a file name) begins
 * every error.
 */
export function parseArpa(input: string | Uint8Array, source = '<ARPA>'): NgramModel {
  let bytes: Uint8Array;
  if (typeof input === 'string') bytes = Buffer.from(input, 'utf8');
  else if (input[0] === 0x1f && input[1] === 0x8b) bytes = gunzipArpa(input, source);
  else bytes = input;
  checkLimit(source, 'maxArpaBytes', bytes.length, 'ARPA text in bytes');
  try {
    return new ArpaParser(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).parse();
  } catch (err) {
    throw new Error(`${source}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BACKSLASH = 92;

/** Line-by-line ARPA parser over bytes; `line` is 1-based for error messages. */
class ArpaParser {
  private pos = 0;
  private lastPos = 0;
  private line = 0;
  // Bounds of the current line (trimmed) and of its fields.
  private ls = 0;
  private le = 0;
  private readonly fs = new Int32Array(16);
  private readonly fe = new Int32Array(16);
  /** Hash of each field's bytes (FNV-1a), made while splitting, for the vocabulary look-ups. */
  private readonly fh = new Int32Array(16);
  private readonly vocab: ByteVocabulary;
  private readonly maxLine = limits().maxArpaLineBytes;

  constructor(private readonly buf: Buffer) {
    this.vocab = new ByteVocabulary(buf);
  }

  parse(): NgramModel {
    // Anything before \data\ is free text (SRILM and others put comments there).
    let l = this.nextText();
    while (l !== null && l !== '\\data\\') l = this.nextText();
    if (l === null) throw this.error('no \\data\\ header');
    const counts: number[] = [];
    for (l = this.nextText(); l !== null; l = this.nextText()) {
      if (l === '') {
        if (counts.length > 0) break;
        continue;
      }
      const m = /^ngram\s+(\d+)\s*=\s*(\d+)$/.exec(l);
      if (!m) {
        if (l.startsWith('\\') && counts.length > 0) {
          this.unread();
          break;
        }
        throw this.error(`expected "ngram N=COUNT", found "${l}"`);
      }
      const k = Number(m[1]);
      if (k !== counts.length + 1) throw this.error(`expected ngram ${counts.length + 1}=..., found ngram ${k}`);
      const count = Number(m[2]);
      // Each n-gram takes a line of at least 4 bytes: a larger count is a lie, not a reason to allocate.
      if (count > this.buf.length / 4) throw this.error(`ngram ${k}=${m[2]} declares more n-grams than a file of ${this.buf.length} bytes can hold`);
      counts.push(count);
    }
    if (counts.length === 0) throw this.error('no "ngram N=COUNT" lines after \\data\\');
    const n = counts.length;
    const orders: NgramOrder[] = [];
    for (let k = 1; k <= n; k++) {
      const header = this.nextNonBlank();
      if (header === null) throw this.error(`missing \\${k}-grams: section`);
      if (header !== `\\${k}-grams:`) throw this.error(`expected \\${k}-grams:, found "${header}"`);
      orders.push(this.section(k, n, counts[k - 1]!, orders));
    }
    const end = this.nextNonBlank();
    if (end === null || end !== '\\end\\') throw this.error(end === null ? 'missing \\end\\' : `expected \\end\\, found "${end}"`);
    return new NgramModel(this.vocab.words, orders);
  }

  /** Reads the `count` n-grams of order k (the header already read). */
  private section(k: number, n: number, count: number, lower: NgramOrder[]): NgramOrder {
    const log10Prob = new Float32Array(count);
    const log10Backoff = new Float32Array(k < n ? count : 0);
    const index = k === 1 ? null : new PairIndex(count);
    if (k === 1) this.vocab.reserve(count);
    const fs = this.fs;
    const fe = this.fe;
    let i = 0;
    for (let nf = this.nextFields(); nf >= 0; nf = this.nextFields()) {
      if (nf === 0) {
        if (i === count) break;
        continue;
      }
      if (this.buf[this.ls] === BACKSLASH) {
        this.unread();
        break;
      }
      if (nf !== k + 1 && !(k < n && nf === k + 2)) {
        throw this.error(`a ${k}-gram line needs a log10 probability, ${k} word${k > 1 ? 's' : ''}${k < n ? ' and an optional back-off' : ''}; found ${nf} fields`);
      }
      if (i === count) throw this.error(`more ${k}-grams than the ${count} declared in \\data\\`);
      const p = this.number(fs[0]!, fe[0]!);
      if (p > 0) throw this.error(`log10 probability ${this.text(fs[0]!, fe[0]!)} is positive`);
      log10Prob[i] = p;
      if (nf === k + 2) log10Backoff[i] = this.number(fs[k + 1]!, fe[k + 1]!);
      if (k === 1) {
        if (this.vocab.find(fs[1]!, fe[1]!, this.fh[1]!) >= 0) throw this.error(`duplicate unigram "${this.text(fs[1]!, fe[1]!)}"`);
        this.vocab.add(fs[1]!, fe[1]!, this.fh[1]!);
      } else {
        let ctx = this.word(1);
        for (let j = 2; j < k; j++) {
          const e = lower[j - 1]!.index!.find(ctx, this.word(j));
          if (e < 0) throw this.error(`the context "${this.text(fs[1]!, fe[k - 1]!)}" of this ${k}-gram is not among the ${k - 1}-grams`);
          ctx = e;
        }
        const w = this.word(k);
        const before = index!.size;
        if (index!.insert(ctx, w) !== before) throw this.error(`duplicate ${k}-gram "${this.text(fs[1]!, fe[k]!)}"`);
      }
      i++;
    }
    if (i !== count) throw this.error(`\\${k}-grams: found ${i} entries, \\data\\ declared ${count}`);
    return { index, log10Prob, log10Backoff };
  }

  /** Splits the current line at spaces and tabs into fs/fe (and hashes each field into fh); returns the field count. */
  private fields(): number {
    const b = this.buf;
    const le = this.le;
    let p = this.ls;
    let nf = 0;
    while (p < le) {
      while (p < le && (b[p] === SPACE || b[p] === TAB)) p++;
      if (p >= le) break;
      const s = p;
      let h = FNV_OFFSET;
      for (let c = b[p]!; c !== SPACE && c !== TAB; c = b[p]!) {
        h = Math.imul(h ^ c, FNV_PRIME);
        if (++p === le) break;
      }
      if (nf < this.fs.length) {
        this.fs[nf] = s;
        this.fe[nf] = p;
        this.fh[nf] = h;
      }
      nf++;
    }
    return nf;
  }

  /** Vocabulary id of field j. */
  private word(j: number): number {
    const id = this.vocab.find(this.fs[j]!, this.fe[j]!, this.fh[j]!);
    if (id < 0) throw this.error(`word "${this.text(this.fs[j]!, this.fe[j]!)}" is not among the unigrams`);
    return id;
  }

  /** A decimal number from bytes; the exact fast path for up to 15 digits, else Number(). */
  private number(s: number, e: number): number {
    const b = this.buf;
    let p = s;
    let neg = false;
    if (b[p] === 45 /* - */ || b[p] === 43 /* + */) neg = b[p++] === 45;
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let seenDot = false;
    for (; p < e; p++) {
      const c = b[p]!;
      if (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        if (seenDot) frac++;
      } else if (c === 46 && !seenDot) seenDot = true;
      else break;
    }
    if (p === e && digits > 0 && digits <= 15) {
      const v = frac === 0 ? mant : mant / POW10[frac]!;
      return neg ? -v : v;
    }
    const t = this.text(s, e);
    // Some writers spell the log of zero as -inf.
    const v = /^-inf(inity)?$/i.test(t) ? -Infinity : Number(t);
    if (Number.isNaN(v)) throw this.error(`"${t}" is not a number`);
    return v;
  }

  private text(s: number, e: number): string {
    return this.buf.toString('utf8', s, e);
  }

  /**
   * Advances to the next line and splits it into fields in one pass (nextLine, then
   * fields, for a line with a carriage return); returns the field count, -1 at the end.
   */
  private nextFields(): number {
    const b = this.buf;
    const len = b.length;
    const start = this.pos;
    if (start >= len) return -1;
    const fs = this.fs;
    const fe = this.fe;
    const fh = this.fh;
    let p = start;
    let nf = 0;
    let c = b[p]!;
    for (;;) {
      while ((c === SPACE || c === TAB) && ++p < len) c = b[p]!;
      if (p >= len || c === LF) break;
      if (c === CR) return this.slowFields();
      const s = p;
      let h = FNV_OFFSET;
      do {
        h = Math.imul(h ^ c, FNV_PRIME);
        if (++p === len) break;
        c = b[p]!;
      } while (c !== SPACE && c !== TAB && c !== LF && c !== CR);
      if (nf < fs.length) {
        fs[nf] = s;
        fe[nf] = p;
        fh[nf] = h;
      }
      nf++;
    }
    if (p - start > this.maxLine) return this.slowFields(); // nextLine says how long
    this.lastPos = start;
    this.pos = p + 1;
    this.line++;
    this.ls = nf > 0 ? fs[0]! : p;
    this.le = nf > 0 ? fe[Math.min(nf, fs.length) - 1]! : p;
    return nf;
  }

  /** nextFields the general way: nextLine, then fields. */
  private slowFields(): number {
    return this.nextLine() ? this.fields() : -1;
  }

  /** Advances to the next line, setting ls/le to its trimmed bounds; false at the end. */
  private nextLine(): boolean {
    const b = this.buf;
    if (this.pos >= b.length) return false;
    let e = b.indexOf(LF, this.pos);
    if (e < 0) e = b.length;
    if (e - this.pos > this.maxLine) {
      this.line++;
      throw new LimitError(`ARPA line ${this.line}`, 'maxArpaLineBytes', `a line of ${e - this.pos} bytes is longer than the ${this.maxLine} allowed`);
    }
    this.lastPos = this.pos;
    let ls = this.pos;
    let le = e;
    this.pos = e + 1;
    this.line++;
    while (le > ls && (b[le - 1] === CR || b[le - 1] === SPACE || b[le - 1] === TAB)) le--;
    while (ls < le && (b[ls] === SPACE || b[ls] === TAB)) ls++;
    this.ls = ls;
    this.le = le;
    return true;
  }

  /** The next line as trimmed text, or null at the end. */
  private nextText(): string | null {
    return this.nextLine() ? this.text(this.ls, this.le) : null;
  }

  private nextNonBlank(): string | null {
    let l = this.nextText();
    while (l === '') l = this.nextText();
    return l;
  }

  /** Steps back over the line just read. */
  private unread(): void {
    this.pos = this.lastPos;
    this.line--;
  }

  private error(msg: string): Error {
    return new Error(`ARPA line ${Math.max(1, this.line)}: ${msg}`);
  }
}

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * Unigram strings hashed by their bytes in the file, so that n-gram lines need no strings.
 * A slot holds a word's hash, id + 1 (0: empty) and byte range side by side, so that a
 * probe reads one place and compares bytes only when the hashes agree.
 *
 * In front of the table, a small direct-mapped cache of words found lately, each with its
 * latest place in the file: a frequent word is then found, and its bytes compared, in
 * memory read moments ago (the table and the unigram section are megabytes of cache misses).
 */
class ByteVocabulary {
  readonly words: string[] = [];
  private slots = new Int32Array(2048 * 4);
  private mask = 2047;
  /** Per cache line: hash, id + 1 (0: empty), start, end of the latest occurrence. */
  private readonly recent = new Int32Array(RECENT_WORDS * 4);

  constructor(private readonly buf: Buffer) {}

  /** Makes room for n words without growing. */
  reserve(n: number): void {
    while (n * 2 > this.mask + 1) this.rehash();
  }

  /** The id of the word in bytes [s, e) with hash h (see FNV_OFFSET), or -1. */
  find(s: number, e: number, h: number): number {
    const recent = this.recent;
    const r = (h & (RECENT_WORDS - 1)) * 4;
    if (recent[r] === h && recent[r + 1] !== 0 && this.equal(recent[r + 2]!, recent[r + 3]!, s, e)) {
      recent[r + 2] = s;
      recent[r + 3] = e;
      return recent[r + 1]! - 1;
    }
    const slots = this.slots;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const o = i * 4;
      const id = slots[o + 1]! - 1;
      if (id < 0) return -1;
      if (slots[o] === h && this.equal(slots[o + 2]!, slots[o + 3]!, s, e)) {
        recent[r] = h;
        recent[r + 1] = id + 1;
        recent[r + 2] = s;
        recent[r + 3] = e;
        return id;
      }
    }
  }

  /** Adds the word in bytes [s, e) with hash h (which must be absent); returns its id. */
  add(s: number, e: number, h: number): number {
    const id = this.words.length;
    this.words.push(this.buf.toString('utf8', s, e));
    if (this.words.length * 2 > this.mask + 1) this.rehash();
    this.place(h, id, s, e);
    return id;
  }

  private equal(a: number, ae: number, s: number, e: number): boolean {
    if (ae - a !== e - s) return false;
    const b = this.buf;
    for (let i = 0; i < e - s; i++) if (b[a + i] !== b[s + i]) return false;
    return true;
  }

  private place(h: number, id: number, s: number, e: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    while (slots[i * 4 + 1] !== 0) i = (i + 1) & mask;
    const o = i * 4;
    slots[o] = h;
    slots[o + 1] = id + 1;
    slots[o + 2] = s;
    slots[o + 3] = e;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let o = 0; o < old.length; o += 4) if (old[o + 1] !== 0) this.place(old[o]!, old[o + 1]! - 1, old[o + 2]!, old[o + 3]!);
  }
}

/** Lines of ByteVocabulary's cache of recent words (a power of two; 64 KiB). */
const RECENT_WORDS = 4096;

/** FNV-1a, the hash of a field's bytes (as a signed 32-bit integer). */
const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;
