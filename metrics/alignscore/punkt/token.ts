import {DIGIT, LETTER, startsLower, startsUpper} from './python-text.js'

/** The type every number-like token is folded into, so that "5." and "1,200." look alike. */
export const NUMBER_TYPE = '##number##'

// Compile once: every token is classified with these.
/** A number, optionally signed, with separators, optionally period-final: "-1,200.5.", ".5". */
const NUMERIC = new RegExp(`^-?[.,]?${DIGIT}[${DIGIT},.-]*\\.?$`, 'u')
/** Two or more periods and nothing else (a spaced ". . ." is not matched, on purpose). */
const ELLIPSIS = /^\.\.+$/
/** One letter followed by a period: "J.", "é.". */
const INITIAL = new RegExp(`^${LETTER}\\.$`, 'u')

/**
 * A word token with what the two annotation passes decide about it. The type is the
 * lower-cased text, or {@link NUMBER_TYPE} for numbers (the period of "5." is folded in too).
 */
export class PunktToken {
  readonly text: string
  readonly type: string
  /** Ends with "." (decided on the text, so "5." is period-final although its type is not). */
  readonly periodFinal: boolean
  /** The token ends a sentence. */
  sentBreak = false
  /** The token is an abbreviation (its period does not end a sentence by itself). */
  abbreviation = false
  /** The token is a run of periods. */
  ellipsis = false

  constructor(text: string) {
    this.text = text
    const lower = text.toLowerCase()
    this.type = NUMERIC.test(lower) ? NUMBER_TYPE : lower
    this.periodFinal = text.endsWith('.')
  }

  /** The type without a final period: what abbreviations and collocations are keyed by. */
  get typeNoPeriod(): string {
    return this.type.length > 1 && this.type.endsWith('.') ? this.type.slice(0, -1) : this.type
  }

  /** The type without a final period when that period ends a sentence. */
  get typeNoSentPeriod(): string {
    return this.sentBreak ? this.typeNoPeriod : this.type
  }

  get firstUpper(): boolean {
    return startsUpper(this.text)
  }

  get firstLower(): boolean {
    return startsLower(this.text)
  }

  get isEllipsis(): boolean {
    return ELLIPSIS.test(this.text)
  }

  get isInitial(): boolean {
    return INITIAL.test(this.text)
  }
}
