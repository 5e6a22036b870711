import type {PunktPatterns} from './patterns.js'
import {rstrip} from './python-text.js'

/** A sentence as a half-open range of UTF-16 offsets into the text. */
export interface SentenceSpan {
  readonly start: number
  readonly end: number
}

/**
 * Moves closing quotes and brackets (curly quotes and guillemets too, from NLTK 3.10.3) that follow a sentence end from the start of the next
 * sentence to the end of the previous one: `(Sent1.) Sent2.` gives `(Sent1.)` and `Sent2.`,
 * not `(Sent1.` and `) Sent2.`. Empty sentences are dropped.
 */
export function realignBoundaries(text: string, spans: readonly SentenceSpan[], patterns: PunktPatterns): SentenceSpan[] {
  const realigned: SentenceSpan[] = []
  let shift = 0
  for (let i = 0; i < spans.length; i++) {
    const current = {start: spans[i]!.start + shift, end: spans[i]!.end}
    const next = spans[i + 1]
    const closing = next === undefined ? null : patterns.boundaryRealignment.exec(text.slice(next.start, next.end))
    if (next !== undefined && closing !== null) {
      realigned.push({start: current.start, end: next.start + rstrip(closing[0]).length})
      shift = closing[0].length
    } else {
      shift = 0
      if (current.start < Math.min(current.end, text.length)) realigned.push(current)
    }
  }
  return realigned
}
