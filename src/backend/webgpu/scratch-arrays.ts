/** What scratch needs of the backend: alloc and free. */
interface Allocator {
  alloc(length: number): Float32Array;
  free(a: Float32Array): void;
}

/**
 * Named scratch arrays of a device program family, kept between calls and grown (by a
 * quarter more than asked) when a call needs more. Each is a whole tensor: the programs
 * that use them index from 0.
 */
export class ScratchArrays {
  private readonly arrays = new Map<string, Float32Array>();

  constructor(private readonly be: Allocator) {}

  /** The array named `key`, of at least `length` floats. */
  get(key: string, length: number): Float32Array {
    let a = this.arrays.get(key);
    if (!a || a.length < length) {
      if (a) this.be.free(a);
      a = this.be.alloc(Math.max(1, Math.ceil(length * 1.25)));
      this.arrays.set(key, a);
    }
    return a;
  }
}
