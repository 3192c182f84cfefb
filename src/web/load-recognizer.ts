/**
 * The recogniser in a browser: the WASM kernels and the model directory's two files
 * fetched over HTTP (there is no file system), then the same Recognizer as in Node.
 */
import { WasmBackend } from '../backend/wasm/wasm-backend.js';
import { Recognizer } from '../recognizer/recognizer.js';

/** A recogniser loaded in the page, with facts to show about how it runs. */
export interface BrowserRecognizer {
  rec: Recognizer;
  /** The model's name (the last folder of its URL). */
  name: string;
  backend: WasmBackend;
  /** Whether the page is cross-origin isolated (shared memory available). */
  isolated: boolean;
}

async function fetchOk(url: URL): Promise<Response> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`cannot load ${url.href}: HTTP ${res.status}`);
  return res;
}

/**
 * Loads the model directory at `modelUrl` (a URL ending in '/', holding config.json and
 * model.safetensors). The WASM backend uses shared memory where the page is cross-origin
 * isolated, and as many threads as that backend can run here.
 */
export async function loadBrowserRecognizer(modelUrl: URL, name = modelUrl.pathname.split('/').filter(Boolean).pop() ?? 'model'): Promise<BrowserRecognizer> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  const [backend, config, weights] = await Promise.all([
    WasmBackend.create({ sharedMemory: isolated }),
    fetchOk(new URL('config.json', modelUrl)).then((r) => r.text()),
    fetchOk(new URL('model.safetensors', modelUrl)).then(async (r) => new Uint8Array(await r.arrayBuffer())),
  ]);
  const rec = Recognizer.fromBytes(config, weights, name, { backend });
  return { rec, name, backend, isolated };
}
