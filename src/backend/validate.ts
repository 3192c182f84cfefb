/**
 * Argument checks shared by every backend. The fast backends read raw memory, so a short
 * array must fail here with a message, not read past its end.
 */

/** Elements a rows x cols row-major matrix with row stride `ld` spans (0 when empty). */
export function extent(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

function dims(what: string, values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`${what}: ${name} must be a non-negative integer, got ${v}`);
  }
}

function matrix(what: string, name: string, arr: Float32Array, rows: number, cols: number, ld: number, ldName: string): void {
  if (!(arr instanceof Float32Array)) throw new Error(`${what}: ${name} must be a Float32Array`);
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new Error(`${what}: ${ldName} = ${ld} is smaller than the ${cols} columns of ${name}`);
  }
  const need = extent(rows, cols, ld);
  if (arr.length < need) {
    throw new Error(`${what}: ${name} has ${arr.length} elements, needs ${need} (${rows} x ${cols}, ${ldName} ${ld})`);
  }
}

/** Checks gemm's arguments (see Backend.gemm). */
export function checkGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, lda: number, b: Float32Array, ldb: number, c: Float32Array, ldc: number,
): void {
  dims('gemm', { m, n, k });
  matrix('gemm', 'A', a, transA ? k : m, transA ? m : k, lda, 'lda');
  matrix('gemm', 'B', b, transB ? n : k, transB ? k : n, ldb, 'ldb');
  matrix('gemm', 'C', c, m, n, ldc, 'ldc');
}

/**
 * Checks the LSTM cell kernels' arguments: `perGate` arrays are [rows, 4H], `perUnit`
 * arrays [rows, H], and `strided` is the one [rows, ld] array (h or dh).
 */
export function checkLstm(
  what: string, rows: number, hidden: number, perGate: Record<string, Float32Array>,
  perUnit: Record<string, Float32Array>, strided: [string, Float32Array, number],
): void {
  dims(what, { rows, hidden });
  for (const [name, arr] of Object.entries(perGate)) matrix(what, name, arr, rows, 4 * hidden, 4 * hidden, '4H');
  for (const [name, arr] of Object.entries(perUnit)) matrix(what, name, arr, rows, hidden, hidden, 'H');
  const [name, arr, ld] = strided;
  matrix(what, name, arr, rows, hidden, ld, `ld${name}`);
}
