/**
 * The recogniser in a browser: the model directory's two files fetched over HTTP (there
 * is no file system), then the same Recognizer as in Node, on WebGPU where the browser
 * gives an adapter and on the WASM kernels otherwise. Live captions stream through the
 * CPU-only streaming encoders, so they always run on WASM, with the server's streaming
 * model where it has one (a unidirectional encoder carries its state across chunks; a
 * bidirectional one re-decodes each utterance).
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
  /** Runs live captions on WASM: the streaming model where one was given, else the same model. */
  live: Recognizer;
  /** The model's name (the last folder of its URL). */
  name: string;
  /** The live captions' model's name. */
  liveName: string;
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

/** A model directory's config.json (text) and model.safetensors (bytes) at `url` (ending in '/'). */
async function fetchModel(url: URL): Promise<[string, Uint8Array]> {
  return Promise.all([
    fetchOk(new URL('config.json', url)).then((r) => r.text()),
    fetchOk(new URL('model.safetensors', url)).then(async (r) => new Uint8Array(await r.arrayBuffer())),
  ]);
}

/** The last folder of a model URL, as the model's name. */
const urlName = (url: URL): string => url.pathname.split('/').filter(Boolean).pop() ?? 'model';

/**
 * Loads the model directory at `modelUrl` (a URL ending in '/', holding config.json and
 * model.safetensors), and for live captions the one at `live.url` where given (else the
 * same model). The WASM backend uses shared memory where the page is cross-origin
 * isolated, and as many threads as that backend can run here.
 */
export async function loadBrowserRecognizer(
  modelUrl: URL, name = urlName(modelUrl), choice: BrowserBackendChoice = 'auto', live?: { url: URL; name?: string },
): Promise<BrowserRecognizer> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const [wasm, gpu, [config, weights], liveFiles] = await Promise.all([
    WasmBackend.create({ sharedMemory: isolated }),
    openWebGpu(choice),
    fetchModel(modelUrl),
    live ? fetchModel(live.url) : undefined,
  ]);
  const liveName = live ? live.name ?? urlName(live.url) : name;
  const own = (): Recognizer => Recognizer.fromBytes(config, weights, name, { backend: wasm });
  const liveRec = liveFiles ? Recognizer.fromBytes(liveFiles[0], liveFiles[1], liveName, { backend: wasm }) : own();
  const rec = gpu ? Recognizer.fromBytes(config, weights, name, { backend: gpu.backend }) : liveFiles ? own() : liveRec;
  return { rec, live: liveRec, name, liveName, engine: gpu ? { kind: 'webgpu', adapter: gpu.adapter } : { kind: 'wasm' }, wasm, isolated };
}
