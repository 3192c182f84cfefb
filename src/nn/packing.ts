/**
 * Packed variable-length batches, as PyTorch's PackedSequence: sequences sorted by
 * length (longest first, ties in batch order), and the real frames of time step t stored
 * as rows [offsets[t], offsets[t] + batchSizes[t]), sorted row r being sequence order[r].
 * At every step the active sequences are a prefix of the sorted batch, so a recurrent
 * step works on one contiguous block and padded frames cost nothing.
 */
export interface PackedLayout {
  /** Time steps of the padded batch. */
  readonly T: number;
  /** Sequences in the batch. */
  readonly B: number;
  /** Lengths in the caller's batch order. */
  readonly lengths: Int32Array;
  /** order[r]: the caller's batch index of sorted row r. */
  readonly order: Int32Array;
  /** batchSizes[t]: sequences longer than t (non-increasing in t). */
  readonly batchSizes: Int32Array;
  /** offsets[t]: first packed row of step t; offsets[T] = total. */
  readonly offsets: Int32Array;
  /** Real frames in the batch (sum of lengths). */
  readonly total: number;
  /** True when order is the identity (no reordering needed). */
  readonly sorted: boolean;
}

/** The layout of a padded [T, B, ...] batch whose sequence b has lengths[b] real frames. */
export function packedLayout(T: number, lengths: ArrayLike<number>): PackedLayout {
  const B = lengths.length;
  if (!Number.isInteger(T) || T < 0) throw new Error(`packedLayout: T must be a non-negative integer, got ${T}`);
  const lens = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const L = lengths[b]!;
    if (!Number.isInteger(L) || L < 0 || L > T) {
      throw new Error(`packedLayout: lengths[${b}] = ${L} must be an integer in [0, ${T}]`);
    }
    lens[b] = L;
  }
  const order = Int32Array.from({ length: B }, (_, i) => i).sort((a, b) => lens[b]! - lens[a]! || a - b);
  const batchSizes = new Int32Array(T);
  for (let b = 0; b < B; b++) for (let t = 0; t < lens[b]!; t++) batchSizes[t]!++;
  const offsets = new Int32Array(T + 1);
  for (let t = 0; t < T; t++) offsets[t + 1] = offsets[t]! + batchSizes[t]!;
  let sorted = true;
  for (let r = 0; r < B; r++) if (order[r] !== r) sorted = false;
  return { T, B, lengths: lens, order, batchSizes, offsets, total: offsets[T]!, sorted };
}

/** Packs a padded [T, B, F] tensor into [total, F] rows (padded frames are dropped). */
export function pack(layout: PackedLayout, F: number, padded: Float32Array, out: Float32Array): void {
  const { T, B, order, batchSizes, offsets } = layout;
  for (let t = 0; t < T; t++) {
    const bs = batchSizes[t]!;
    const base = offsets[t]!;
    if (layout.sorted) {
      out.set(padded.subarray(t * B * F, (t * B + bs) * F), base * F);
      continue;
    }
    for (let r = 0; r < bs; r++) {
      const src = (t * B + order[r]!) * F;
      out.set(padded.subarray(src, src + F), (base + r) * F);
    }
  }
}

/** Unpacks [total, F] rows into a padded [T, B, F] tensor, writing zeros at padded frames. */
export function unpack(layout: PackedLayout, F: number, packed: Float32Array, out: Float32Array): void {
  const { T, B, order, batchSizes, offsets } = layout;
  for (let t = 0; t < T; t++) {
    const bs = batchSizes[t]!;
    const base = offsets[t]!;
    if (layout.sorted) {
      out.set(packed.subarray(base * F, (base + bs) * F), t * B * F);
    } else {
      for (let r = 0; r < bs; r++) {
        out.set(packed.subarray((base + r) * F, (base + r + 1) * F), (t * B + order[r]!) * F);
      }
    }
    if (bs < B) {
      if (layout.sorted) out.fill(0, (t * B + bs) * F, (t + 1) * B * F);
      else for (let r = bs; r < B; r++) out.fill(0, (t * B + order[r]!) * F, (t * B + order[r]! + 1) * F);
    }
  }
}

/**
 * The gather table of {@link pack} for Backend.gatherRows: packed row i comes from row
 * t * B + order[r] of the padded [T * B, F] rows (b * T + t of [B * T, F] rows with `batchMajor`).
 */
export function packIndex(layout: PackedLayout, batchMajor = false): Int32Array {
  const { T, B, order, batchSizes, offsets } = layout;
  const index = new Int32Array(layout.total);
  for (let t = 0; t < T; t++) for (let r = 0; r < batchSizes[t]!; r++) index[offsets[t]! + r] = paddedRow(T, B, t, order[r]!, batchMajor);
  return index;
}

/** The gather table of {@link unpack}: padded row t * B + b (b * T + t with `batchMajor`) comes from its packed row, or -1 (zeros) past b's length. */
export function unpackIndex(layout: PackedLayout, batchMajor = false): Int32Array {
  const { T, B, order, batchSizes, offsets } = layout;
  const index = new Int32Array(T * B).fill(-1);
  for (let t = 0; t < T; t++) for (let r = 0; r < batchSizes[t]!; r++) index[paddedRow(T, B, t, order[r]!, batchMajor)] = offsets[t]! + r;
  return index;
}

/** Row of step t of sequence b in a padded [T, B] layout, or [B, T] with `batchMajor` (the prediction network's). */
function paddedRow(T: number, B: number, t: number, b: number, batchMajor: boolean): number {
  return batchMajor ? b * T + t : t * B + b;
}
