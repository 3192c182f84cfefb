import type { Backend } from '../../src/backend/index.js';
import { JsBackend, NativeBackend, WasmBackend, nativeAvailable } from '../../src/backend/index.js';

let cached: Backend[] | undefined;

/**
 * Every backend available on this machine; tests loop over these so that the same
 * assertions run against each one: js, wasm on 1 and 2 threads, and native when its
 * addon is built (`npm run build:native`). Created once per process.
 */
export async function availableBackends(): Promise<Backend[]> {
  if (cached) return cached;
  cached = [new JsBackend(), WasmBackend.createSync({ threads: 1 }), WasmBackend.createSync({ threads: 2 })];
  if (nativeAvailable()) cached.push(new NativeBackend({ threads: 1 }), new NativeBackend({ threads: 2 }));
  return cached;
}

/** A label telling backends apart in test names: 'wasm x2'. */
export function backendLabel(be: Backend): string {
  return `${be.name} x${be.threads}`;
}
