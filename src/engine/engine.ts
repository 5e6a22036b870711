import {performance} from 'node:perf_hooks'

import {runtimeError, usageError} from '../kernel/errors.js'
import type {LoadedModel, MetricEngine, ModelInfo, RequestOutputs, RunOptions, TextRequest} from '../kernel/interfaces/index.js'
import {packQuantization, type ModelPack} from '../models/pack.js'
import {planBatches} from './batching.js'
import {checkPackGraph} from './graph-check.js'
import {EnginePool, type PoolOptions} from './pool.js'
import {ProviderLoadError} from './probe.js'
import type {RunResult, TensorPayload} from './protocol.js'
import {providerHint, providerOrder, type Device, type ProviderChoice} from './providers.js'
import {loadTokenizer, type Encoding, type TextTokenizer} from './tokenizer/index.js'

export interface EngineOptions extends PoolOptions {
  /** `--device`; default `auto`. */
  device?: Device
  /** Most requests in one batch; default 64. */
  batchSize?: number
  /** Most tokens one batch computes, padding included; default 8192. */
  maxTokens?: number
  /** Finds (and if need be fetches) a pack by cache name or folder. */
  resolvePack: (ref: string) => Promise<ModelPack>
}

export const DEFAULT_BATCH_SIZE = 64
export const DEFAULT_MAX_TOKENS = 8192

/** What a run used, for report.json's `model` and `device`. */
export interface EngineUsage {
  model?: Record<string, unknown>
  device?: Record<string, unknown>
}

/** Where a model's time went, and how much of the computed tokens were padding. */
export interface ModelStats {
  requests: number
  batches: number
  /** Real tokens, and tokens computed (batch size × its longest member, summed). */
  tokens: number
  computedTokens: number
  tokenizeSeconds: number
  /** Seconds ONNX Runtime spent in `run`, summed over batches (measured in the workers). */
  runtimeSeconds: number
}

/**
 * The engine a metric talks to: loads packs once (tokenizer here, sessions in the workers),
 * tokenizes, packs requests into length-sorted batches, runs them on the pool with a few in
 * flight, and hands back each request's outputs in request order.
 */
export class Engine implements MetricEngine {
  readonly #options: EngineOptions
  readonly #models = new Map<string, Promise<PackModel>>()
  #pool: EnginePool | undefined
  #choice: ProviderChoice | undefined

  constructor(options: EngineOptions) {
    this.#options = options
  }

