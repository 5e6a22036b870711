/**
 * A small builder for ONNX graphs: typed inputs and outputs with symbolic axes, initializers
 * whose bytes are produced only when the writer streams them, and nodes with unique names.
 * Architectures read as a list of ops; proto details stay here and in proto.ts.
 */
import {toFloat16Array} from './float16.js'
import {AttributeType, DataType, type AttributeProto, type DimensionProto, type GraphProto, type NodeProto, type OperatorSetIdProto, type TensorProto, type ValueInfoProto} from './proto.js'

/** A weight the writer will stream: its shape and type now, its bytes on demand. */
export interface Initializer {
  name: string
  dataType: DataType
  dims: readonly number[]
  /** Called once, when the writer reaches this tensor; lets a 5 GB model be written tensor by tensor. */
  read(): Promise<Uint8Array> | Uint8Array
}

/** An axis size: a number, or a name such as 'batch' for a dynamic axis. */
export type Dim = number | string

/** A typed attribute value; see {@link attr}. */
export type Attribute = Omit<AttributeProto, 'name'>

/** Attribute constructors: ONNX distinguishes INT from FLOAT, so a bare number would be ambiguous. */
export const attr = {
  int: (i: number): Attribute => ({type: AttributeType.INT, i}),
  float: (f: number): Attribute => ({type: AttributeType.FLOAT, f}),
  ints: (ints: readonly number[]): Attribute => ({type: AttributeType.INTS, ints: [...ints]}),
  floats: (floats: readonly number[]): Attribute => ({type: AttributeType.FLOATS, floats: [...floats]}),
  string: (s: string): Attribute => ({type: AttributeType.STRING, s: new TextEncoder().encode(s)}),
}

export interface NodeOptions {
  /** Operator domain: '' for ai.onnx (default), 'com.microsoft' for ONNX Runtime's contrib ops. */
  domain?: string
  attributes?: Record<string, Attribute>
  /** How many outputs to name (default 1); ignored when `outputs` is given. */
  outputCount?: number
  /** Exact output names, e.g. for graph outputs. */
  outputs?: string[]
  /** A readable stem for the node and output names, e.g. 'layer3/attention'. */
  name?: string
}

/** Everything the writer needs: the graph without its weights, and the weights as streams. */
export interface OnnxModel {
  graph: GraphProto
  initializers: Initializer[]
  opsetImport: OperatorSetIdProto[]
  irVersion: number
  /** Free-form key/value pairs stored in ModelProto.metadata_props. */
  metadata: Record<string, string>
}

/** Bytes per element of the data types the builder writes. */
export function elementSize(dataType: DataType): number {
  switch (dataType) {
    case DataType.FLOAT:
    case DataType.INT32:
      return 4
    case DataType.INT64:
    case DataType.DOUBLE:
      return 8
    case DataType.FLOAT16:
      return 2
    case DataType.UINT8:
    case DataType.INT8:
    case DataType.BOOL:
      return 1
  }
}

export function byteLength(dataType: DataType, dims: readonly number[]): number {
  return dims.reduce((n, d) => n * d, elementSize(dataType))
}

export class GraphBuilder {
  readonly #inputs: ValueInfoProto[] = []
  readonly #outputs: ValueInfoProto[] = []
  readonly #nodes: NodeProto[] = []
  readonly #initializers = new Map<string, Initializer>()
  readonly #names = new Set<string>()
  readonly #domains = new Map<string, number>()
  #counter = 0

  /** @param opset the ai.onnx opset version the graph's standard ops follow. */
  constructor(
    readonly name: string,
    opset: number,
  ) {
    this.#domains.set('', opset)
  }

  /** Declares a graph input; returns its name. */
  input(name: string, elemType: DataType, dims: readonly Dim[]): string {
    this.#claim(name)
    this.#inputs.push(valueInfo(name, elemType, dims))
    return name
  }

  /** Declares a graph output. `name` must be produced by a node (use `outputs` in {@link node}). */
  output(name: string, elemType: DataType, dims: readonly Dim[]): void {
    this.#outputs.push(valueInfo(name, elemType, dims))
  }

