/**
 * The D aligner (ctc_score/models/discriminative_aligner.py): both texts cleaned, the input
 * cut to half the max length and decoded back, the pair (input, context) encoded with
 * `only_second` truncation, and each whitespace word of the input scored by
 * softmax(W · Σ its sub-token states + b)[0], the probability that it is not hallucinated.
 */
import type {LoadedModel, TextRequest} from '../../../src/kernel/interfaces/index.js'
import type {TextTokenizer} from '../../../src/engine/tokenizer/index.js'
import {cleanUpTokenizationSpaces, EmptyTextError, splitWords, stripSpaces, textClean, type CleantextVersion} from '../text.js'
import {softmax} from '../../../src/kernel/stats/index.js'
import type {AlignOutcome, AlignRequest, Aligner} from './types.js'

export const TOKEN_LOGITS = 'token_logits'
export const TOKEN_LOGITS_BIAS = 'token_logits_bias'
/** GPT-2 byte-level BPE's mark of a token that starts after a space. */
const SPACE_CHAR = '\u0120'

export interface DiscriminativeOptions {
  cleantext: CleantextVersion
  decodeCleanup: boolean
}

/** A D request after the text preparation, ready for the engine. */
export interface DiscriminativePlan {
  words: string[]
  /** For each word, its sub-tokens' positions in the pair encoding (`<s>` is 0). */
  groups: number[][]
  request: TextRequest
}

export class DiscriminativeAligner implements Aligner {
  readonly kind = 'D' as const
  readonly #model: LoadedModel
  readonly #tokenizer: TextTokenizer
  readonly #options: DiscriminativeOptions

  constructor(model: LoadedModel, tokenizer: TextTokenizer, options: DiscriminativeOptions) {
    this.#model = model
    this.#tokenizer = tokenizer
    this.#options = options
  }

  async align(requests: readonly AlignRequest[], signal: AbortSignal): Promise<AlignOutcome[]> {
    const plans = requests.map((r) => this.plan(r))
    const runnable = plans.filter((p): p is DiscriminativePlan => !('error' in p))
    const outputs = runnable.length === 0 ? [] : await this.#model.run(runnable.map((p) => p.request), {outputs: [TOKEN_LOGITS, TOKEN_LOGITS_BIAS], signal})
    let next = 0
    return plans.map((plan) => {
      if ('error' in plan) return plan
      const output = outputs[next++]!
      const logits = output[TOKEN_LOGITS]!
      const bias = output[TOKEN_LOGITS_BIAS]!
      const labels = bias.length
      return {
        tokens: plan.words.map((text, w) => {
          // W · Σ h + b = Σ (W · h) + b: the graph gives W · h per token, the bias once per word.
          const word = Array.from(bias)
          for (const position of plan.groups[w]!) for (let l = 0; l < labels; l++) word[l]! += logits[position * labels + l]!
          return {text, score: softmax(word)[0]!}
        }),
      }
    })
  }

  /** The reference's text preparation and word grouping, or why it returns None (or crashes) for this row. */
  plan(request: AlignRequest): DiscriminativePlan | {error: string} {
    const maxLength = this.#model.info.maxLength
    let input: string
    let context: string
    try {
      input = textClean(request.input, this.#options.cleantext)
    } catch (error) {
      if (error instanceof EmptyTextError) return {error: emptyText(request.inputField)}
      throw error
    }
    try {
      context = textClean(request.context, this.#options.cleantext)
    } catch (error) {
      if (error instanceof EmptyTextError) return {error: emptyText(request.contextField)}
      throw error
    }
    input = this.cutInput(input, maxLength)
    const words = splitWords(input)
    const ids = this.#tokenizer.encode(input).ids
    if (ids.length > maxLength) {
      return {error: `field "${request.inputField}" is ${ids.length} tokens after cleaning, over the model's ${maxLength} (the reference skips it and returns no score).`}
    }
    const groups = groupWords(ids.slice(1, -1).map((id) => this.#tokenizer.idToToken(id)))
    if (groups.length !== words.length) {
      const why = input === '' ? 'it is empty after cleaning' : `its ${words.length} whitespace words split into ${groups.length} BPE word groups (a newline or an unusual space inside the text does that)`
      return {error: `field "${request.inputField}": the D aligner cannot map its tokens to words: ${why}; the reference returns no score for it.`}
    }
    const pair: TextRequest = {first: input, second: context, truncation: 'only_second'}
    if (!this.#model.fits(pair)) return {error: `field "${request.inputField}" leaves no room for ${request.contextField} within ${maxLength} tokens (the reference fails on it).`}
    return {words, groups, request: pair}
  }

  /**
   * The input's first ⌊max/2⌋ ids (`<s>` included) decoded back to text, the special tokens'
   * strings deleted, double spaces made single, spaces stripped.
   */
  cutInput(input: string, maxLength: number): string {
    const ids = this.#tokenizer.encode(input).ids.slice(0, Math.floor(maxLength / 2))
    let text = this.#tokenizer.decode(ids)
    if (this.#options.decodeCleanup) text = cleanUpTokenizationSpaces(text)
    for (const special of ['<s>', '</s>', '<unk>']) text = text.replaceAll(special, '')
    return stripSpaces(text.replaceAll('  ', ' '))
  }
}

/**
 * The reference's `align_bpe_to_words`: a token starting with `Ġ` opens a new group unless the
 * current one is empty; the last group is always closed, so no tokens give one empty group.
 * Positions are 1-based (after `<s>`).
 */
export function groupWords(tokens: readonly string[]): number[][] {
  const groups: number[][] = []
  let current: number[] = []
  tokens.forEach((token, i) => {
    if (token.startsWith(SPACE_CHAR) && current.length > 0) {
      groups.push(current)
      current = [i + 1]
    } else {
      current.push(i + 1)
    }
  })
  groups.push(current)
  return groups
}

function emptyText(field: string): string {
  return `field "${field}" is empty: the D aligner's text cleaning (cleantext) rejects an empty text, as the reference does. Give the row some ${field} text, or leave this aspect out.`
}