  load(ref: string): Promise<LoadedModel> {
    let model = this.#models.get(ref)
    if (model === undefined) {
      model = this.#open(ref)
      this.#models.set(ref, model)
      model.catch(() => this.#models.delete(ref))
    }
    return model
  }

  /** The models loaded and the provider that ran them. */
  async usage(): Promise<EngineUsage> {
    const models = await Promise.all([...this.#models.values()].map((m) => m.catch(() => undefined)))
    const loaded = models.filter((m) => m !== undefined)
    if (loaded.length === 0) return {}
    const pool = this.#pool!
    const describe = (m: PackModel) => ({...describeModel(m.info), stats: m.stats()})
    return {
      model: loaded.length === 1 ? describe(loaded[0]!) : {packs: loaded.map(describe)},
      device: {provider: this.#choice?.provider ?? 'unknown', fallbacks: this.#choice?.fallbacks ?? [], workers: pool.workers, threads: pool.threads, runtime: pool.runtime},
    }
  }

  async close(): Promise<void> {
    await this.#pool?.destroy()
    this.#pool = undefined
  }

  async #open(ref: string): Promise<PackModel> {
    const pack = await this.#options.resolvePack(ref)
    this.#pool ??= new EnginePool(this.#options)
    const device = this.#options.device ?? 'auto'
    const providers = providerOrder(device)
    let probe
    try {
      probe = await checkPackGraph(this.#pool, pack, providers)
    } catch (error) {
      // An explicitly requested provider that cannot load: say what is missing and how to get it.
      if (error instanceof ProviderLoadError && device !== 'auto') {
        const reasons = error.fallbacks.map((f) => f.reason).join('; ')
        throw usageError(`--device ${device}: ONNX Runtime cannot use it here (${reasons}).`, providerHint(device))
      }
      throw error
    }
    this.#choice = probe.choice
    // Parsed once per engine and reused for every request.
    const tokenizer = loadTokenizer(pack.tokenizer)
    // The same provider list as the probe, so runs reuse the session the probe created.
    return new PackModel(pack, tokenizer, this.#pool, {providers, batchSize: this.#options.batchSize ?? DEFAULT_BATCH_SIZE, maxTokens: this.#options.maxTokens ?? DEFAULT_MAX_TOKENS})
  }
}

interface PackModelOptions {
  providers: ReturnType<typeof providerOrder>
  batchSize: number
  maxTokens: number
}

class PackModel implements LoadedModel {
  readonly info: ModelInfo
  readonly #pack: ModelPack
  readonly #tokenizer: TextTokenizer
  readonly #pool: EnginePool
  readonly #options: PackModelOptions
  readonly #typeIds: boolean
  /** Outputs the manifest declares without a batch axis (a head's bias): every request gets them whole. */
  readonly #unbatched: ReadonlySet<string>
  readonly #stats: ModelStats = {requests: 0, batches: 0, tokens: 0, computedTokens: 0, tokenizeSeconds: 0, runtimeSeconds: 0}

  constructor(pack: ModelPack, tokenizer: TextTokenizer, pool: EnginePool, options: PackModelOptions) {
    this.#pack = pack
    this.#tokenizer = tokenizer
    this.#pool = pool
    this.#options = options
    this.#typeIds = pack.manifest.inputs.some((i) => i.name === 'token_type_ids')
    this.#unbatched = new Set(pack.manifest.outputs.filter((o) => o.dims[0] !== 'batch').map((o) => o.name))
    const m = pack.manifest
    const graph = m.files.find((f) => f.path === 'model.onnx')
    const quantization = packQuantization(m)
    this.info = {name: m.name, dir: pack.dir, task: m.task, precision: m.precision, ...(quantization === undefined ? {} : {quantization}), maxLength: m.maxLength, outputs: m.outputs.map((o) => o.name), ...(graph === undefined ? {} : {sha256: graph.sha256})}
  }

  stats(): ModelStats {
    const s = this.#stats
    const round = (x: number) => Math.round(x * 1000) / 1000
    return {...s, tokenizeSeconds: round(s.tokenizeSeconds), runtimeSeconds: round(s.runtimeSeconds)}
  }

  fits(request: TextRequest): boolean {
    return this.#encode(request).truncation.outcome !== 'cannot-fit'
  }

  async run(requests: readonly TextRequest[], options: RunOptions): Promise<RequestOutputs[]> {
    const tokenizeStarted = performance.now()
    const encodings = requests.map((request, i) => {
      const encoding = this.#encode(request)
      if (encoding.truncation.outcome === 'cannot-fit') {
        throw runtimeError(`Request ${i} cannot be cut to ${this.info.maxLength} tokens with ${request.truncation} (${encoding.truncation.reason}).`, {suggestions: ['Use longest_first truncation for such inputs.']})
      }
      return encoding
    })
    const batches = planBatches(
      encodings.map((e) => e.ids.length),
      {batchSize: this.#options.batchSize, maxTokens: this.#options.maxTokens},
    )
    this.#stats.tokenizeSeconds += (performance.now() - tokenizeStarted) / 1000
    this.#stats.requests += requests.length
    this.#stats.batches += batches.length
    const results: RequestOutputs[] = new Array(requests.length)
    // A few batches in flight keep every worker busy while the main thread pads the next.
    const inFlight = this.#pool.workers + 1
    let next = 0
    const work = async () => {
      while (next < batches.length) {
        options.signal?.throwIfAborted()
        const batch = batches[next++]!
        const outputs = await this.#runBatch(batch.map((i) => encodings[i]!), options.outputs, options.signal)
        batch.forEach((request, row) => (results[request] = outputs[row]!))
        options.onProgress?.(batch.length)
      }
    }
    await Promise.all(Array.from({length: Math.min(inFlight, batches.length)}, work))
    return results
  }

  #encode(request: TextRequest): Encoding {
    const options = {maxLength: this.info.maxLength, strategy: request.truncation}
    return request.second === undefined ? this.#tokenizer.encode(request.first, options) : this.#tokenizer.encodePair(request.first, request.second, options)
  }

  async #runBatch(encodings: Encoding[], outputs: readonly string[], signal: AbortSignal | undefined): Promise<RequestOutputs[]> {
    const padded = this.#tokenizer.pad(encodings, {typeIds: this.#typeIds})
    const dims = [...padded.dims]
    const feeds: Record<string, TensorPayload> = {
      input_ids: {type: 'int64', dims, data: padded.inputIds},
      attention_mask: {type: 'int64', dims, data: padded.attentionMask},
    }
    if (padded.tokenTypeIds !== undefined) feeds['token_type_ids'] = {type: 'int64', dims, data: padded.tokenTypeIds}
    const label = `a batch of ${encodings.length} requests of up to ${dims[1]} tokens`
    const result = await this.#pool.run<RunResult>({session: {model: this.#pack.model, providers: this.#options.providers, threads: this.#pool.threads}, feeds, fetches: [...outputs]}, label, signal)
    this.#stats.runtimeSeconds += result.seconds
    this.#stats.tokens += padded.lengths.reduce((sum, n) => sum + n, 0)
    this.#stats.computedTokens += dims[0]! * dims[1]!
    return encodings.map((_, row) => {
      const own: RequestOutputs = {}
      for (const name of outputs) {
        const output = result.outputs[name]!
        own[name] = this.#unbatched.has(name) ? (output.data as Float32Array).slice() : sliceRow(output, row, padded.lengths[row]!, dims[1]!)
      }
      return own
    })
  }
}

/**
 * One request's part of a batch output. Outputs with a sequence axis ([batch, sequence, ...])
 * keep only the request's real tokens, so padding never reaches a metric.
 */
function sliceRow(output: TensorPayload, row: number, length: number, width: number): Float32Array {
  const data = output.data as Float32Array
  const [batch, second] = output.dims
  const perRow = data.length / batch!
  const start = row * perRow
  if (output.dims.length >= 3 && second === width) {
    const perToken = perRow / width
    return data.slice(start, start + length * perToken)
  }
  return data.slice(start, start + perRow)
}

function describeModel(info: ModelInfo): Record<string, unknown> {
  return {name: info.name, dir: info.dir, task: info.task, precision: info.precision, ...(info.quantization === undefined ? {} : {quantization: info.quantization}), maxLength: info.maxLength, ...(info.sha256 === undefined ? {} : {sha256: info.sha256})}
}
