/**
 * A small in-memory form of ONNX models (the subset sayre writes) and its encoding as
 * onnx.proto's ModelProto. Field numbers are onnx.proto's (IR version 8).
 */
import { ProtoWriter } from './protobuf-writer.js';

/** ONNX TensorProto.DataType values used here. */
export const OnnxType = { FLOAT: 1, INT32: 6, INT64: 7, DOUBLE: 11 } as const;
export type OnnxElemType = (typeof OnnxType)[keyof typeof OnnxType];

/** A constant tensor (initializer or attribute value). */
export interface OnnxTensor {
  name: string;
  dims: readonly number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array;
}

/** A node attribute: a number is an int unless `float` says otherwise. */
export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'string'; value: string }
  | { kind: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  name: string;
  attributes?: Record<string, OnnxAttribute>;
}

/** A graph input or output: element type and dims (a string names a dynamic dim). */
export interface OnnxValueInfo {
  name: string;
  type: OnnxElemType;
  dims: readonly (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxTensor[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
}

export interface OnnxModel {
  graph: OnnxGraph;
  /** Default opset version (17: LSTM, Range, Slice with steps). */
  opset: number;
  producerVersion: string;
  /** metadata_props: strings a runtime can read (sherpa-onnx reads its settings here). */
  metadata?: Record<string, string>;
  docString?: string;
}

const IR_VERSION = 8;
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, INTS: 7 } as const;

function elemType(data: OnnxTensor['data']): OnnxElemType {
  if (data instanceof Float32Array) return OnnxType.FLOAT;
  if (data instanceof Float64Array) return OnnxType.DOUBLE;
  if (data instanceof Int32Array) return OnnxType.INT32;
  return OnnxType.INT64;
}

/** Little-endian bytes of the tensor's values (raw_data). */
function rawBytes(data: OnnxTensor['data']): Uint8Array {
  const out = new Uint8Array(data.byteLength);
  const view = new DataView(out.buffer);
  const w = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * w, data[i]!, true);
    else if (data instanceof Float64Array) view.setFloat64(i * w, data[i]!, true);
    else if (data instanceof Int32Array) view.setInt32(i * w, data[i]!, true);
    else view.setBigInt64(i * w, data[i]!, true);
  }
  return out;
}

function tensorProto(t: OnnxTensor): ProtoWriter {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length) throw new Error(`ONNX tensor ${t.name}: ${t.data.length} values for dims [${t.dims.join(', ')}]`);
  const w = new ProtoWriter();
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  return w.int(2, elemType(t.data)).string(8, t.name).bytes(9, rawBytes(t.data));
}

function attributeProto(name: string, a: OnnxAttribute): ProtoWriter {
  const w = new ProtoWriter().string(1, name);
  switch (a.kind) {
    case 'int': return w.int(20, ATTR.INT).int(3, a.value);
    case 'float': return w.int(20, ATTR.FLOAT).float(2, a.value);
    case 'ints': return w.int(20, ATTR.INTS).packedInts(8, a.value);
    case 'string': return w.int(20, ATTR.STRING).string(4, a.value);
    case 'tensor': return w.int(20, ATTR.TENSOR).message(5, tensorProto(a.value));
  }
}

function nodeProto(n: OnnxNode): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.op);
  for (const [k, a] of Object.entries(n.attributes ?? {})) w.message(5, attributeProto(k, a));
  return w;
}

function valueInfoProto(v: OnnxValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) shape.message(1, typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d));
  const tensorType = new ProtoWriter().int(1, v.type).message(2, shape);
  return new ProtoWriter().string(1, v.name).message(2, new ProtoWriter().message(1, tensorType));
}

/** The ModelProto bytes of `model` (what an .onnx file holds). */
export function encodeOnnxModel(model: OnnxModel): Uint8Array {
  const g = model.graph;
  const graph = new ProtoWriter();
  for (const n of g.nodes) graph.message(1, nodeProto(n));
  graph.string(2, g.name);
  for (const t of g.initializers) graph.message(5, tensorProto(t));
  for (const v of g.inputs) graph.message(11, valueInfoProto(v));
  for (const v of g.outputs) graph.message(12, valueInfoProto(v));
  const w = new ProtoWriter()
    .int(1, IR_VERSION)
    .string(2, 'sayre')
    .string(3, model.producerVersion)
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, model.opset));
  if (model.docString) w.string(6, model.docString);
  for (const [key, value] of Object.entries(model.metadata ?? {})) w.message(14, new ProtoWriter().string(1, key).string(2, value));
  return w.finish();
}
