import type { Backend } from './backend.js';
import { JsBackend } from './js-backend.js';
import { NativeBackend, nativeAvailable, nativeUnavailableReason } from './native/native-backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';
import { envVar } from './wasm/platform.js';

export type { Backend } from './backend.js';
export { JsBackend } from './js-backend.js';
export { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
export { NativeBackend, nativeAvailable, nativeUnavailableReason, type NativeBackendOptions } from './native/native-backend.js';
export { relaxedSimdSupported, simdSupported } from './wasm/kernels.js';
export { WebGpuKernels, requestWebGpuDevice, type GpuTensor, type GpuView } from './webgpu/index.js';

/** Backend names accepted by createBackend and SAYRE_BACKEND. */
export type BackendName = 'js' | 'wasm' | 'native';

/** Options every backend understands. */
export interface BackendOptions {
  /** Threads; default SAYRE_THREADS, else the CPU count. */
  threads?: number;
}

let current: Backend | undefined;

function checkName(name: string): BackendName {
  if (name === 'js' || name === 'wasm' || name === 'native') return name;
  throw new Error(`unknown backend "${name}" (expected js, wasm or native)`);
}

/**
 * Creates a backend synchronously (Node; in a browser use `initBackend`). 'auto' picks
 * native where its addon is built, else wasm. A named backend that cannot run here
 * throws, saying why.
 */
export function createBackend(name: BackendName | 'auto' = 'auto', options: BackendOptions = {}): Backend {
  if (name === 'auto') name = nativeAvailable() ? 'native' : 'wasm';
  switch (checkName(name)) {
    case 'js': return new JsBackend();
    case 'native':
      if (!nativeAvailable()) throw new Error(`backend "native" is unavailable: ${nativeUnavailableReason()}`);
      return new NativeBackend(options);
    case 'wasm': return WasmBackend.createSync(options);
  }
}

/**
 * The backend that layers use by default: native if its addon is built, else WASM.
 * `SAYRE_BACKEND=js|wasm|native` forces one (an error if it cannot run here).
 * Outside Node, call `await initBackend()` first; until then this is the JS backend.
 */
export function getBackend(): Backend {
  if (current) return current;
  const wanted = envVar('SAYRE_BACKEND');
  if (typeof (globalThis as { process?: unknown }).process === 'undefined' && wanted === undefined) {
    current = new JsBackend();
    return current;
  }
  current = createBackend(wanted ? checkName(wanted) : 'auto');
  return current;
}

/**
 * Picks and loads the default backend anywhere, browsers included (where it fetches the
 * WASM kernels), and makes it the default. Resolves to it.
 */
export async function initBackend(name: BackendName | 'auto' = 'auto', options: BackendOptions = {}): Promise<Backend> {
  const wanted = name === 'auto' && envVar('SAYRE_BACKEND') ? checkName(envVar('SAYRE_BACKEND')!) : name;
  current = wanted === 'wasm' || (wanted === 'auto' && !nativeAvailable())
    ? await WasmBackend.create(options)
    : createBackend(wanted, options);
  return current;
}

/** Makes `backend` the default for everything created afterwards. */
export function setBackend(backend: Backend): void {
  current = backend;
}
