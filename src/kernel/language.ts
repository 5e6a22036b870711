import type {Logger} from './interfaces/index.js'
import {ENGLISH_WORDS, OTHER_LANGUAGES} from './language-profiles.js'

/**
 * A cheap guess whether a text is not English, for metrics whose rules or models only know
 * English (keyword lists, English stopwords, English-trained models): they warn when many
 * rows look otherwise, instead of scoring other languages silently. Three checks on at most
 * the first {@link SAMPLE} characters, no dictionary:
 * - script: most letters are outside the Latin script (Chinese, Cyrillic, Arabic, ...);
 * - function words by language, for short texts too: of at least {@link MIN_PROFILE_WORDS}
 *   words, more are function words of one of French, German, Spanish, Portuguese, Italian,
 *   Dutch or Indonesian than of English, and at least two (language-profiles.ts). A letter
 *   English does not use (é, ñ, ß, ...) adds one when no English function word is there;
 * - English's absence: a Latin-script text of at least {@link MIN_WORDS} words in which almost
 *   none is an English function word (the languages above, and others such as Polish or
 *   Turkish). Running English prose has a quarter or more of its words among them.
 * Texts of one word, numbers and names are too short to tell and pass.
 */
const SAMPLE = 2000
const MIN_LETTERS = 3
const MIN_WORDS = 12
const MIN_PROFILE_WORDS = 2
/** Share of letters outside the Latin script above which a text is not English. */
const NON_LATIN_SHARE = 0.5
/** Share of English function words below which a long enough Latin-script text is not English. */
const COMMON_SHARE = 0.05

const LETTER = /\p{L}/u
const LATIN = /\p{Script=Latin}/u
const WORD = /[\p{L}']+/gu
/** Runs of letters, digits and apostrophes: the words of {@link otherLanguageLeads} before the digit check. */
const TOKEN = /[\p{L}\p{N}']+/gu
const SINGLE_LETTER_WORDS = new Set(['a', 'i', 'y', 'e', 'o', 'é', 'è', 'à'])
/** Letters (and marks) of the languages profiled that English words do not have. */
const FOREIGN_MARK = /[àâäáãåçéèêëíìîïñóòôöõúùûüßœ¿¡]/u

export function looksNonEnglish(text: string): boolean {
  const sample = text.slice(0, SAMPLE)
  let letters = 0
  let latin = 0
  for (const char of sample) {
    if (!LETTER.test(char)) continue
    letters++
    if (LATIN.test(char)) latin++
  }
  if (letters < MIN_LETTERS) return false
  if ((letters - latin) / letters > NON_LATIN_SHARE) return true
  const words = sample.toLowerCase().match(WORD) ?? []
  if (otherLanguageLeads(sample, FOREIGN_MARK.test(sample))) return true
  if (words.length < MIN_WORDS) return false
  const common = words.filter((w) => ENGLISH_WORDS.has(w.replace(/^'+|'+$/g, ''))).length
  return common / words.length < COMMON_SHARE
}

/**
 * Whether one profiled language has more function words in `text` than English, and at least
 * two. Words are runs of letters (a run touching a digit, as in hashes and codes, is no
 * word), split at apostrophes; a one-letter word counts only when an apostrophe split it off
 * (`c'est`, `don't`) or it is one of `a`, `i`, `y`, `e`, `o`, `é`, `è`, `à`, so that `C) or D)` is no French.
 */
function otherLanguageLeads(text: string, marked: boolean): boolean {
  const parts = (text.toLowerCase().match(TOKEN) ?? [])
    .filter((token) => !/\p{N}/u.test(token))
    .flatMap((token) => {
      const pieces = token.split("'").filter((p) => p !== '')
      return pieces.filter((p) => p.length > 1 || pieces.length > 1 || SINGLE_LETTER_WORDS.has(p))
    })
  if (parts.length < MIN_PROFILE_WORDS) return false
  const english = parts.filter((p) => ENGLISH_WORDS.has(p)).length
  let best = 0
  for (const profile of Object.values(OTHER_LANGUAGES)) best = Math.max(best, parts.filter((p) => profile.has(p)).length)
  const evidence = best + (marked && english === 0 ? 1 : 0)
  return evidence >= 2 && evidence > english
}

/** A row's texts to check, by its row number (for the message); the row counts if any text looks non-English. */
export interface RowText {
  row: number
  texts: ReadonlyArray<string | undefined>
}

/** Rows whose share among those checked makes a warning worth it. */
export const NON_ENGLISH_WARN_SHARE = 0.1
/** Row numbers the warning names before it counts the rest. */
const NAMED_ROWS = 5

/**
 * Warns once, through `logger`, when at least {@link NON_ENGLISH_WARN_SHARE} of the rows look
 * non-English, naming how many and the first of them; `what` says which text was checked and
 * why it matters ("responses: the idk keywords are English"). Returns the number that looked
 * non-English.
 */
export function warnIfNotEnglish(logger: Logger, metric: string, rows: Iterable<RowText>, what: string): number {
  return warnIfRowsNotEnglish(logger, metric, (function* () {
    for (const {row, texts} of rows) yield {row, nonEnglish: textsLookNonEnglish(texts)}
  })(), what)
}

/** Whether a row counts as non-English for {@link warnIfNotEnglish}: any of its texts looks so. */
export function textsLookNonEnglish(texts: ReadonlyArray<string | undefined>): boolean {
  return texts.some((t) => typeof t === 'string' && looksNonEnglish(t))
}

/**
 * {@link warnIfNotEnglish} over rows already checked ({@link textsLookNonEnglish} as each row
 * was scored), so a metric's summary keeps a flag per row, not the row's text.
 */
export function warnIfRowsNotEnglish(logger: Logger, metric: string, rows: Iterable<{row: number; nonEnglish: boolean}>, what: string): number {
  let checked = 0
  const flagged: number[] = []
  for (const {row, nonEnglish} of rows) {
    checked++
    if (nonEnglish) flagged.push(row)
  }
  if (flagged.length === 0 || flagged.length < NON_ENGLISH_WARN_SHARE * checked) return flagged.length
  const named = flagged.slice(0, NAMED_ROWS).join(', ') + (flagged.length > NAMED_ROWS ? ', …' : '')
  logger.warn(`${metric}: ${flagged.length} of ${checked} rows look non-English (rows ${named}); ${metric} is English-only: ${what}. Their scores may mean little.`)
  return flagged.length
}
