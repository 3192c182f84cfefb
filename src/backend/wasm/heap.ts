/**
 * A first-fit allocator over a WebAssembly.Memory, above the kernel module's static
 * data. Blocks are 64-byte aligned (a cache line, and v128 loads never straddle one
 * needlessly). The memory grows on demand; with a shared memory, views made before a
 * growth stay valid, so every buffer the memory has had is remembered for isView().
 */
const ALIGN = 64;
const PAGE = 65536;
/** wasm32: 65536 pages of 64 KiB. */
const MAX_PAGES = 65536;

interface Block { start: number; size: number }

export class WasmHeap {
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();
  private readonly buffers = new Set<ArrayBufferLike>();
  private end: number;

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    const start = Math.ceil(base / ALIGN) * ALIGN;
    this.end = memory.buffer.byteLength;
    if (this.end > start) this.free.push({ start, size: this.end - start });
    else this.end = start;
    this.buffers.add(memory.buffer);
  }

  /** The memory's current buffer (a new object after each growth). */
  get buffer(): ArrayBufferLike {
    return this.memory.buffer;
  }

  /** Allocates `bytes` (rounded up to 64) and returns the byte address. */
  allocBytes(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    let idx = this.free.findIndex((b) => b.size >= size);
    if (idx < 0) idx = this.grow(size);
    const blk = this.free[idx]!;
    const ptr = blk.start;
    if (blk.size === size) this.free.splice(idx, 1);
    else { blk.start += size; blk.size -= size; }
    this.used.set(ptr, size);
    return ptr;
  }

  /** Returns a block from allocBytes to the free list, merging neighbours. */
  freeBytes(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`WasmHeap.free: ${ptr} is not an allocated block`);
    this.used.delete(ptr);
    this.insertFree(ptr, size);
  }

  /** A zeroed Float32Array view of a new block. */
  allocFloats(length: number): Float32Array {
    const ptr = this.allocBytes(length * 4);
    const view = new Float32Array(this.memory.buffer, ptr, length);
    view.fill(0);
    return view;
  }

  /** Byte address of `arr` in this memory, or -1 when it is not a view of it. */
  addressOf(arr: Float32Array): number {
    return this.buffers.has(arr.buffer) ? arr.byteOffset : -1;
  }

  /** Whether `ptr` is the start of a block from allocBytes. */
  owns(ptr: number): boolean {
    return this.used.has(ptr);
  }

  private insertFree(start: number, size: number): number {
    let i = 0;
    while (i < this.free.length && this.free[i]!.start < start) i++;
    this.free.splice(i, 0, { start, size });
    const next = this.free[i + 1];
    if (next && start + size === next.start) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.start + prev.size === start) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
      return i - 1;
    }
    return i;
  }

  /** Grows the memory so that a free block of `size` bytes exists; returns its index. */
  private grow(size: number): number {
    const last = this.free[this.free.length - 1];
    const tailFree = last && last.start + last.size === this.end ? last.size : 0;
    const have = this.memory.buffer.byteLength / PAGE;
    // At least double, so that repeated small growths stay rare.
    const need = Math.ceil((size - tailFree) / PAGE);
    const pages = Math.min(Math.max(need, have), MAX_PAGES - have);
    if (pages < need) throw new Error(`WebAssembly memory exhausted: cannot allocate ${size} bytes (4 GiB limit)`);
    this.memory.grow(pages);
    this.buffers.add(this.memory.buffer);
    const oldEnd = this.end;
    this.end = this.memory.buffer.byteLength;
    return this.insertFree(oldEnd, this.end - oldEnd);
  }
}
