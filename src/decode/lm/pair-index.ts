/**
 * An open-addressing hash from a pair of non-negative 32-bit integers (a, b) to a dense
 * entry index 0..size-1 (insertion order), kept in typed arrays: no object or string per
 * entry. n-gram tables key an n-gram by (index of its context, word id); tries key a node
 * by (parent node, label). Linear probing, load factor at most 0.7, grows by doubling.
 */
export class PairIndex {
  /** First key of each entry, by entry index. */
  a: Uint32Array;
  /** Second key of each entry, by entry index. */
  b: Uint32Array;
  /** Number of entries. */
  size = 0;
  /**
   * Three int32 per slot: the keys and entry + 1 (0 marks an empty slot), side by side so
   * that a probe touches one cache line instead of three arrays.
   */
  private slots: Int32Array;
  private mask: number;

  /** @param capacity entries to make room for without growing */
  constructor(capacity = 16) {
    const cap = Math.max(4, capacity);
    this.a = new Uint32Array(cap);
    this.b = new Uint32Array(cap);
    let n = 8;
    while (n * 0.7 < cap) n *= 2;
    this.slots = new Int32Array(n * 3);
    this.mask = n - 1;
  }

  /** The entry index of (a, b), or -1. */
  find(a: number, b: number): number {
    return this.slots[this.probe(a, b) + 2]! - 1;
  }

  /** The entry index of (a, b), inserting it at the end when absent. */
  insert(a: number, b: number): number {
    const s = this.probe(a, b);
    const slots = this.slots;
    if (slots[s + 2] !== 0) return slots[s + 2]! - 1;
    const e = this.size;
    if (e === this.a.length) this.growEntries();
    this.a[e] = a;
    this.b[e] = b;
    this.size = e + 1;
    if (this.size > (this.mask + 1) * 0.7) this.rehash((this.mask + 1) * 2);
    else {
      slots[s] = a;
      slots[s + 1] = b;
      slots[s + 2] = e + 1;
    }
    return e;
  }

  /** Offset of the slot holding (a, b), or of the empty slot where it would go. */
  private probe(a: number, b: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const ai = a | 0;
    const bi = b | 0;
    let i = pairHash(a, b) & mask;
    for (;;) {
      const s = i * 3;
      if (slots[s + 2] === 0 || (slots[s] === ai && slots[s + 1] === bi)) return s;
      i = (i + 1) & mask;
    }
  }

  /** Removes every entry, keeping the memory. */
  clear(): void {
    this.size = 0;
    this.slots.fill(0);
  }

  /** Entries the key arrays hold before they grow. */
  get capacity(): number {
    return this.a.length;
  }

  /** Bytes held by the table. */
  get bytes(): number {
    return this.a.byteLength + this.b.byteLength + this.slots.byteLength;
  }

  private growEntries(): void {
    const n = this.a.length * 2;
    const a = new Uint32Array(n);
    a.set(this.a);
    const b = new Uint32Array(n);
    b.set(this.b);
    this.a = a;
    this.b = b;
  }

  private rehash(n: number): void {
    const slots = new Int32Array(n * 3);
    const mask = n - 1;
    for (let e = 0; e < this.size; e++) {
      const a = this.a[e]!;
      const b = this.b[e]!;
      let i = pairHash(a, b) & mask;
      while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
      slots[i * 3] = a;
      slots[i * 3 + 1] = b;
      slots[i * 3 + 2] = e + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A 32-bit mix of two 32-bit keys (murmur3-style finaliser). */
export function pairHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x5bd1e995, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  return h >>> 0;
}

/** A copy of `src` with room for at least `n` elements (doubling), for side arrays of a PairIndex. */
export function grown<T extends Float32Array | Float64Array | Int32Array | Uint32Array | Uint8Array>(src: T, n: number): T {
  if (n <= src.length) return src;
  let m = Math.max(16, src.length);
  while (m < n) m *= 2;
  const out = new (src.constructor as new (len: number) => T)(m);
  out.set(src);
  return out;
}
