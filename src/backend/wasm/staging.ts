/**
 * Gives the kernels an address for every argument: a Float32Array that is already a view
 * of the WASM memory is used in place; any other is copied into a staging block (and,
 * for outputs, copied back afterwards).
 */
import type { WasmHeap } from './heap.js';

interface Copy { arr: Float32Array; offset: number; length: number; out: boolean }

export class Staging {
  private block = -1;
  private capacity = 0;
  private readonly copies: Copy[] = [];
  private used = 0;

  constructor(private readonly heap: WasmHeap) {}

  /**
   * Registers `arr` (its first `length` elements matter); returns a function giving its
   * byte address once all arguments are registered and `copyIn` has run.
   */
  add(arr: Float32Array, length: number, out: boolean): () => number {
    const at = this.heap.addressOf(arr);
    if (at >= 0) return () => at;
    const copy: Copy = { arr, offset: this.used, length, out };
    this.copies.push(copy);
    this.used += Math.ceil(length / 16) * 16; // 64-byte aligned pieces
    return () => this.block + copy.offset * 4;
  }

  /** Allocates (or reuses) the staging block and copies the inputs into it. */
  copyIn(): void {
    if (this.copies.length === 0) return;
    if (this.used > this.capacity) {
      if (this.block >= 0) this.heap.freeBytes(this.block);
      this.capacity = Math.max(this.used, this.capacity * 2);
      this.block = this.heap.allocBytes(this.capacity * 4);
    }
    const view = new Float32Array(this.heap.buffer, this.block, this.used);
    // Outputs are copied in too: a strided output keeps the gaps between its rows.
    for (const c of this.copies) view.set(c.arr.subarray(0, c.length), c.offset);
  }

  /** Copies the outputs back and forgets this call's arguments. */
  copyOut(): void {
    if (this.copies.length > 0) {
      const view = new Float32Array(this.heap.buffer, this.block, this.used);
      for (const c of this.copies) if (c.out) c.arr.set(view.subarray(c.offset, c.offset + c.length));
    }
    this.copies.length = 0;
    this.used = 0;
  }
}
