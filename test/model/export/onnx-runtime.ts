/** onnxruntime-node for the export tests, or the reason it cannot be loaded (then they skip). */
import { createRequire } from 'node:module';

type Ort = typeof import('onnxruntime-node');

let cached: Ort | string | undefined;

/** The onnxruntime-node module, or a string saying why it is not available. */
export function onnxRuntime(): Ort | string {
  if (cached === undefined) {
    try {
      cached = createRequire(import.meta.url)('onnxruntime-node') as Ort;
    } catch (err) {
      cached = `onnxruntime-node is not installed or does not load here (${(err as Error).message.split('\n')[0]})`;
    }
  }
  return cached;
}

function ort(): Ort {
  const o = onnxRuntime();
  if (typeof o === 'string') throw new Error(o);
  return o;
}

/** The input names of an ONNX file, in order. */
export async function onnxInputNames(path: string): Promise<readonly string[]> {
  const session = await ort().InferenceSession.create(path);
  const names = [...session.inputNames];
  await session.release();
  return names;
}

/** Runs one ONNX file on named inputs; returns the named outputs' data. */
export async function runOnnx(path: string, inputs: Record<string, { data: Float32Array | BigInt64Array; dims: number[] }>): Promise<Record<string, Float32Array | BigInt64Array>> {
  const rt = ort();
  const session = await rt.InferenceSession.create(path);
  const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
  for (const [name, t] of Object.entries(inputs)) feeds[name] = new rt.Tensor(t.data instanceof Float32Array ? 'float32' : 'int64', t.data, t.dims);
  const out = await session.run(feeds);
  await session.release();
  const result: Record<string, Float32Array | BigInt64Array> = {};
  for (const [name, t] of Object.entries(out)) result[name] = t.data as Float32Array | BigInt64Array;
  return result;
}
