/**
 * Shared memory for kernels that run over the worker pool (pool.ts), and the copies in and
 * out of it, done the fast way. Two V8 costs shape this file, both measured here with a
 * 24 MB gradient: a fresh SharedArrayBuffer maps new pages on every call (16 ms of page
 * faults), so scratch is kept and reused; and V8 copies SharedArrayBuffer-backed float
 * arrays element by element (`slice` took 45 ms), so copies go through byte views (3 ms).
 */

/** Named shared buffers that grow as needed and are kept between calls (one set per kernel). */
export class SharedScratch {
  private readonly buffers = new Map<string, Float32Array | Float64Array | Int32Array>();

  /** A shared float32 view of length n under `name`; its contents are whatever was there. */
  f32(name: string, n: number): Float32Array {
    return this.view(`f32:${name}`, n, (len) => new Float32Array(new SharedArrayBuffer(len * 4)));
  }

  /** A shared float64 view of length n under `name`; its contents are whatever was there. */
  f64(name: string, n: number): Float64Array {
    return this.view(`f64:${name}`, n, (len) => new Float64Array(new SharedArrayBuffer(len * 8)));
  }

  /** A shared int32 view of length n under `name`; its contents are whatever was there. */
  i32(name: string, n: number): Int32Array {
    return this.view(`i32:${name}`, n, (len) => new Int32Array(new SharedArrayBuffer(len * 4)));
  }

  private view<A extends Float32Array | Float64Array | Int32Array>(key: string, n: number, make: (length: number) => A): A {
    let a = this.buffers.get(key) as A | undefined;
    if (!a || a.length < n) {
      a = make(Math.max(n, 2 * (a?.length ?? 0), 16)); // at least doubling: few reallocations
      this.buffers.set(key, a);
    }
    return a.subarray(0, n) as A;
  }

  /** `src` itself where it is shared already, else a copy in the scratch buffer `name`. */
  share(name: string, src: Float32Array): Float32Array {
    if (src.buffer instanceof SharedArrayBuffer) return src;
    const dst = this.f32(name, src.length);
    copyBytes(src, dst);
    return dst;
  }
}

/**
 * How many leading items (0 .. k-1) the calling thread keeps for itself in a run over
 * `threads` threads, working on them straight from the caller's arrays: about 1/threads
 * of the total cost, and never all of them (the rest go through shared memory to workers).
 */
export function callerShare(count: number, threads: number, cost: (item: number) => number): number {
  let total = 0;
  for (let i = 0; i < count; i++) total += cost(i);
  let k = 0;
  for (let kept = cost(0); k < count - 1 && kept <= total / threads; kept += cost(++k));
  return k;
}

/** A byte view of an array (for copies at memcpy speed, shared or not). */
export const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** dst.set(src) for same-type arrays of equal length, at memcpy speed whether or not either is shared. */
export function copyBytes<A extends Float32Array | Float64Array | Int32Array>(src: A, dst: A): A {
  bytesOf(dst).set(bytesOf(src));
  return dst;
}

/** An unshared copy of a (shared) array: the caller's own, untouched by the next call. */
export function unsharedCopy(src: Float32Array): Float32Array;
export function unsharedCopy(src: Float64Array): Float64Array;
export function unsharedCopy(src: Float32Array | Float64Array): Float32Array | Float64Array {
  return src instanceof Float32Array ? copyBytes(src, uninitialisedF32(src.length)) : copyBytes(src, new Float64Array(src.length));
}

/**
 * A Float32Array whose contents are left as they are, for outputs that get written in full:
 * Node's Buffer.allocUnsafeSlow skips the zeroing pass that `new Float32Array` makes.
 */
export function uninitialisedF32(n: number): Float32Array {
  const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): Uint8Array } }).Buffer;
  if (!nodeBuffer || n === 0) return new Float32Array(n);
  const bytes = nodeBuffer.allocUnsafeSlow(n * 4);
  return new Float32Array(bytes.buffer, bytes.byteOffset, n);
}
