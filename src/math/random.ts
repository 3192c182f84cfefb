/**
 * A small seeded random number generator (xoshiro128**, seeded through splitmix32) whose
 * whole state is four 32-bit words, so that it can be saved in a checkpoint and resumed:
 * the same seed always gives the same stream, whatever the platform.
 */
export class Random {
  // A typed array, not four fields: 32-bit unsigned values do not fit V8's small integers,
  // and every field write would box a heap number (measured 4x slower).
  private readonly s = new Uint32Array(4);

  /** A generator seeded from an integer (only its low 32 bits matter). */
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.s[i] = z ^ (z >>> 16);
    }
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const s = this.s;
    const s1 = s[1]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s[2]! ^= s[0]!;
    s[3]! ^= s1;
    s[1] = s1 ^ s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11);
    return result;
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** One standard normal sample (Box-Muller; the second value of the pair is dropped). */
  normal(): number {
    const u = 1 - this.uniform(); // (0, 1]: log never sees 0
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Fills `out` with N(mean, std^2) samples: Marsaglia's polar method on 32-bit uniforms
   * (ample for float32 output; no trigonometry), both values of each pair used.
   */
  fillNormal(out: Float32Array, std = 1, mean = 0): void {
    const n = out.length;
    let i = 0;
    while (i < n) {
      const u = this.nextUint32() * 4.656612873077393e-10 - 1; // [-1, 1)
      const v = this.nextUint32() * 4.656612873077393e-10 - 1;
      const q = u * u + v * v;
      if (q >= 1 || q === 0) continue;
      const f = std * Math.sqrt((-2 * Math.log(q)) / q);
      out[i++] = mean + u * f;
      if (i < n) out[i++] = mean + v * f;
    }
  }

  /** Fills `out` with uniform samples in [low, high). */
  fillUniform(out: Float32Array, low: number, high: number): void {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.uniform();
  }

  /** Shuffles `items` in place (Fisher-Yates). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** The generator's state, to save and later restore with {@link Random.fromState}. */
  state(): [number, number, number, number] {
    return [this.s[0]!, this.s[1]!, this.s[2]!, this.s[3]!];
  }

  /** A generator that continues exactly where the one that gave `state` stood. */
  static fromState(state: readonly number[]): Random {
    if (state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new Error(`Random.fromState: expected four unsigned 32-bit integers, got ${JSON.stringify(state)}`);
    }
    const r = new Random(0);
    r.s.set(state);
    return r;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
