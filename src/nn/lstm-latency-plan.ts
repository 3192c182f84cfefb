import { type PackedLayout, packedLayout } from './packing.js';

/**
 * Latency control of a bidirectional LSTM layer (see lstm-latency.ts), in the layer's own
 * frames: the reverse direction is run separately over each chunk of `chunk` frames plus
 * the `rightContext` frames that follow it.
 */
export interface LatencyControl {
  /** Frames per chunk (>= 1). */
  chunk: number;
  /** Frames after a chunk that its reverse direction reads (>= 0). */
  rightContext: number;
}

/**
 * Checks a latency control (a parsed JSON value or a config field) and returns a copy of
 * it; throws naming the bad field. Only a bidirectional layer has a reverse direction to
 * control.
 */
export function resolveLatencyControl(value: unknown, bidirectional: boolean): LatencyControl {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`"latencyControl" must be an object {"chunk": C, "rightContext": R}, got ${JSON.stringify(value)}`);
  }
  const v = value as Record<string, unknown>;
  for (const key of Object.keys(v)) {
    if (key !== 'chunk' && key !== 'rightContext') throw new Error(`"latencyControl" has an unknown field "${key}" (known: chunk, rightContext)`);
  }
  const int = (key: string, min: number): number => {
    const x = v[key];
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min) {
      throw new Error(`"latencyControl.${key}" must be an integer >= ${min} (frames after frame stacking), got ${JSON.stringify(x)}`);
    }
    return x;
  };
  const lc = { chunk: int('chunk', 1), rightContext: int('rightContext', 0) };
  if (!bidirectional) throw new Error('"latencyControl" needs "bidirectional": true (it bounds the reverse direction\'s look-ahead; a unidirectional model streams as it is)');
  return lc;
}

/**
 * Where the reverse direction's windows of a packed batch come from and go to. Window w of
 * sequence b covers frames [wC, min(L_b, (w+1)C + R)) of it; the windows form a packed
 * batch of their own (`layout`), whose rows are indexed below.
 */
export interface ChunkPlan {
  /** The windows as a packed batch (sorted by length as packing.ts sorts). */
  layout: PackedLayout;
  /** [windows' rows]: the layer input's packed row that each window row reads. */
  gather: Int32Array;
  /** [layer's rows]: the window row holding each frame's own reverse output (its chunk's window). */
  own: Int32Array;
  /** [windows' rows]: the layer's row of a window row in its own chunk, -1 in its right context. */
  ownOf: Int32Array;
  /**
   * Per pass p, [layer's rows]: the window row of each frame in the window of the chunk p
   * before its own, or -1 (none reads it): the input gradient sums these passes.
   */
  passes: Int32Array[];
}

/** The {@link ChunkPlan} of a packed batch for chunks of C frames with R frames of right context. */
export function chunkPlan(layout: PackedLayout, lc: LatencyControl): ChunkPlan {
  const { B, order, lengths, offsets } = layout;
  const C = lc.chunk, R = lc.rightContext;
  // windows in the layer's sorted order, so that one chunk (C >= T) gives the layer's own layout
  const first = new Int32Array(B);
  const winLengths: number[] = [];
  let longest = 0;
  for (let r = 0; r < B; r++) {
    const L = lengths[order[r]!]!;
    first[r] = winLengths.length;
    for (let start = 0; start < L; start += C) {
      winLengths.push(Math.min(L, start + C + R) - start);
      longest = Math.max(longest, winLengths[winLengths.length - 1]!);
    }
  }
  const win = packedLayout(longest, winLengths);
  const winRank = new Int32Array(win.B);
  win.order.forEach((w, r) => { winRank[w] = r; });
  const winRow = (w: number, s: number): number => win.offsets[s]! + winRank[w]!;
  const gather = new Int32Array(win.total);
  const ownOf = new Int32Array(win.total).fill(-1);
  const own = new Int32Array(layout.total);
  const P = 1 + Math.ceil(R / C);
  const passes = Array.from({ length: P }, () => new Int32Array(layout.total).fill(-1));
  for (let r = 0; r < B; r++) {
    const L = lengths[order[r]!]!;
    for (let t = 0; t < L; t++) {
      const row = offsets[t]! + r; // sorted row r is active at every t < L
      const c = Math.floor(t / C);
      for (let p = 0; p < P && c - p >= 0; p++) {
        const s = t - (c - p) * C;
        if (s >= C + R) break;
        const wr = winRow(first[r]! + c - p, s);
        passes[p]![row] = wr;
        gather[wr] = row;
        if (p === 0) {
          own[row] = wr;
          ownOf[wr] = row;
        }
      }
    }
  }
  return { layout: win, gather, own, ownOf, passes };
}
