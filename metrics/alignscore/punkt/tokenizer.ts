import {endCandidates} from './end-candidates.js'
import {annotateFirstPass} from './first-pass.js'
import type {PunktParameters} from './parameters.js'
import {DEFAULT_PUNKT_VERSION, punktPatterns, type PunktPatterns, type PunktVersion} from './patterns.js'
import {rstrip} from './python-text.js'
import {realignBoundaries, type SentenceSpan} from './realign.js'
import {annotateSecondPass} from './second-pass.js'
import {wordTokens} from './words.js'

export interface PunktOptions {
  /** Which NLTK's splitting to follow (README.md, "Which NLTK"); the current one by default. */
  version?: PunktVersion
}

/**
 * Punkt sentence splitting with fixed parameters (inference only), behaving as NLTK's
 * `PunktSentenceTokenizer.tokenize(text)` with `realign_boundaries=True`, in the NLTK
 * version chosen.
 */
export class PunktSentenceTokenizer {
  readonly #params: PunktParameters
  readonly #patterns: PunktPatterns
  readonly version: PunktVersion

  constructor(params: PunktParameters, options: PunktOptions = {}) {
    this.#params = params
    this.version = options.version ?? DEFAULT_PUNKT_VERSION
    this.#patterns = punktPatterns(this.version)
  }

  /** The sentences of `text`, whitespace between them left out. */
  tokenize(text: string): string[] {
    return this.spans(text).map(({start, end}) => text.slice(start, end))
  }

  /** Where the sentences of `text` are, as UTF-16 offsets. */
  spans(text: string): SentenceSpan[] {
    const raw: SentenceSpan[] = []
    let start = 0
    // Only candidate ends are decided, each from its own short context, which keeps the
    // work linear in the text (NLTK's fix for the ReDoS of issue #2866 works the same way).
    for (const candidate of endCandidates(text, this.#patterns)) {
      if (this.containsSentenceBreak(candidate.context)) {
        raw.push({start, end: candidate.index + 1})
        start = candidate.nextStart
      }
    }
    raw.push({start, end: rstrip(text).length})
    return realignBoundaries(text, raw, this.#patterns)
  }

  /** True when some token of `text` other than the last ends a sentence, after both passes. */
  containsSentenceBreak(text: string): boolean {
    const tokens = wordTokens(text, this.#patterns)
    for (const token of tokens) annotateFirstPass(token, this.#params)
    for (let i = 0; i < tokens.length - 1; i++) {
      annotateSecondPass(tokens[i]!, tokens[i + 1], this.#params)
      if (tokens[i]!.sentBreak) return true
    }
    return false
  }
}
