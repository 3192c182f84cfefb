/**
 * A small seeded mutator for the fuzz tests: each call returns a copy of a valid input with
 * a few structure-blind changes (bit flips, interesting integers over 1-4 bytes, inserted,
 * deleted, duplicated or truncated ranges, random tails). Seeded, so a failure reproduces.
 */
import { Random } from '../../src/math/random.js';

/** Integers that break parsers: zero, signs, powers of two and their neighbours, extremes. */
const INTERESTING = [0, 1, 2, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 1000, 16000, 44100, 384001];

export class Mutator {
  readonly rng: Random;

  constructor(seed: number) {
    this.rng = new Random(seed);
  }

  /** An index in [0, n). */
  int(n: number): number {
    return n <= 0 ? 0 : this.rng.int(n);
  }

  /** One of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  /** Random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** A mutated copy of `input` (1 to 4 changes). */
  mutate(input: Uint8Array): Uint8Array {
    let b: Uint8Array = Uint8Array.from(input);
    for (let k = 1 + this.int(4); k > 0; k--) b = this.once(b);
    return b;
  }

  private once(b: Uint8Array): Uint8Array {
    const at = this.int(b.length + 1);
    switch (this.int(8)) {
      case 0: { // flip a bit
        if (b.length) b[Math.min(at, b.length - 1)]! ^= 1 << this.int(8);
        return b;
      }
      case 1: { // an interesting integer, little- or big-endian, 1 to 4 bytes
        const v = this.pick(INTERESTING);
        const width = this.pick([1, 2, 4]);
        const big = this.int(2) === 1;
        for (let i = 0; i < width && at + i < b.length; i++) b[at + i] = (v >>> (8 * (big ? width - 1 - i : i))) & 0xff;
        return b;
      }
      case 2: // truncate
        return b.subarray(0, at);
      case 3: { // delete a range
        const end = Math.min(b.length, at + 1 + this.int(64));
        return concat(b.subarray(0, at), b.subarray(end));
      }
      case 4: // insert random bytes
        return concat(b.subarray(0, at), this.bytes(1 + this.int(32)), b.subarray(at));
      case 5: { // duplicate a range (repeated chunks, repeated lines)
        const end = Math.min(b.length, at + 1 + this.int(256));
        return concat(b.subarray(0, end), b.subarray(at, end), b.subarray(end));
      }
      case 6: // replace a byte
        if (b.length) b[Math.min(at, b.length - 1)] = this.pick([0, 0x0a, 0x20, 0x22, 0x2d, 0x5c, 0x7b, 0xff]);
        return b;
      default: // a random tail
        return concat(b.subarray(0, at), this.bytes(this.int(128)));
    }
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
