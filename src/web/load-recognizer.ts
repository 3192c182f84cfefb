/**
 * The recogniser in a browser: the model directory's two files fetched over HTTP (there
 * is no file system), then the same Recognizer as in Node, on WebGPU where the browser
 * gives an adapter and on the WASM kernels otherwise. Live captions stream through the
 * CPU-only streaming encoders, so they always run on WASM.
 */
import type { Backend } from '../backend/index.js';
import { WasmBackend } from '../backend/wasm/wasm-backend.js';
import { WebGpuBackend } from '../backend/webgpu/webgpu-backend.js';
import { Recognizer } from '../recognizer/recognizer.js';

/** Which backend transcribes files: WebGPU where an adapter exists ('auto'), or the one named. */
export type BrowserBackendChoice = 'auto' | 'webgpu' | 'wasm';

/** What transcribes files: WebGPU (with the adapter's vendor and architecture) or WASM. */
export type BrowserEngine = { kind: 'webgpu'; adapter: string } | { kind: 'wasm' };

/** A recogniser loaded in the page, with facts to show about how it runs. */
export interface BrowserRecognizer {
  /** Transcribes files and recordings (call transcribeAsync: it may run on the GPU). */
  rec: Recognizer;
  /** Runs live captions: the same model on WASM. */
  live: Recognizer;
  /** The model's name (the last folder of its URL). */
  name: string;
  engine: BrowserEngine;
  /** The WASM backend (of `live`, and of `rec` without WebGPU). */
  wasm: WasmBackend;
  /** Whether the page is cross-origin isolated (shared memory available). */
  isolated: boolean;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return res;
}

/**
 * The WebGPU backend and its adapter's description where `choice` allows it and the
 * browser has an adapter; undefined for WASM. Rejects when 'webgpu' was asked for and
 * there is none, naming what is missing.
 */
async function openWebGpu(choice: BrowserBackendChoice): Promise<{ backend: Backend; adapter: string } | undefined> {
  if (choice === 'wasm') return undefined;
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) {
    if (choice === 'webgpu') throw new Error(gpu ? 'WebGPU: navigator.gpu gave no adapter' : 'WebGPU: this browser has no navigator.gpu');
    return undefined;
  }
  const info = adapter.info;
  return { backend: await WebGpuBackend.create(), adapter: [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter' };
}

/**
 * Loads the model directory at `modelUrl` (a URL ending in '/', holding config.json and
 * model.safetensors). The WASM backend uses shared memory where the page is cross-origin
 * isolated, and as many threads as that backend can run here.
 */
export async function loadBrowserRecognizer(modelUrl: URL, name = modelUrl.pathname.split('/').filter(Boolean).pop() ?? 'model', choice: BrowserBackendChoice = 'auto'): Promise<BrowserRecognizer> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const [wasm, gpu, config, weights] = await Promise.all([
    WasmBackend.create({ sharedMemory: isolated }),
    openWebGpu(choice),
    fetchOk(new URL('config.json', modelUrl)).then((r) => r.text()),
    fetchOk(new URL('model.safetensors', modelUrl)).then(async (r) => new Uint8Array(await r.arrayBuffer())),
  ]);
  const live = Recognizer.fromBytes(config, weights, name, { backend: wasm });
  const rec = gpu ? Recognizer.fromBytes(config, weights, name, { backend: gpu.backend }) : live;
  return { rec, live, name, engine: gpu ? { kind: 'webgpu', adapter: gpu.adapter } : { kind: 'wasm' }, wasm, isolated };
}
