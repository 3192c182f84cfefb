import { fromFloat16, toFloat16 } from '../../math/float16.js';
import { readFileBounded } from '../../util/read-bounded.js';
import { writeChunksAtomic } from '../../util/atomic-write.js';

/** Element types this reader/writer handles (safetensors names). F16 is read widened to float32. */
export type SafeDtype = 'F16' | 'F32' | 'F64' | 'I32';
export type SafeArray = Float32Array | Float64Array | Int32Array;

/** One tensor of a safetensors file: `dtype` is how it is stored; an F16 tensor's data is widened to a Float32Array. */
export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  data: SafeArray;
}

/** A tensor to write: its values, and for a Float32Array `dtype: 'F16'` to store it at half precision. */
export interface SafeTensorInput {
  shape: readonly number[];
  data: SafeArray;
  dtype?: 'F16';
}

/** A whole safetensors file: tensors in file order, and the string-to-string metadata. */
export interface SafeTensorsFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

const BYTES: Record<SafeDtype, number> = { F16: 2, F32: 4, F64: 8, I32: 4 };
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function dtypeOf(a: SafeArray): SafeDtype {
  if (a instanceof Float32Array) return 'F32';
  if (a instanceof Float64Array) return 'F64';
  return 'I32';
}

/**
 * The bytes a tensor is stored as, little-endian: float32 values narrowed to binary16 for
 * dtype F16 (lossless for values read from an F16 tensor), else the array's own bytes (a
 * view where the platform is little-endian).
 */
export function storedBytes(t: { data: SafeArray; dtype?: SafeDtype }, name = 'tensor'): Uint8Array {
  if (t.dtype !== 'F16') return leBytes(t.data);
  if (!(t.data instanceof Float32Array)) throw new Error(`"${name}": an F16 tensor takes a Float32Array`);
  const bits = toFloat16(t.data);
  const over = bits.findIndex((b, i) => (b & 0x7c00) === 0x7c00 && Number.isFinite(t.data[i]!));
  if (over >= 0) throw new Error(`"${name}" holds ${t.data[over]} at index ${over}, beyond half precision's range (±65504)`);
  return leBytes(bits);
}

function leBytes(a: SafeArray | Uint16Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (LITTLE_ENDIAN) return bytes;
  const out = new Uint8Array(a.byteLength);
  const w = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < out.length; i += w) for (let j = 0; j < w; j++) out[i + j] = bytes[i + w - 1 - j]!;
  return out;
}

/**
 * Writes a safetensors file (8-byte little-endian header length, JSON header padded with
 * spaces to a multiple of 8, then the raw little-endian data) atomically: into a temporary
 * file beside `path`, flushed to disk, then renamed over it.
 */
export function writeSafetensors(
  path: string, tensors: Iterable<[string, SafeTensorInput]>, metadata: Record<string, string> = {},
): void {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__' || name in header) throw new Error(`writeSafetensors: duplicate or reserved tensor name "${name}"`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length) throw new Error(`writeSafetensors: "${name}" has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
    const bytes = storedBytes(t, name);
    header[name] = { dtype: t.dtype ?? dtypeOf(t.data), shape: [...t.shape], data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = JSON.stringify(header);
  const jsonBytes = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - (jsonBytes % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(headerBytes.length));
  writeChunksAtomic(path, [prefix, headerBytes, ...chunks], { fsync: true });
}

/** Reads a safetensors file; every tensor is copied into its own aligned typed array. */
export function readSafetensors(path: string): SafeTensorsFile {
  return parseSafetensors(readFileBounded(path, 'safetensors file'), path);
}

/**
 * Parses the bytes of a safetensors file (for example fetched over HTTP in a browser);
 * `where` names them in errors. Every tensor is copied into its own aligned typed array.
 */
export function parseSafetensors(buf: Uint8Array, where = '<bytes>'): SafeTensorsFile {
  const fail = (msg: string): never => {
    throw new Error(`readSafetensors ${where}: ${msg}`);
  };
  if (buf.length < 8) fail('file shorter than the 8-byte header length');
  const n = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getBigUint64(0, true);
  if (n > BigInt(buf.length - 8)) fail(`header length ${n} runs past the end of the file (${buf.length} bytes)`);
  const headerEnd = 8 + Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder().decode(buf.subarray(8, headerEnd))) as Record<string, unknown>;
  } catch (err) {
    return fail(`header is not JSON (${(err as Error).message})`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('header is not a JSON object');
  const dataLength = buf.length - headerEnd;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, SafeTensor>();
  const entries: [string, { dtype: SafeDtype; shape: number[]; begin: number; end: number }][] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      for (const [k, v] of Object.entries((value ?? {}) as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    const info = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const dtype = info.dtype as SafeDtype;
    if (!(typeof dtype === 'string' && dtype in BYTES)) fail(`tensor "${name}": unsupported dtype ${JSON.stringify(info.dtype)} (F16, F32, F64, I32)`);
    const shape = info.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) fail(`tensor "${name}": bad shape ${JSON.stringify(shape)}`);
    const off = info.data_offsets;
    if (!Array.isArray(off) || off.length !== 2 || !Number.isInteger(off[0]) || !Number.isInteger(off[1]) || off[0] > off[1] || off[1] > dataLength) {
      fail(`tensor "${name}": bad data_offsets ${JSON.stringify(off)} for ${dataLength} data bytes`);
    }
    const [begin, end] = off as [number, number];
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    if (end - begin !== count * BYTES[dtype]) fail(`tensor "${name}": ${end - begin} bytes for shape [${(shape as number[]).join(', ')}] of ${dtype}`);
    entries.push([name, { dtype, shape: shape as number[], begin, end }]);
  }
  entries.sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  for (let i = 1; i < entries.length; i++) {
    const [prev, p] = entries[i - 1]!, [name, e] = entries[i]!;
    if (e.begin < p.end) fail(`tensor "${name}" (bytes ${e.begin}-${e.end}) overlaps tensor "${prev}" (bytes ${p.begin}-${p.end})`);
  }
  for (const [name, e] of entries) {
    const bytes = new Uint8Array(e.end - e.begin);
    bytes.set(buf.subarray(headerEnd + e.begin, headerEnd + e.end));
    if (!LITTLE_ENDIAN) {
      const w = BYTES[e.dtype];
      for (let i = 0; i < bytes.length; i += w) bytes.subarray(i, i + w).reverse();
    }
    const data = e.dtype === 'F32' ? new Float32Array(bytes.buffer) : e.dtype === 'F64' ? new Float64Array(bytes.buffer)
      : e.dtype === 'F16' ? fromFloat16(new Uint16Array(bytes.buffer)) : new Int32Array(bytes.buffer);
    tensors.set(name, { dtype: e.dtype, shape: e.shape, data });
  }
  return { tensors, metadata };
}
