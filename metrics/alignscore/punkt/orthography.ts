import type {PunktParameters} from './parameters.js'
import type {PunktToken} from './token.js'

/**
 * Orthographic context flags: where in a sentence (beginning, middle, unknown) a type was seen
 * in training, capitalised or not. `ortho_context.tab` stores their sum per type.
 */
export const OrthoContext = {
  BEGIN_UPPER: 1 << 1,
  MIDDLE_UPPER: 1 << 2,
  UNKNOWN_UPPER: 1 << 3,
  BEGIN_LOWER: 1 << 4,
  MIDDLE_LOWER: 1 << 5,
  UNKNOWN_LOWER: 1 << 6,
} as const

export const SEEN_UPPER = OrthoContext.BEGIN_UPPER | OrthoContext.MIDDLE_UPPER | OrthoContext.UNKNOWN_UPPER
export const SEEN_LOWER = OrthoContext.BEGIN_LOWER | OrthoContext.MIDDLE_LOWER | OrthoContext.UNKNOWN_LOWER

/** What the spelling of a word says about whether it starts a sentence. */
export type SentenceStartEvidence = 'starts' | 'continues' | 'unknown'

/** Punctuation tokens, which never start a sentence. */
const PUNCTUATION: ReadonlySet<string> = new Set([';', ':', ',', '.', '!', '?'])

/** The flags the training data has for a type; an unseen type has none. */
export function orthoFlags(params: PunktParameters, type: string): number {
  return params.orthoContext.get(type) ?? 0
}

/**
 * The orthographic heuristic (Kiss & Strunk 2006, §4.1.1). A capitalised word starts a
 * sentence if it was seen lower-case and never capitalised mid-sentence; a lower-case word
 * continues one if it was ever seen capitalised or never seen lower-case at a sentence start.
 */
export function sentenceStartEvidence(token: PunktToken, params: PunktParameters): SentenceStartEvidence {
  if (PUNCTUATION.has(token.text)) return 'continues'
  const flags = orthoFlags(params, token.typeNoSentPeriod)
  if (token.firstUpper && flags & SEEN_LOWER && !(flags & OrthoContext.MIDDLE_UPPER)) return 'starts'
  if (token.firstLower && (flags & SEEN_UPPER || !(flags & OrthoContext.BEGIN_LOWER))) return 'continues'
  return 'unknown'
}
