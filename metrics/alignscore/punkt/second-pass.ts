import {collocationKey, type PunktParameters} from './parameters.js'
import {orthoFlags, SEEN_LOWER, sentenceStartEvidence} from './orthography.js'
import {NUMBER_TYPE, type PunktToken} from './token.js'

/**
 * Second pass: revise the first-pass decision on a period-final token from the token after
 * it (which carries only its first-pass annotations at this point, as in NLTK).
 */
export function annotateSecondPass(token: PunktToken, next: PunktToken | undefined, params: PunktParameters): void {
  if (next === undefined || !token.periodFinal) return
  const type = token.typeNoPeriod
  const nextType = next.typeNoSentPeriod
  const isInitial = token.isInitial

  // A known collocation ("S. Bach", "5. Leisure") spans the period: never a break.
  if (params.collocations.has(collocationKey(type, nextType))) {
    token.sentBreak = false
    token.abbreviation = true
    return
  }

  // An abbreviation or ellipsis can still end a sentence when the next word looks like a
  // sentence start, by its spelling or by being a frequent sentence starter.
  if ((token.abbreviation || token.ellipsis) && !isInitial) {
    if (sentenceStartEvidence(next, params) === 'starts') {
      token.sentBreak = true
      return
    }
    if (next.firstUpper && params.sentStarters.has(nextType)) {
      token.sentBreak = true
      return
    }
  }

  // Initials and ordinals ("J.", "5.") are not breaks when the next word continues the
  // sentence, nor when it is unknown but capitalised and never seen lower-case ("J. Bach").
  if (isInitial || type === NUMBER_TYPE) {
    const evidence = sentenceStartEvidence(next, params)
    if (evidence === 'continues') {
      token.sentBreak = false
      token.abbreviation = true
      return
    }
    if (evidence === 'unknown' && isInitial && next.firstUpper && !(orthoFlags(params, nextType) & SEEN_LOWER)) {
      token.sentBreak = false
      token.abbreviation = true
    }
  }
}
