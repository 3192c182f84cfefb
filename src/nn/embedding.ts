import type { Backend } from '../backend/index.js';
import type { ParamSpec } from './parameters.js';

/**
 * Embedding lookup: out[n] = table[ids[n]].
 * table [numEmbeddings, dim], ids [N], out [N, dim].
 */
export function embeddingForward(
  numEmbeddings: number, dim: number, table: Float32Array, ids: ArrayLike<number>, out: Float32Array,
): void {
  for (let n = 0; n < ids.length; n++) {
    const id = ids[n]!;
    if (!Number.isInteger(id) || id < 0 || id >= numEmbeddings) {
      throw new Error(`embedding: id ${id} at position ${n} is outside [0, ${numEmbeddings})`);
    }
    out.set(table.subarray(id * dim, (id + 1) * dim), n * dim);
  }
}

/**
 * Backward of {@link embeddingForward}: dTable [numEmbeddings, dim] += the rows of
 * dOut [N, dim] scattered to their ids (ids repeat, so rows add up).
 */
export function embeddingBackward(dim: number, ids: ArrayLike<number>, dOut: Float32Array, dTable: Float32Array): void {
  for (let n = 0; n < ids.length; n++) {
    const base = ids[n]! * dim, src = n * dim;
    for (let j = 0; j < dim; j++) dTable[base + j]! += dOut[src + j]!;
  }
}

/**
 * {@link embeddingBackward} on any backend. On a device backend (webgpu) the scatter is a
 * product with the ids' one-hot matrix, dTable [V, dim] += onehot(ids)^T [V, N] dOut [N, dim]
 * (repeated ids add up there as in the loop); the CPU backends run the loop.
 */
export function embeddingBackwardOn(be: Backend, numEmbeddings: number, dim: number, ids: ArrayLike<number>, dOut: Float32Array, dTable: Float32Array): void {
  if (!be.onDevice) {
    embeddingBackward(dim, ids, dOut, dTable);
    return;
  }
  const N = ids.length;
  if (N === 0) return;
  const oneHot = be.alloc(N * numEmbeddings);
  for (let n = 0; n < N; n++) oneHot[n * numEmbeddings + ids[n]!] = 1;
  be.upload(oneHot);
  be.gemm(true, false, numEmbeddings, dim, N, 1, oneHot, numEmbeddings, dOut, dim, 1, dTable, dim);
  be.free(oneHot);
}

/**
 * An embedding table `<prefix>weight` [numEmbeddings, dim]. PyTorch draws it from N(0, 1);
 * Parameters initialise uniformly, so the bound is sqrt(3) (the same variance).
 */
export function embeddingParamSpecs(prefix: string, numEmbeddings: number, dim: number): ParamSpec[] {
  return [{ name: `${prefix}weight`, shape: [numEmbeddings, dim], initBound: Math.sqrt(3) }];
}
