// Entry point of the kernel module (built by `npm run build:wasm`, loaded by
// src/backend/wasm/). Memory is imported; the JS side owns all allocation above heapBase().
import { WORK_FLOATS } from './gemm';
export { gemm } from './gemm';
export { gemmSmallNT } from './gemm-small';
export { lstmForward, lstmBackward } from './lstm';

/** First byte the JS allocator may use. */
export function heapBase(): usize {
  return __heap_base;
}

/** Floats of per-thread scratch a gemm call needs. */
export function gemmWorkFloats(): i32 {
  return WORK_FLOATS;
}
