import type {PunktParameters} from './parameters.js'
import {SENTENCE_END_CHARS} from './patterns.js'
import type {PunktToken} from './token.js'

/**
 * First pass: decide from the token alone. A bare `.`, `?` or `!` ends a sentence; a run of
 * periods is an ellipsis; a word ending in one period is an abbreviation when it (or its part
 * after the last hyphen, as in "ex-Gov.") is a known abbreviation, and a sentence end if not.
 */
export function annotateFirstPass(token: PunktToken, params: PunktParameters): void {
  const text = token.text
  if (SENTENCE_END_CHARS.has(text)) {
    token.sentBreak = true
  } else if (token.isEllipsis) {
    token.ellipsis = true
  } else if (token.periodFinal && !text.endsWith('..')) {
    // Looked up on the text (not the type), so "5." is checked as "5", not as a number.
    const stem = text.slice(0, -1).toLowerCase()
    const afterHyphen = stem.slice(stem.lastIndexOf('-') + 1)
    if (params.abbrevTypes.has(stem) || params.abbrevTypes.has(afterHyphen)) token.abbreviation = true
    else token.sentBreak = true
  }
}