  /** Adds a weight whose bytes come later from `read`; returns its name. */
  initializer(name: string, dataType: DataType, dims: readonly number[], read: Initializer['read']): string {
    this.#claim(name)
    this.#initializers.set(name, {name, dataType, dims: [...dims], read})
    return name
  }

  /** A small constant tensor (shapes, scalars), deduplicated by value. */
  constant(values: readonly number[], dataType: DataType, dims: readonly number[] = [values.length]): string {
    const key = `const/${dataType}/${dims.join('x')}/${values.join(',')}`
    if (this.#initializers.has(key)) return key
    const bytes = encodeValues(values, dataType)
    return this.initializer(key, dataType, dims, () => bytes)
  }

  /** Adds a node and returns its output names. */
  node(opType: string, inputs: readonly string[], options: NodeOptions = {}): string[] {
    const stem = options.name ?? opType
    const nodeName = this.#unique(stem)
    const outputs = options.outputs ?? Array.from({length: options.outputCount ?? 1}, (_, i) => this.#unique(`${nodeName}:${i}`))
    for (const output of options.outputs ?? []) this.#claim(output)
    const domain = options.domain ?? ''
    if (!this.#domains.has(domain)) this.#domains.set(domain, 1)
    const attribute = Object.entries(options.attributes ?? {}).map(([name, value]) => ({name, ...value}))
    this.#nodes.push({input: [...inputs], output: outputs, name: nodeName, opType, ...(domain === '' ? {} : {domain}), ...(attribute.length > 0 ? {attribute} : {})})
    return outputs
  }

  /** Adds a single-output node; returns the output name. */
  op(opType: string, inputs: readonly string[], options: NodeOptions = {}): string {
    return this.node(opType, inputs, options)[0]!
  }

  /** Sets the opset version of a domain (contrib ops default to version 1). */
  useDomain(domain: string, version: number): void {
    this.#domains.set(domain, version)
  }

  build(metadata: Record<string, string> = {}, docString?: string): OnnxModel {
    for (const output of this.#outputs) {
      if (!this.#names.has(output.name)) throw new Error(`graph output "${output.name}" is not produced by any node`)
    }
    return {
      graph: {node: this.#nodes, name: this.name, input: this.#inputs, output: this.#outputs, ...(docString === undefined ? {} : {docString})},
      initializers: [...this.#initializers.values()],
      opsetImport: [...this.#domains].map(([domain, version]) => ({domain, version})),
      // IR 8 is the oldest version that allows opset 17 (LayerNormalization); old enough for any current runtime.
      irVersion: 8,
      metadata,
    }
  }

  #claim(name: string): void {
    if (this.#names.has(name)) throw new Error(`duplicate value name "${name}" in graph ${this.name}`)
    this.#names.add(name)
  }

  #unique(stem: string): string {
    let name = stem
    while (this.#names.has(name)) name = `${stem}_${++this.#counter}`
    this.#names.add(name)
    return name
  }
}

function valueInfo(name: string, elemType: DataType, dims: readonly Dim[]): ValueInfoProto {
  const dim: DimensionProto[] = dims.map((d) => (typeof d === 'number' ? {dimValue: d} : {dimParam: d}))
  return {name, type: {tensorType: {elemType, shape: {dim}}}}
}

function encodeValues(values: readonly number[], dataType: DataType): Uint8Array {
  switch (dataType) {
    case DataType.FLOAT:
      return new Uint8Array(Float32Array.from(values).buffer)
    case DataType.INT64:
      return new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer)
    case DataType.INT32:
      return new Uint8Array(Int32Array.from(values).buffer)
    case DataType.FLOAT16:
      return new Uint8Array(toFloat16Array(Float32Array.from(values)).buffer)
    case DataType.UINT8:
      return Uint8Array.from(values)
    default:
      throw new RangeError(`constants of data type ${dataType} are not supported`)
  }
}


/** The TensorProto header of an initializer (no data), as the writer emits it. */
export function tensorHeader(init: Initializer): TensorProto {
  return {name: init.name, dims: [...init.dims], dataType: init.dataType}
}
