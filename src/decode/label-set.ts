/**
 * The output alphabet of a CTC model as the decoder sees it: a string per class index
 * (like pyctcdecode and torchaudio), which index is blank, and which label separates
 * words. Spells words as label sequences (longest match first, so multi-character labels
 * work too).
 */
export class LabelSet {
  /** Label strings by class index (the blank's string is ignored). */
  readonly labels: readonly string[];
  /** Index of the blank label. */
  readonly blank: number;
  /** Index of the word delimiter label, or -1 when the labels have none. */
  readonly delimiter: number;
  private readonly byString = new Map<string, number>();
  private readonly longest: number;
  /** Where every label is one UTF-16 code unit: the label id of each code unit (-1: none), for spelling without strings. */
  private readonly byUnit: Int32Array | null;

  /**
   * @param labels one string per class; must be unique among non-blank labels
   * @param blank the blank's index (default 0)
   * @param wordDelimiter the string of the label between words (default ' '); pass '' for none
   */
  constructor(labels: readonly string[], blank = 0, wordDelimiter = ' ') {
    if (labels.length < 2) throw new Error(`labels: need at least 2 (blank and one more), got ${labels.length}`);
    if (!Number.isInteger(blank) || blank < 0 || blank >= labels.length) {
      throw new Error(`labels: blank index ${blank} is outside 0..${labels.length - 1}`);
    }
    this.labels = labels;
    this.blank = blank;
    let longest = 1;
    labels.forEach((l, i) => {
      if (i === blank) return;
      if (l === '') throw new Error(`labels: label ${i} is the empty string`);
      if (this.byString.has(l)) throw new Error(`labels: "${l}" appears twice (indices ${this.byString.get(l)} and ${i})`);
      this.byString.set(l, i);
      longest = Math.max(longest, l.length);
    });
    this.longest = longest;
    this.byUnit = longest === 1 ? unitTable(this.byString) : null;
    this.delimiter = wordDelimiter === '' ? -1 : (this.byString.get(wordDelimiter) ?? -1);
  }

  /** Number of classes. */
  get size(): number {
    return this.labels.length;
  }

  /** Label ids spelling `text` (longest label first at each position), or null if it cannot be spelled. */
  spell(text: string): number[] | null {
    const out: number[] = [];
    const byUnit = this.byUnit;
    if (byUnit) {
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        const id = u < byUnit.length ? byUnit[u]! : -1;
        if (id < 0) return null;
        out.push(id);
      }
      return out;
    }
    let i = 0;
    while (i < text.length) {
      let found = -1;
      let len = Math.min(this.longest, text.length - i);
      for (; len > 0; len--) {
        const id = this.byString.get(text.slice(i, i + len));
        if (id !== undefined) {
          found = id;
          break;
        }
      }
      if (found < 0) return null;
      out.push(found);
      i += len;
    }
    return out;
  }
}

/** Code unit -> label id (-1 for none) of labels that are each one code unit. */
function unitTable(byString: ReadonlyMap<string, number>): Int32Array {
  let top = 0;
  for (const l of byString.keys()) top = Math.max(top, l.charCodeAt(0));
  const table = new Int32Array(top + 1).fill(-1);
  for (const [l, id] of byString) table[l.charCodeAt(0)] = id;
  return table;
}
