/**
 * Character tokenizer for CTC and RNN-T: id 0 is the blank, then space, apostrophe and
 * a-z (29 classes by default). Stored with a model as JSON.
 */

/** The default alphabet after the blank. */
export const DEFAULT_ALPHABET = " 'abcdefghijklmnopqrstuvwxyz";

/** The JSON form of a {@link CharTokenizer}. */
export interface CharTokenizerJson {
  type: 'char';
  /** Characters for ids 1..n (id 0 is the blank). */
  alphabet: string;
}

/** Maps normalised text to ids and back. */
export class CharTokenizer {
  /** Id of the blank label. */
  readonly blank = 0;
  readonly alphabet: string;
  private readonly ids = new Map<string, number>();

  constructor(alphabet: string = DEFAULT_ALPHABET) {
    const chars = Array.from(alphabet);
    if (chars.length === 0) throw new Error('CharTokenizer: empty alphabet');
    chars.forEach((c, i) => {
      if (this.ids.has(c)) throw new Error(`CharTokenizer: ${JSON.stringify(c)} appears twice in the alphabet`);
      this.ids.set(c, i + 1);
    });
    this.alphabet = alphabet;
  }

  /** Classes including the blank. */
  get size(): number {
    return this.ids.size + 1;
  }

  /** Ids of `text`, which must hold only alphabet characters (normalise it first). */
  encode(text: string): Int32Array {
    const chars = Array.from(text);
    const out = new Int32Array(chars.length);
    chars.forEach((c, i) => {
      const id = this.ids.get(c);
      if (id === undefined) {
        throw new Error(`CharTokenizer: character ${JSON.stringify(c)} (U+${c.codePointAt(0)!.toString(16).padStart(4, '0')}) at position ${i} of ${JSON.stringify(text)} is not in the alphabet`);
      }
      out[i] = id;
    });
    return out;
  }

  /** Text of `ids`; blanks are skipped (no CTC collapsing: that is the decoder's job). */
  decode(ids: ArrayLike<number>): string {
    const chars = Array.from(this.alphabet);
    let s = '';
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === this.blank) continue;
      const c = chars[id - 1];
      if (c === undefined) throw new Error(`CharTokenizer: id ${id} at position ${i} is outside 0..${chars.length}`);
      s += c;
    }
    return s;
  }

  /** The label of one id ('<blank>' for the blank). */
  token(id: number): string {
    if (id === this.blank) return '<blank>';
    const c = Array.from(this.alphabet)[id - 1];
    if (c === undefined) throw new Error(`CharTokenizer: id ${id} is outside 0..${this.size - 1}`);
    return c;
  }

  toJSON(): CharTokenizerJson {
    return { type: 'char', alphabet: this.alphabet };
  }

  static fromJSON(json: unknown): CharTokenizer {
    const o = json as Partial<CharTokenizerJson> | null;
    if (!o || o.type !== 'char' || typeof o.alphabet !== 'string') throw new Error('CharTokenizer.fromJSON: expected {"type": "char", "alphabet": string}');
    return new CharTokenizer(o.alphabet);
  }
}

/** The labels of a tokenizer's classes, blank first (its string is never shown). */
export function tokenizerLabels(tokenizer: CharTokenizer): string[] {
  return ['', ...Array.from(tokenizer.alphabet)];
}
