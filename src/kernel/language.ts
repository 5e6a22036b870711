import type {Logger} from './interfaces/index.js'

/**
 * A cheap guess whether a text is not English, for metrics whose rules or models only know
 * English (keyword lists, English stopwords, English-trained models): they warn when many
 * rows look otherwise, instead of scoring other languages silently. Two checks on at most
 * the first {@link SAMPLE} characters, no dictionary:
 * - script: most letters are outside the Latin script (Chinese, Cyrillic, Arabic, ...);
 * - function words: a Latin-script text of at least {@link MIN_WORDS} words in which almost
 *   none is one of English's commonest words (French, German, Spanish, ...). Running English
 *   prose has a quarter or more of its words among them.
 */
const SAMPLE = 2000
const MIN_LETTERS = 3
const MIN_WORDS = 12
/** Share of letters outside the Latin script above which a text is not English. */
const NON_LATIN_SHARE = 0.5
/** Share of common English words below which a long enough Latin-script text is not English. */
const COMMON_SHARE = 0.05

const COMMON_WORDS = new Set([
  'the', 'of', 'and', 'to', 'a', 'in', 'is', 'it', 'that', 'for', 'was', 'on', 'are', 'with', 'as', 'i', 'he', 'she', 'they',
  'be', 'at', 'by', 'this', 'have', 'from', 'or', 'an', 'not', 'but', 'what', 'you', 'we', 'his', 'her', 'which', 'their',
  'has', 'were', 'there', 'been', 'can', 'will', 'do', 'does', 'did', 'no', 'yes', 'so', 'if', 'who', 'how', 'my', 'its', 'me',
])

const LETTER = /\p{L}/u
const LATIN = /\p{Script=Latin}/u
const WORD = /[\p{L}']+/gu

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
  if (words.length < MIN_WORDS) return false
  const common = words.filter((w) => COMMON_WORDS.has(w.replace(/^'+|'+$/g, ''))).length
  return common / words.length < COMMON_SHARE
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
