/**
 * The E aligner (ctc_score/models/bert_aligner.py on bert_score 0.3.9): each text encoded
 * alone, hidden states of layer k L2-normalised, cosine matrix with the special tokens of both
 * texts dropped, each input token scored by its best match in the context. idf is off.
 */
import {runtimeError} from '../../../src/kernel/errors.js'
import type {LoadedModel} from '../../../src/kernel/interfaces/index.js'
import type {TextTokenizer} from '../../../src/engine/tokenizer/index.js'
import {cleanUpTokenizationSpaces, pyStrip} from '../text.js'
import {EmbeddingCache, type Embedding} from './embedding-cache.js'
import type {AlignOutcome, AlignRequest, Aligner, TokenScore} from './types.js'

export const HIDDEN_STATES = 'hidden_states'

export interface EmbeddingOptions {
  /** RoBERTa-style byte-level tokenizer: bert_score's GPT-2 branch adds a prefix space. */
  roberta: boolean
  /** bert_score <= 0.3.9 with a RoBERTa tokenizer prepends a space to each stripped text. */
  prefixSpace: boolean
  /** transformers' decode clean-up, on the decoded single tokens (changes their text, never their stopword status). */
  decodeCleanup: boolean
}

export class EmbeddingAligner implements Aligner {
  readonly kind = 'E' as const
  readonly cache: EmbeddingCache
  readonly #model: LoadedModel
  readonly #tokenizer: TextTokenizer
  readonly #options: EmbeddingOptions
  readonly #tokenText = new Map<number, string>()

  constructor(model: LoadedModel, tokenizer: TextTokenizer, options: EmbeddingOptions, cache = new EmbeddingCache()) {
    this.#model = model
    this.#tokenizer = tokenizer
    this.#options = options
    this.cache = cache
  }

  /** bert_score's `sent_encode` input: the stripped text, with RoBERTa's prefix space unless empty. */
  prepare(text: string): string {
    const sent = pyStrip(text)
    return sent !== '' && this.#options.roberta && this.#options.prefixSpace ? ` ${sent}` : sent
  }

  async align(requests: readonly AlignRequest[], signal: AbortSignal): Promise<AlignOutcome[]> {
    const texts = requests.flatMap((r) => [this.prepare(r.input), this.prepare(r.context)])
    const embeddings = await this.embed(texts, signal)
    return requests.map((request, i) => this.#alignOne(request, embeddings.get(texts[2 * i]!)!, embeddings.get(texts[2 * i + 1]!)!))
  }

  /** Embeddings of the prepared texts, each distinct text encoded at most once per run. */
  async embed(texts: readonly string[], signal: AbortSignal): Promise<Map<string, Embedding>> {
    const out = new Map<string, Embedding>()
    const missing: string[] = []
    for (const text of texts) {
      if (out.has(text)) continue
      const cached = this.cache.get(text)
      if (cached === undefined) {
        if (!missing.includes(text)) missing.push(text)
        this.cache.misses++
      } else {
        out.set(text, cached)
        this.cache.hits++
      }
    }
    if (missing.length > 0) {
      const requests = missing.map((first) => ({first, truncation: 'longest_first' as const}))
      const outputs = await this.#model.run(requests, {outputs: [HIDDEN_STATES], signal})
      missing.forEach((text, i) => {
        const ids = this.#tokenizer.encode(text, {maxLength: this.#model.info.maxLength, strategy: 'longest_first'}).ids
        const embedding = normalised(ids, outputs[i]![HIDDEN_STATES]!, this.#model.info.dir)
        this.cache.set(text, embedding)
        out.set(text, embedding)
      })
    }
    return out
  }

  #alignOne(request: AlignRequest, input: Embedding, context: Embedding): AlignOutcome {
    // Specials dropped at both ends, as the reference slices [1:-1] in each direction.
    const n = input.ids.length - 2
    const m = context.ids.length - 2
    if (m <= 0) {
      return {error: `field "${request.contextField}" is empty: the E aligner scores each token of ${request.inputField} by its best match in ${request.contextField}, and there is nothing to match (the reference fails on it). Give the row a non-empty ${request.contextField}.`}
    }
    const best = bestMatches(input.vectors, context.vectors, input.hidden, n, m)
    const tokens: TokenScore[] = []
    for (let i = 1; i <= n; i++) tokens.push({text: this.#decodeToken(input.ids[i]!), score: best[i - 1]!})
    return {tokens}
  }

  /** `tokenizer.decode([id])`, as the reference decodes each token for its stopword test. */
  #decodeToken(id: number): string {
    let text = this.#tokenText.get(id)
    if (text === undefined) {
      text = this.#tokenizer.decode([id])
      if (this.#options.decodeCleanup) text = cleanUpTokenizationSpaces(text)
      this.#tokenText.set(id, text)
    }
    return text
  }
}

/**
 * For input tokens 1..n, the largest dot product with context tokens 1..m (positions 0 and
 * n+1, m+1 are the special tokens). Four context rows per pass over an input row (3× faster
 * than one); each dot product still sums k = 0..h−1 in order, so the result is the same.
 */
export function bestMatches(a: Float32Array, b: Float32Array, h: number, n: number, m: number): Float64Array {
  const best = new Float64Array(n).fill(Number.NEGATIVE_INFINITY)
  for (let i = 1; i <= n; i++) {
    const ai = i * h
    let top = Number.NEGATIVE_INFINITY
    let j = 1
    for (; j + 3 <= m; j += 4) {
      const b0 = j * h
      const b1 = b0 + h
      const b2 = b1 + h
      const b3 = b2 + h
      let d0 = 0
      let d1 = 0
      let d2 = 0
      let d3 = 0
      for (let k = 0; k < h; k++) {
        const x = a[ai + k]!
        d0 += x * b[b0 + k]!
        d1 += x * b[b1 + k]!
        d2 += x * b[b2 + k]!
        d3 += x * b[b3 + k]!
      }
      top = Math.max(top, d0, d1, d2, d3)
    }
    for (; j <= m; j++) {
      const bj = j * h
      let dot = 0
      for (let k = 0; k < h; k++) dot += a[ai + k]! * b[bj + k]!
      top = Math.max(top, dot)
    }
    best[i - 1] = top
  }
  return best
}

/** Each token's hidden state divided by its L2 norm (no epsilon, as the reference). */
function normalised(ids: number[], states: Float32Array, pack: string): Embedding {
  if (ids.length === 0 || states.length % ids.length !== 0) {
    throw runtimeError(`${pack}: the graph returned ${states.length} hidden-state values for ${ids.length} tokens.`, {suggestions: ['Check that the pack was converted with `alignctl models convert --arch ctc-e`.']})
  }
  const hidden = states.length / ids.length
  const vectors = new Float32Array(states.length)
  for (let t = 0; t < ids.length; t++) {
    let norm = 0
    for (let k = 0; k < hidden; k++) norm += states[t * hidden + k]! ** 2
    norm = Math.sqrt(norm)
    for (let k = 0; k < hidden; k++) vectors[t * hidden + k] = states[t * hidden + k]! / norm
  }
  return {ids, vectors, hidden}
}
