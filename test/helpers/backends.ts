import type { Backend } from '../../src/backend/index.js';
import { JsBackend, NativeBackend, WasmBackend, nativeAvailable } from '../../src/backend/index.js';
import { webgpuBackendForTests } from './webgpu.js';

let cached: Backend[] | undefined;

/**
 * Every CPU backend available on this machine; the synchronous tests loop over these so
 * that the same assertions run against each one: js, wasm on 1 and 2 threads, and native
 * when its addon is built (`npm run build:native`). Created once per process.
 */
export async function availableBackends(): Promise<Backend[]> {
  if (cached) return cached;
  cached = [new JsBackend(), WasmBackend.createSync({ threads: 1 }), WasmBackend.createSync({ threads: 2 })];
  if (nativeAvailable()) cached.push(new NativeBackend({ threads: 1 }), new NativeBackend({ threads: 2 }));
  return cached;
}

/**
 * {@link availableBackends} plus webgpu wherever an adapter exists (SwiftShader here): the
 * loop of the tests written against the asynchronous contract (upload, kernels, `await
 * read`). With SAYRE_BACKEND=webgpu and no adapter this rejects, so those tests fail
 * instead of quietly leaving the GPU out.
 */
export async function allBackends(): Promise<Backend[]> {
  const gpu = await webgpuBackendForTests();
  return gpu.backend ? [...await availableBackends(), gpu.backend] : availableBackends();
}

/** A label telling backends apart in test names: 'wasm x2'. */
export function backendLabel(be: Backend): string {
  return `${be.name} x${be.threads}`;
}

/** A backend array holding a copy of `data` (uploaded to a device backend). */
export function onBackend(be: Backend, data: ArrayLike<number>): Float32Array {
  const a = be.alloc(data.length);
  a.set(data);
  be.upload(a);
  return a;
}

/** A plain copy of a backend array's values (read back from a device backend). */
export async function fromBackend(be: Backend, a: Float32Array): Promise<Float32Array> {
  return (await be.read(a)).slice();
}
