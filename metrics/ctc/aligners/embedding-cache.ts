/**
 * Token embeddings of texts already encoded in this run, so that a document shared by many
 * rows (SummEval: 16 summaries per document) is encoded once. Bounded by bytes, least
 * recently used out first.
 */
export interface Embedding {
  /** Token ids, special tokens included. */
  ids: number[]
  /** L2-normalised hidden states, `ids.length × hidden`, row-major. */
  vectors: Float32Array
  hidden: number
}

export const DEFAULT_CACHE_BYTES = 512 * 1024 * 1024

export class EmbeddingCache {
  readonly #entries = new Map<string, Embedding>()
  readonly #limit: number
  #bytes = 0
  hits = 0
  misses = 0

  constructor(limitBytes = DEFAULT_CACHE_BYTES) {
    this.#limit = limitBytes
  }

  get(text: string): Embedding | undefined {
    const entry = this.#entries.get(text)
    if (entry === undefined) return undefined
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.#entries.delete(text)
    this.#entries.set(text, entry)
    return entry
  }

  set(text: string, embedding: Embedding): void {
    const old = this.#entries.get(text)
    if (old !== undefined) {
      this.#bytes -= sizeOf(text, old)
      this.#entries.delete(text)
    }
    this.#entries.set(text, embedding)
    this.#bytes += sizeOf(text, embedding)
    for (const [key, entry] of this.#entries) {
      if (this.#bytes <= this.#limit || this.#entries.size === 1) break
      this.#entries.delete(key)
      this.#bytes -= sizeOf(key, entry)
    }
  }

  get size(): number {
    return this.#entries.size
  }
}

function sizeOf(text: string, embedding: Embedding): number {
  return embedding.vectors.byteLength + embedding.ids.length * 8 + text.length * 2
}
