/**
 * The Python `str` rules that Punkt's decisions depend on, for JavaScript strings.
 *
 * NLTK compiles its patterns with Python's Unicode semantics, which differ from
 * JavaScript's: Python's `\s` also matches U+001C–U+001F and U+0085 but not U+FEFF, its
 * `\w` has no combining marks, and `[^\W\d]` keeps `_` and the non-decimal numerals (², Ⅻ).
 * The classes below were compared with CPython 3.11 (Unicode 14) over every code point
 * assigned in Unicode 14 and agree on all of them, except six letters whose lowercase
 * property changed in later Unicode versions (README.md, "Differences from NLTK").
 *
 * The strings are regex source fragments meant for patterns compiled with the `u` flag.
 */

/** The characters Python's `str.isspace()` and `re`'s `\s` accept (the same set). */
const WHITESPACE_CHARS = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000'

/** Python `\s`. */
export const SPACE = `[${WHITESPACE_CHARS}]`

/** Python `\S`. */
export const NON_SPACE = `[^${WHITESPACE_CHARS}]`

/** Python `[^\W\d]`: a word character that is not a decimal digit (letters, `_`, other numerals). */
export const LETTER = '[\\p{L}\\p{Nl}\\p{No}_]'

/** Python `\d`: a Unicode decimal digit. */
export const DIGIT = '\\p{Nd}'

// Compile once: these run for every token.
const ONE_SPACE = new RegExp(`^${SPACE}$`, 'u')
const FIRST_UPPER = /^\p{Uppercase}/u
const FIRST_LOWER = /^\p{Lowercase}/u

/** Python `s.rstrip()`. A loop, not /\s+$/, which backtracks quadratically on long inner runs. */
export function rstrip(text: string): string {
  let end = text.length
  // Every whitespace character is in the BMP, so one UTF-16 unit is one character here.
  while (end > 0 && ONE_SPACE.test(text[end - 1]!)) end--
  return text.slice(0, end)
}

/** Python `s[0].isupper()` for a non-empty string (the first code point, not UTF-16 unit). */
export function startsUpper(text: string): boolean {
  return FIRST_UPPER.test(text)
}

/** Python `s[0].islower()` for a non-empty string. */
export function startsLower(text: string): boolean {
  return FIRST_LOWER.test(text)
}

/**
 * Index in `text` of the last ASCII whitespace character (Python's `string.whitespace`,
 * narrower than `\s`) within `[from, to)`, or -1.
 */
export function lastAsciiWhitespace(text: string, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) {
    const c = text.charCodeAt(i)
    if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return i
  }
  return -1
}
