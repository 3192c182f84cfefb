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
 * An embedding table `<prefix>weight` [numEmbeddings, dim]. PyTorch draws it from N(0, 1);
 * Parameters initialise uniformly, so the bound is sqrt(3) (the same variance).
 */
export function embeddingParamSpecs(prefix: string, numEmbeddings: number, dim: number): ParamSpec[] {
  return [{ name: `${prefix}weight`, shape: [numEmbeddings, dim], initBound: Math.sqrt(3) }];
}
