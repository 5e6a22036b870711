import {usageError} from '../../../src/kernel/errors.js'
import type {Logger, MetricEngine} from '../../../src/kernel/interfaces/index.js'
import type {FactorValues, ProfileParams, ProfileRow} from '../types.js'

/** One response to measure, with its pair's row (for the prompt and the source). */
export interface FactorItem {
  row: ProfileRow
  side: 'a' | 'b'
  response: string
}

export interface ExtractContext {
  params: ProfileParams
  logger: Logger
  signal: AbortSignal
  engine?: MetricEngine
  model?: string
}

/**
 * The factor values an extractor found for one response (`llm`: whether an LLM answer came
 * from the cache rather than a request), or why it found none.
 */
export type ExtractOutcome = {values: FactorValues; llm?: {cached: boolean}} | {error: string}

/**
 * A factor extractor (`--param factors=<id>,...`): measures responses and gives, for each, the
 * factors it knows (none where a factor does not apply, such as source overlap without a
 * source). It throws a usage error for params it cannot work with, and returns `{error}`
 * for a response it cannot measure (that row is then an error row).
 */
export interface FactorExtractor {
  id: string
  /** One line for the README and error messages. */
  description: string
  /** The factor names it gives under these params (most give one, named like the extractor). */
  names(params: ProfileParams): string[]
  /** Fails early, before any row is read, when the params cannot work. */
  check?(params: ProfileParams): void
  extract(items: readonly FactorItem[], ctx: ExtractContext): Promise<ExtractOutcome[]>
}

/** The extractors by id: built-ins register here, and so may a plugin that imports this module. */
export class ExtractorRegistry {
  readonly #extractors = new Map<string, FactorExtractor>()

  register(extractor: FactorExtractor): void {
    if (this.#extractors.has(extractor.id)) throw new RangeError(`A factor extractor "${extractor.id}" is already registered.`)
    this.#extractors.set(extractor.id, extractor)
  }

  ids(): string[] {
    return [...this.#extractors.keys()]
  }

  get(id: string): FactorExtractor {
    const extractor = this.#extractors.get(id)
    if (extractor === undefined) {
      throw usageError(`--param factors: unknown factor extractor "${id}".`, `The known ones are: ${this.ids().join(', ')}. Factors of your own go in each row's factors_a and factors_b.`)
    }
    return extractor
  }
}

/** `"a, b"` or `["a", "b,c"]` → `["a", "b", "c"]`: the list params' two spellings. */
export function listParam(value: string | readonly string[]): string[] {
  const items = typeof value === 'string' ? [value] : value
  return items.flatMap((item) => item.split(',')).map((s) => s.trim()).filter((s) => s !== '')
}
