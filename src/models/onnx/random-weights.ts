/**
 * A TensorStore of seeded random weights in the HF BERT/RoBERTa layout, for benchmarks and
 * for tests that need a real-sized model without a download. Each tensor is generated on
 * read from the seed and its own name, so values do not depend on read order.
 */
import {createRandom} from '../../kernel/stats/random.js'
import type {TensorInfo, TensorStore} from '../tensors.js'
import type {EncoderConfig} from './encoder-config.js'

export interface RandomWeightsOptions {
  /** Prefix of the encoder's tensor names (default ''). */
  prefix?: string
  /** Linear heads on top, by tensor-name stem: e.g. {tri_layer: 3}. */
  heads?: Record<string, number>
  seed?: number
}

/** RoBERTa-base's config.json, the shape DESIGN.md's speed numbers refer to. */
export const robertaBaseConfig: EncoderConfig = {
  modelType: 'roberta',
  family: 'bert',
  positionScheme: 'padding-offset',
  numLayers: 12,
  hiddenSize: 768,
  embeddingSize: 768,
  numHeads: 12,
  intermediateSize: 3072,
  vocabSize: 50265,
  maxPositions: 514,
  typeVocabSize: 1,
  layerNormEps: 1e-5,
  padTokenId: 1,
  activation: 'gelu',
}

type Init = 'linear-weight' | 'bias' | 'ln-weight' | 'ln-bias' | 'embedding'

export function randomEncoderWeights(config: EncoderConfig, options: RandomWeightsOptions = {}): TensorStore {
  const p = options.prefix ?? ''
  const H = config.hiddenSize
  const tensors = new Map<string, {shape: number[]; init: Init}>()
  const add = (name: string, shape: number[], init: Init): void => void tensors.set(name, {shape, init})
  const linear = (stem: string, inF: number, outF: number): void => {
    add(`${stem}.weight`, [outF, inF], 'linear-weight')
    add(`${stem}.bias`, [outF], 'bias')
  }
  const layerNorm = (stem: string): void => {
    add(`${stem}.weight`, [H], 'ln-weight')
    add(`${stem}.bias`, [H], 'ln-bias')
  }
  add(`${p}embeddings.word_embeddings.weight`, [config.vocabSize, H], 'embedding')
  add(`${p}embeddings.position_embeddings.weight`, [config.maxPositions, H], 'embedding')
  add(`${p}embeddings.token_type_embeddings.weight`, [config.typeVocabSize, H], 'embedding')
  layerNorm(`${p}embeddings.LayerNorm`)
  for (let i = 0; i < config.numLayers; i++) {
    const at = `${p}encoder.layer.${i}`
    for (const part of ['query', 'key', 'value']) linear(`${at}.attention.self.${part}`, H, H)
    linear(`${at}.attention.output.dense`, H, H)
    layerNorm(`${at}.attention.output.LayerNorm`)
    linear(`${at}.intermediate.dense`, H, config.intermediateSize)
    linear(`${at}.output.dense`, config.intermediateSize, H)
    layerNorm(`${at}.output.LayerNorm`)
  }
  linear(`${p}pooler.dense`, H, H)
  for (const [stem, n] of Object.entries(options.heads ?? {})) linear(stem, H, n)

  const seed = options.seed ?? 0
  const generate = (name: string): Float32Array => {
    const entry = tensors.get(name)
    if (!entry) throw new Error(`no tensor ${name}`)
    const random = createRandom((seed ^ hash(name)) >>> 0)
    const out = new Float32Array(entry.shape.reduce((n, d) => n * d, 1))
    // Uniform with the variance of PyTorch's default Linear init, so activations stay in range.
    const scale = entry.init === 'linear-weight' ? 1 / Math.sqrt(entry.shape[1]!) : entry.init === 'embedding' ? 0.1 : 0.02
    const offset = entry.init === 'ln-weight' ? 1 : 0
    for (let i = 0; i < out.length; i++) out[i] = offset + (random.next() * 2 - 1) * scale
    return out
  }
  return {
    names: () => [...tensors.keys()],
    info: (name): TensorInfo | undefined => {
      const entry = tensors.get(name)
      return entry && {name, dtype: 'float32', shape: entry.shape}
    },
    readFloat32: async (name) => generate(name),
    readBytes: async (name) => {
      const data = generate(name)
      return new Uint8Array(data.buffer)
    },
    close: async () => {},
  }
}

/** FNV-1a, to give every tensor its own stream. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}
