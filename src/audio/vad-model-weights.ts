/**
 * A trained VAD as data: its feature configuration, network size, decision threshold and
 * tensors, and the JSON-able form the package ships it in (tensors as base64 of little-endian
 * float32, exact and compact, readable in Node and browsers alike without a file read).
 */
import { base64Bytes } from '../util/base64.js';
import { type VadFeatureConfig, vadFeatureDim } from './vad-features.js';

/** A trained VAD. */
export interface VadModelWeights {
  features: VadFeatureConfig;
  /** Hidden units of the network (vad-net.ts). */
  hidden: number;
  /** A frame is speech when its probability is at least this. */
  threshold: number;
  /** `input.mean`, `input.scale` (feature normalisation) and the network's parameters, by name. */
  tensors: Record<string, Float32Array>;
}

/** {@link VadModelWeights} as JSON: tensors base64-encoded, and free-form notes on where it came from. */
export interface VadWeightsJson {
  features: VadFeatureConfig;
  hidden: number;
  threshold: number;
  tensors: Record<string, string>;
  provenance?: Record<string, string | number>;
}

/** The tensors a VAD of `inputs` features and `hidden` units must have, with their lengths. */
export function vadTensorLengths(inputs: number, hidden: number): Record<string, number> {
  return {
    'input.mean': inputs, 'input.scale': inputs,
    'hidden.weight': hidden * inputs, 'hidden.bias': hidden, 'output.weight': hidden, 'output.bias': 1,
  };
}

/** Throws unless `w` has every tensor its configuration asks for, of the right length, all finite. */
export function checkVadWeights(w: VadModelWeights): void {
  const want = vadTensorLengths(vadFeatureDim(w.features), w.hidden);
  for (const [name, n] of Object.entries(want)) {
    const t = w.tensors[name];
    if (!t) throw new Error(`VAD weights: no tensor ${name}`);
    if (t.length !== n) throw new Error(`VAD weights: ${name} has ${t.length} values, expected ${n}`);
    if (t.some((v) => !Number.isFinite(v))) throw new Error(`VAD weights: ${name} is not all finite`);
  }
  if (!(w.threshold > 0 && w.threshold < 1)) throw new Error(`VAD weights: threshold must be in (0, 1), got ${w.threshold}`);
}

function toBase64(a: Float32Array): string {
  const bytes = new Uint8Array(a.length * 4);
  const view = new DataView(bytes.buffer);
  a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string, name: string): Float32Array {
  const bytes = base64Bytes(text);
  if (bytes.length % 4 !== 0) throw new Error(`VAD weights: ${name} is ${bytes.length} bytes, not whole float32 values`);
  const view = new DataView(bytes.buffer);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(i * 4, true));
}

/** Weights from their JSON form (checked). */
export function decodeVadWeights(json: VadWeightsJson): VadModelWeights {
  const tensors = Object.fromEntries(Object.entries(json.tensors).map(([k, v]) => [k, fromBase64(v, k)]));
  const w: VadModelWeights = { features: json.features, hidden: json.hidden, threshold: json.threshold, tensors };
  checkVadWeights(w);
  return w;
}

/** The JSON form of `w`, with `provenance` notes. */
export function encodeVadWeights(w: VadModelWeights, provenance: Record<string, string | number> = {}): VadWeightsJson {
  checkVadWeights(w);
  const tensors = Object.fromEntries(Object.entries(w.tensors).map(([k, v]) => [k, toBase64(v)]));
  return { features: w.features, hidden: w.hidden, threshold: w.threshold, tensors, provenance };
}
