/**
 * Loading the AssemblyScript kernel modules (assembly/, built into four variants by
 * `npm run build:wasm`) and the feature checks that pick one.
 */
import { readBytes, readFileSync } from './platform.js';

/** The kernel module's exports (pointers and strides as in assembly/). */
export interface KernelExports {
  heapBase(): number;
  gemmWorkFloats(): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number, work: number): void;
  gemmSmallNT(m: number, n: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number,
    beta: number, c: number, ldc: number): void;
  lstmForward(rows: number, H: number, gates: number, cPrev: number, c: number, h: number, ldh: number,
    j0: number, j1: number, scratch: number): void;
  lstmBackward(rows: number, H: number, gates: number, cPrev: number, c: number, dh: number, lddh: number,
    dc: number, dGates: number, j0: number, j1: number, scratch: number): void;
}

/** Which instruction set a module uses: 'relaxed' has fused multiply-add. */
export type SimdFlavour = 'simd' | 'relaxed';

// (func (param v128 v128 v128) (result v128) local.get 0..2 <op>)
const probe = (op: number[]): Uint8Array<ArrayBuffer> => new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b,
  0x03, 0x02, 0x01, 0x00,
  0x0a, 0x0a + op.length, 0x01, 0x08 + op.length, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, ...op, 0x0b,
]);

/** Whether this runtime validates fixed-width SIMD (f32x4.mul on the two first arguments). */
export function simdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe([0x1a, 0xfd, 0xe6, 0x01]));
}

/** Whether this runtime validates relaxed SIMD (f32x4.relaxed_madd); Node 20 needs --experimental-wasm-relaxed-simd. */
export function relaxedSimdSupported(): boolean {
  return typeof WebAssembly === 'object' && WebAssembly.validate(probe([0xfd, 0x85, 0x02]));
}

/** Where a variant's .wasm lies, next to this file in dist/. */
export function kernelUrl(flavour: SimdFlavour, shared: boolean): URL {
  return new URL(`./kernels-${flavour}-${shared ? 'shared' : 'local'}.wasm`, import.meta.url);
}

function missing(url: URL): Error {
  return new Error(`WASM kernels not found at ${url.href}: run \`npm run build:wasm\` (part of \`npm run build\`)`);
}

/** Compiles a variant synchronously (Node only: reads the file); undefined outside Node. */
export function compileKernelsSync(flavour: SimdFlavour, shared: boolean): WebAssembly.Module | undefined {
  const url = kernelUrl(flavour, shared);
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  try {
    bytes = readFileSync(url);
  } catch {
    throw missing(url);
  }
  return bytes ? new WebAssembly.Module(bytes) : undefined;
}

/** Compiles a variant asynchronously (file system in Node, fetch in a browser). */
export async function compileKernels(flavour: SimdFlavour, shared: boolean): Promise<WebAssembly.Module> {
  const url = kernelUrl(flavour, shared);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await readBytes(url);
  } catch {
    throw missing(url);
  }
  return WebAssembly.compile(bytes);
}

/** Instantiates a compiled kernel module over `memory`. */
export function instantiateKernels(module: WebAssembly.Module, memory: WebAssembly.Memory): KernelExports {
  const inst = new WebAssembly.Instance(module, { env: { memory } });
  return inst.exports as unknown as KernelExports;
}
