/** The native backend's N-API addon (native/src/): its functions and loading it once. */
import { envVar } from '../wasm/platform.js';
import { withBlasCore } from './blas-core.js';

/**
 * The addon's functions (native/src/addon.cc, image-entry.cc). Shapes and lengths are
 * checked before any call (validate.ts, image-ops.ts): the addon reads raw memory.
 */
export interface Addon {
  gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float32Array, lda: number, b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number): void;
  lstmForward(rows: number, H: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array, h: Float32Array, ldh: number): void;
  lstmBackward(rows: number, H: number, gates: Float32Array, cPrev: Float32Array, c: Float32Array,
    dh: Float32Array, lddh: number, dc: Float32Array, dGates: Float32Array): void;
  /** Patch geometries are packed as [C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo, width]. */
  im2col(geometry: Int32Array, img: Float32Array, cols: Float32Array): void;
  col2im(geometry: Int32Array, cols: Float32Array, img: Float32Array): void;
  /** Pool geometries are packed as [B, C, H, W, kh, kw, sh, sw, ph, pw, Ho, Wo, widths (B), outWidths (B)]. */
  maxPoolForward(geometry: Int32Array, x: Float32Array, y: Float32Array): void;
  maxPoolBackward(geometry: Int32Array, x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  reluForward(n: number, x: Float32Array, y: Float32Array): void;
  reluBackward(n: number, y: Float32Array, dy: Float32Array, dx: Float32Array): void;
  addRowSums(rows: number, cols: number, a: Float32Array, out: Float32Array): void;
  transposeBatch(batch: number, rows: number, cols: number, src: Float32Array, dst: Float32Array): void;
  setThreads(n: number): void;
  info(): string;
  fewRowKernel(): boolean;
}

let addon: Addon | undefined;
let loadError: string | undefined;

/** Where `npm run build:native` puts the addon (SAYRE_NATIVE_ADDON overrides). */
function addonPath(): string {
  return envVar('SAYRE_NATIVE_ADDON') ?? new URL('../../../../native/build/Release/sayre_native.node', import.meta.url).pathname;
}

/** Loads the addon once; undefined (with nativeUnavailableReason()) where it is not built or not Node. */
export function loadAddon(): Addon | undefined {
  if (addon || loadError !== undefined) return addon;
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; env: Record<string, string | undefined> } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as typeof import('node:module') | undefined;
  if (!proc || !mod) {
    loadError = 'the native backend needs Node';
    return undefined;
  }
  const path = addonPath();
  const req = mod.createRequire(import.meta.url);
  try {
    // OpenBLAS loads with the addon: the one moment to name its kernels (blas-core.ts).
    addon = withBlasCore(blasEnv(proc, req, path), () => req(path) as Addon);
  } catch (e) {
    loadError = `cannot load ${path} (build it with \`npm run build:native\`): ${(e as Error).message.split('\n')[0]}`;
  }
  return addon;
}

/**
 * The environment OpenBLAS reads as it loads: process.env on the main thread; on a worker
 * thread, whose process.env is a copy, writes also go to the process's own environment
 * through the small env module built beside the addon (native/src/env.cc), so that a
 * server whose threads load the addon first get the same kernels as the main thread.
 */
function blasEnv(
  proc: { getBuiltinModule?: (id: string) => unknown; env: Record<string, string | undefined> }, req: NodeJS.Require, addonFile: string,
): Record<string, string | undefined> {
  const threads = proc.getBuiltinModule?.('node:worker_threads') as typeof import('node:worker_threads') | undefined;
  if (!threads || threads.isMainThread) return proc.env;
  const envFile = addonFile.replace(/[^/\\]*$/, 'sayre_env.node');
  let native: { setEnv(name: string, value?: string): void };
  try {
    native = req(envFile) as typeof native;
  } catch {
    // An older build without it still works; OpenBLAS then chooses its kernels for itself, maybe slow ones.
    process.emitWarning(`${envFile} is missing (rebuild with \`npm run build:native\`): on this worker thread OpenBLAS may run slower kernels than on the main thread`, { code: 'SAYRE_NO_ENV_MODULE' });
    return proc.env;
  }
  return new Proxy(proc.env, {
    set(env, name: string, value: string) {
      env[name] = value;
      native.setEnv(name, value);
      return true;
    },
    deleteProperty(env, name: string) {
      delete env[name];
      native.setEnv(name);
      return true;
    },
  });
}

/** Whether the native addon is built and loads here. */
export function nativeAvailable(): boolean {
  return loadAddon() !== undefined;
}

/** Why the native backend is unavailable (undefined when it is available). */
export function nativeUnavailableReason(): string | undefined {
  return loadAddon() ? undefined : loadError;
}
