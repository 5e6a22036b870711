/**
 * What a metric sees of the ONNX engine (`ctx.engine`): load a model pack by name or path,
 * then run text pairs through it. Batching, padding, threads and providers are the engine's
 * business; the metric gets one result per request, in request order.
 */

/** How a pair is cut to the model's maximum length (Hugging Face semantics). */
export type Truncation = 'only_first' | 'only_second' | 'longest_first'

export interface TextRequest {
  first: string
  /** The second text of a pair; absent for single texts. */
  second?: string
  truncation: Truncation
}

/** One request's outputs: each requested graph output for this request alone. */
export type RequestOutputs = Record<string, Float32Array>

export interface RunOptions {
  /** Graph outputs to fetch. */
  outputs: readonly string[]
  /** Called with the number of requests finished since the last call. */
  onProgress?: (done: number) => void
  signal?: AbortSignal
}

export interface ModelInfo {
  /** The pack's name (`alignscore-base`) and folder. */
  name: string
  dir: string
  task: string
  precision: string
  /** int8 packs: how weights and activations were quantized (the manifest's `quantization`). */
  quantization?: {weights: string; activations: string}
  maxLength: number
  outputs: readonly string[]
  /** sha256 of the pack's model.onnx, from its manifest: two runs with the same hash ran the same weights. */
  sha256?: string
}

export interface LoadedModel {
  readonly info: ModelInfo
  /** Whether a request fits the maximum length with its truncation strategy (without running it). */
  fits(request: TextRequest): boolean
  run(requests: readonly TextRequest[], options: RunOptions): Promise<RequestOutputs[]>
}

export interface MetricEngine {
  /** A pack by cache name (`alignscore-base`) or folder; pulled first if missing and pullable. */
  load(model: string): Promise<LoadedModel>
}
