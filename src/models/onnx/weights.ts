/**
 * Checkpoint tensors as graph initializers. Every tensor is looked up and shape-checked while
 * the graph is built (so a wrong checkpoint fails before anything is written, with all its
 * problems listed at once) and read, transformed and converted only when the writer streams it.
 */
import {usageError} from '../../kernel/errors.js'
import type {TensorStore} from '../tensors.js'
import {toFloat16Array} from './float16.js'
import type {GraphBuilder} from './graph.js'
import {DataType} from './proto.js'

/**
 * How weights are stored: float32; float16 (and computed in float16); or int8, where the
 * transformer layers' Linear weights are int8 with one float32 scale per output column
 * (activations quantized on the fly by ONNX Runtime) and everything else stays float32.
 */
export type Precision = 'float32' | 'float16' | 'int8'

/** A checkpoint tensor and the shape the config says it must have. */
export interface Source {
  name: string
  shape: readonly number[]
}

export class WeightSource {
  readonly #store: TensorStore
  readonly #problems: string[] = []
  /** Initializers already added, so that a tensor used twice (two heads on one Linear) is stored once. */
  readonly #added = new Set<string>()
  readonly dataType: DataType

  constructor(
    store: TensorStore,
    readonly precision: Precision,
  ) {
    this.#store = store
    this.dataType = precision === 'float16' ? DataType.FLOAT16 : DataType.FLOAT
  }

