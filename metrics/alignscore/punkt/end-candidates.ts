import type {PunktPatterns} from './patterns.js'
import {lastAsciiWhitespace} from './python-text.js'

/** A `.`, `?` or `!` that may end a sentence, with the text needed to decide. */
export interface EndCandidate {
  /** Index of the candidate character in the text. */
  readonly index: number
  /** Where the next sentence starts if this one ends here: the next token, else right after the character. */
  readonly nextStart: number
  /** The word before, the character, and what follows it (punctuation, or whitespace and the next token). */
  readonly context: string
}

/**
 * Finds the candidate sentence ends of a text. Each candidate character matches on its own,
 * so in "acting!!! I" all three "!" match; a candidate whose preceding word overlaps the
 * next candidate's is dropped, leaving the last character of a run ("acting!!! I").
 *
 * The word before a candidate starts after the last ASCII whitespace since the previous
 * candidate. Like NLTK, whitespace found at offset 0 of that stretch counts as none, and
 * the word then starts where the previous candidate's word did.
 */
export function* endCandidates(text: string, patterns: PunktPatterns): Generator<EndCandidate> {
  let pending: RegExpMatchArray | undefined
  let wordStart = 0
  let wordEnd = 0
  for (const match of text.matchAll(patterns.periodContext)) {
    const index = match.index!
    const lastSpace = lastAsciiWhitespace(text, wordEnd, index)
    const start = lastSpace > wordEnd ? lastSpace + 1 : wordStart
    if (pending !== undefined && wordEnd <= start) yield candidate(text, pending, wordStart, wordEnd)
    pending = match
    wordStart = start
    wordEnd = index
  }
  if (pending !== undefined) yield candidate(text, pending, wordStart, wordEnd)
}

function candidate(text: string, match: RegExpMatchArray, wordStart: number, wordEnd: number): EndCandidate {
  const index = match.index!
  const after = match[1]!
  const nextToken = match[2]
  return {
    index,
    // `after` is whitespace then the next token, so the token starts where the whitespace ends.
    nextStart: nextToken === undefined ? index + 1 : index + 1 + after.length - nextToken.length,
    context: text.slice(wordStart, wordEnd) + match[0] + after,
  }
}
