import type { Backend } from './backend.js';
import { JsBackend } from './js-backend.js';
import { NativeBackend, nativeAvailable, nativeUnavailableReason } from './native/native-backend.js';
import { WasmBackend } from './wasm/wasm-backend.js';
import { envVar } from './wasm/platform.js';
import { WebGpuBackend } from './webgpu/webgpu-backend.js';

export type { Backend } from './backend.js';
export { JsBackend } from './js-backend.js';
export { WasmBackend, type WasmBackendOptions } from './wasm/wasm-backend.js';
export { NativeBackend, nativeAvailable, nativeUnavailableReason, type NativeBackendOptions } from './native/native-backend.js';
export { relaxedSimdSupported, simdSupported } from './wasm/kernels.js';
export { WebGpuBackend, WebGpuKernels, requestWebGpuDevice, type GpuTensor, type GpuView, type KernelSources } from './webgpu/index.js';
export type { ArrayOps } from './array-ops.js';
export type { ImageOps, PatchGeometry, PoolGeometry } from './image-ops.js';
export type { AdamStepOptions, CtcLabels, DeviceTraining, SgdStepOptions } from './device-training.js';
export type { DeviceTransducer, JointShape, RnntLabels } from './device-transducer.js';
export { HostBackend } from './host-backend.js';

/** Backend names accepted by createBackend and SAYRE_BACKEND. */
export type BackendName = 'js' | 'wasm' | 'native' | 'webgpu';

/** Options every backend understands. */
export interface BackendOptions {
  /** Threads; default SAYRE_THREADS, else the CPU count. */
  threads?: number;
}

let current: Backend | undefined;

/** `name` as a BackendName; throws naming the backends there are. */
export function backendName(name: string): BackendName {
  if (name === 'js' || name === 'wasm' || name === 'native' || name === 'webgpu') return name;
  throw new Error(`unknown backend "${name}" (expected js, wasm, native or webgpu)`);
}

/**
 * Creates a backend synchronously (Node; in a browser use `initBackend`). 'auto' picks
 * native where its addon is built, else wasm. A named backend that cannot run here
 * throws, saying why; 'webgpu' opens a device asynchronously, so it needs `initBackend`.
 */
export function createBackend(name: BackendName | 'auto' = 'auto', options: BackendOptions = {}): Backend {
  if (name === 'auto') name = nativeAvailable() ? 'native' : 'wasm';
  switch (backendName(name)) {
    case 'js': return new JsBackend();
    case 'native':
      if (!nativeAvailable()) throw new Error(`backend "native" is unavailable: ${nativeUnavailableReason()}`);
      return new NativeBackend(options);
    case 'wasm': return WasmBackend.createSync(options);
    case 'webgpu': throw new Error('backend "webgpu" opens a GPU device asynchronously: use `await initBackend(\'webgpu\')`');
  }
}

/**
 * The backend that layers use by default: native if its addon is built, else WASM.
 * `SAYRE_BACKEND=js|wasm|native|webgpu` forces one (an error if it cannot run here; webgpu
 * needs `await initBackend()` first). Outside Node, call `await initBackend()` first; until
 * then this is the JS backend.
 */
export function getBackend(): Backend {
  if (current) return current;
  const wanted = envVar('SAYRE_BACKEND');
  if (typeof (globalThis as { process?: unknown }).process === 'undefined' && wanted === undefined) {
    current = new JsBackend();
    return current;
  }
  current = createBackend(wanted ? backendName(wanted) : 'auto');
  return current;
}

/**
 * Picks and loads the default backend anywhere, browsers included (where it fetches the
 * WASM kernels), and makes it the default. Resolves to it. 'webgpu' (or
 * SAYRE_BACKEND=webgpu with 'auto') opens a GPU device, and rejects naming what is
 * missing: the npm package `webgpu` or an adapter.
 */
export async function initBackend(name: BackendName | 'auto' = 'auto', options: BackendOptions = {}): Promise<Backend> {
  const wanted = name === 'auto' && envVar('SAYRE_BACKEND') ? backendName(envVar('SAYRE_BACKEND')!) : checkChoice(name);
  if (wanted === 'webgpu') current = await WebGpuBackend.create();
  else {
    current = wanted === 'wasm' || (wanted === 'auto' && !nativeAvailable())
      ? await WasmBackend.create(options)
      : createBackend(wanted, options);
  }
  return current;
}

function checkChoice(name: string): BackendName | 'auto' {
  return name === 'auto' ? name : backendName(name);
}

/** Makes `backend` the default for everything created afterwards. */
export function setBackend(backend: Backend): void {
  current = backend;
}