  /**
   * The checkpoint's own name for `name`: the name itself, or the pre-2019 BERT spelling
   * (`LayerNorm.gamma`/`beta` for `LayerNorm.weight`/`bias`) that bert-base-uncased still ships.
   */
  resolve(name: string): string | undefined {
    if (this.#store.info(name)) return name
    const legacy = name.replace(/LayerNorm\.weight$/, 'LayerNorm.gamma').replace(/LayerNorm\.bias$/, 'LayerNorm.beta')
    return legacy !== name && this.#store.info(legacy) ? legacy : undefined
  }

  has(name: string): boolean {
    return this.resolve(name) !== undefined
  }

  /** A checkpoint tensor as it is, checked against `shape`. */
  tensor(b: GraphBuilder, name: string, shape: readonly number[]): string {
    return this.derived(b, name, [{name, shape}], shape, ([data]) => data!)
  }

  /** nn.Linear(inFeatures, outFeatures) at `module`: weight transposed to [in, out] for MatMul, and bias. */
  linear(b: GraphBuilder, module: string, inFeatures: number, outFeatures: number): {weight: string; bias: string} {
    const source = {name: `${module}.weight`, shape: [outFeatures, inFeatures]}
    return {
      weight: this.derived(b, `${module}.weight.T`, [source], [inFeatures, outFeatures], ([w]) => transpose(w!, outFeatures, inFeatures)),
      bias: this.tensor(b, `${module}.bias`, [outFeatures]),
    }
  }

  /** Several nn.Linear(in, out) side by side: weight [in, n·out] and bias [n·out], as fused QKV projections want. */
  stackedLinear(b: GraphBuilder, modules: readonly string[], inFeatures: number, outFeatures: number, stem: string): {weight: string; bias: string} {
    const width = modules.length * outFeatures
    const weights = modules.map((m) => ({name: `${m}.weight`, shape: [outFeatures, inFeatures]}))
    const biases = modules.map((m) => ({name: `${m}.bias`, shape: [outFeatures]}))
    return {
      weight: this.derived(b, `${stem}.weight.T`, weights, [inFeatures, width], (parts) => {
        const out = new Float32Array(inFeatures * width)
        parts.forEach((w, p) => {
          for (let o = 0; o < outFeatures; o++) for (let i = 0; i < inFeatures; i++) out[i * width + p * outFeatures + o] = w[o * inFeatures + i]!
        })
        return out
      }),
      bias: this.derived(b, `${stem}.bias`, biases, [width], (parts) => concatArrays(parts)),
    }
  }

  /**
   * nn.Linear(inFeatures, outFeatures) with its weight quantized symmetrically to int8 per
   * output column: weight [in, out] int8, scale [out] float32 (max |w| / 127), bias float32.
   * Symmetric means no zero point, which is what ONNX Runtime's fastest u8·s8 kernels take.
   */
  quantizedLinear(b: GraphBuilder, module: string, inFeatures: number, outFeatures: number): {weight: string; scale: string; bias: string} {
    const source = [{name: `${module}.weight`, shape: [outFeatures, inFeatures]}]
    return {
      weight: this.#add(b, `${module}.weight.T.int8`, DataType.INT8, source, [inFeatures, outFeatures], ([w]) => new Uint8Array(quantizeColumns(w!, outFeatures, inFeatures).buffer)),
      scale: this.#add(b, `${module}.weight.scale`, DataType.FLOAT, source, [outFeatures], ([w]) => bytesOf(columnScales(w!, outFeatures, inFeatures))),
      bias: this.#add(b, `${module}.bias`, DataType.FLOAT, [{name: `${module}.bias`, shape: [outFeatures]}], [outFeatures], ([bias]) => bytesOf(bias!)),
    }
  }

  /** Σ_i Wq[i, o] for each output column of {@link quantizedLinear}'s int8 weight, int32 [out]: the zero-point correction of asymmetric activations. */
  quantizedColumnSums(b: GraphBuilder, module: string, inFeatures: number, outFeatures: number): string {
    return this.#add(b, `${module}.weight.T.int8.column_sums`, DataType.INT32, [{name: `${module}.weight`, shape: [outFeatures, inFeatures]}], [outFeatures], ([w]) => {
      const q = quantizeColumns(w!, outFeatures, inFeatures)
      const sums = new Int32Array(outFeatures)
      for (let i = 0; i < inFeatures; i++) for (let o = 0; o < outFeatures; o++) sums[o]! += q[i * outFeatures + o]!
      return new Uint8Array(sums.buffer)
    })
  }

  /**
   * An initializer computed from checkpoint tensors. `compute` runs when the writer reaches
   * it and gets the sources as float32, in order; its result is stored in this precision.
   * `initName` identifies the result: asking again for the same name returns the first one.
   */
  derived(b: GraphBuilder, initName: string, sources: readonly Source[], dims: readonly number[], compute: (data: Float32Array[]) => Float32Array): string {
    const half = this.precision === 'float16'
    return this.#add(b, initName, this.dataType, sources, dims, (data) => {
      const values = compute(data)
      return half ? bytesOf(toFloat16Array(values)) : bytesOf(values)
    })
  }

  #add(b: GraphBuilder, initName: string, dataType: DataType, sources: readonly Source[], dims: readonly number[], encode: (data: Float32Array[]) => Uint8Array): string {
    if (this.#added.has(initName)) return initName
    this.#added.add(initName)
    const resolved: string[] = []
    for (const source of sources) {
      const name = this.resolve(source.name)
      if (name === undefined) {
        this.#problems.push(`missing tensor "${source.name}"`)
        continue
      }
      const actual = this.#store.info(name)!.shape
      if (!sameShape(actual, source.shape)) this.#problems.push(`tensor "${name}" has shape [${actual.join(', ')}]; the config says [${source.shape.join(', ')}]`)
      resolved.push(name)
    }
    const store = this.#store
    return b.initializer(initName, dataType, dims, async () => {
      const data: Float32Array[] = []
      for (const name of resolved) data.push(await store.readFloat32(name))
      return encode(data)
    })
  }

  /** Throws one error listing every missing or misshapen tensor seen so far. */
  check(where: string): void {
    if (this.#problems.length === 0) return
    const prefixes = encoderPrefixes(this.#store)
    const hint = prefixes.length > 0 ? `The checkpoint's encoder names start with ${prefixes.map((p) => JSON.stringify(p)).join(' or ')}; set the prefix to match.` : 'The checkpoint has no "embeddings.word_embeddings.weight": is it a BERT, RoBERTa or ALBERT encoder?'
    throw usageError(`${where}: the checkpoint does not fit the model:\n  ${this.#problems.join('\n  ')}`, hint)
  }
}

/** The prefixes under which `store` holds a BERT-style encoder ('' , 'roberta.', 'base_model.', ...). */
export function encoderPrefixes(store: TensorStore): string[] {
  const marker = 'embeddings.word_embeddings.weight'
  return store.names().filter((n) => n.endsWith(marker)).map((n) => n.slice(0, -marker.length))
}

/** max |w| / 127 for each row of an nn.Linear weight [out, in], i.e. each output column of W^T. */
function columnScales(weight: Float32Array, outFeatures: number, inFeatures: number): Float32Array {
  const scales = new Float32Array(outFeatures)
  for (let o = 0; o < outFeatures; o++) {
    let max = 0
    for (let i = 0; i < inFeatures; i++) max = Math.max(max, Math.abs(weight[o * inFeatures + i]!))
    scales[o] = max / 127
  }
  return scales
}

/** An nn.Linear weight [out, in] as int8 W^T [in, out], symmetric per output column (scale {@link columnScales}). */
function quantizeColumns(w: Float32Array, outFeatures: number, inFeatures: number): Int8Array {
  const scales = columnScales(w, outFeatures, inFeatures)
  const out = new Int8Array(inFeatures * outFeatures)
  for (let o = 0; o < outFeatures; o++) {
    for (let i = 0; i < inFeatures; i++) out[i * outFeatures + o] = scales[o] === 0 ? 0 : Math.max(-127, Math.min(127, Math.round(w[o * inFeatures + i]! / scales[o]!)))
  }
  return out
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i])
}

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c]!
  return out
}

function concatArrays(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const part of parts) {
    out.set(part, at)
    at += part.length
  }
  return out
}

function bytesOf(values: Float32Array | Uint16Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength)
}
