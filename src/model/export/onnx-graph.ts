/** Builds an ONNX graph node by node, naming every value uniquely. */
import type { OnnxAttribute, OnnxGraph, OnnxNode, OnnxTensor, OnnxValueInfo } from './onnx-proto.js';

/** Attribute values as written at call sites: integers, int lists, strings. */
export type AttrValue = number | readonly number[] | string | OnnxAttribute;

function attribute(v: AttrValue): OnnxAttribute {
  if (typeof v === 'number') return { kind: 'int', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (Array.isArray(v)) return { kind: 'ints', value: v as readonly number[] };
  return v as OnnxAttribute;
}

export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name starting with `base`. */
  name(base: string): string {
    let n = base, i = 1;
    while (this.used.has(n)) n = `${base}_${i++}`;
    this.used.add(n);
    return n;
  }

  /** A float (or, from a Float64Array, double) initializer. */
  float(base: string, dims: readonly number[], data: Float32Array | Float64Array): string {
    const name = this.name(base);
    this.initializers.push({ name, dims: [...dims], data });
    return name;
  }

  /** An int64 initializer; a scalar where `dims` is []. */
  int64(base: string, values: readonly number[], dims: readonly number[] = [values.length]): string {
    const name = this.name(base);
    this.initializers.push({ name, dims: [...dims], data: BigInt64Array.from(values, (v) => BigInt(v)) });
    return name;
  }

  /** Adds a node of `op` with `outputs` outputs; returns their names. An input '' is an omitted optional input. */
  node(op: string, inputs: readonly string[], attributes: Record<string, AttrValue> = {}, outputs = 1, base = op.toLowerCase()): string[] {
    const outs = Array.from({ length: outputs }, (_, i) => this.name(outputs === 1 ? base : `${base}_${i}`));
    const attrs: Record<string, OnnxAttribute> = {};
    for (const [k, v] of Object.entries(attributes)) attrs[k] = attribute(v);
    this.nodes.push({ op, inputs: [...inputs], outputs: outs, name: this.name(`node_${base}`), attributes: attrs });
    return outs;
  }

  /** {@link GraphBuilder.node} with a single output. */
  op(op: string, inputs: readonly string[], attributes: Record<string, AttrValue> = {}, base?: string): string {
    return this.node(op, inputs, attributes, 1, base)[0]!;
  }

  /** Renames a value to a graph output name (an Identity node). */
  output(value: string, name: string): void {
    this.used.add(name);
    this.nodes.push({ op: 'Identity', inputs: [value], outputs: [name], name: this.name(`node_${name}`) });
  }

  /** Reserves a graph input's name. */
  input(name: string): string {
    if (this.used.has(name)) throw new Error(`GraphBuilder: ${name} is already used`);
    this.used.add(name);
    return name;
  }

  graph(name: string, inputs: readonly OnnxValueInfo[], outputs: readonly OnnxValueInfo[]): OnnxGraph {
    return { name, nodes: [...this.nodes], initializers: [...this.initializers], inputs, outputs };
  }
}
