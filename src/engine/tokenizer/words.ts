/**
 * Whitespace words, the unit token-level metrics report on. A word is a maximal run of
 * non-space characters where "space" is what Python's `str.isspace` accepts, so word
 * counts match the reference implementations' `text.split()` (AlignScore's chunking, CTC's
 * words). That set is Unicode White_Space plus U+001C..U+001F; unlike JavaScript's `\s` it
 * includes U+0085 and excludes U+FEFF.
 */

const PY_SPACE_CLASS = String.raw`\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`
const PY_WORD = new RegExp(String.raw`[^${PY_SPACE_CLASS}]+`, 'gu')
const PY_SPACE_ONLY = new RegExp(String.raw`^[${PY_SPACE_CLASS}]*$`, 'u')
const PY_LEADING_SPACE = new RegExp(String.raw`^[${PY_SPACE_CLASS}]*`, 'u')

/** The words of `text`, as Python's `text.split()` returns them. */
export function splitWords(text: string): string[] {
  return text.match(PY_WORD) ?? []
}

/** True when `text` is empty or only space characters (Python's `str.isspace` set). */
export function isSpaceOnly(text: string): boolean {
  return PY_SPACE_ONLY.test(text)
}

/** Length (UTF-16 units) of the space characters that `text` starts with. */
export function leadingSpaceLength(text: string): number {
  return PY_LEADING_SPACE.exec(text)![0].length
}

export interface WordPieces {
  words: string[]
  /**
   * `text` cut just after each word: piece i is the whitespace before word i and word i
   * itself; a last extra piece holds trailing whitespace, if any. Joined, they are `text`.
   */
  pieces: string[]
}

/**
 * Cuts text into one piece per word, each with the whitespace in front of it. Tokenizers
 * whose pre-tokenizer splits at whitespace (BERT's, GPT-2's byte-level pattern) encode the
 * pieces one by one to the same tokens as the whole text, which tells which word each token
 * belongs to (word-map.ts checks that this holds).
 */
export function cutAtWords(text: string): WordPieces {
  const words: string[] = []
  const pieces: string[] = []
  let start = 0
  for (const match of text.matchAll(PY_WORD)) {
    const end = match.index + match[0].length
    words.push(match[0])
    pieces.push(text.slice(start, end))
    start = end
  }
  if (start < text.length) pieces.push(text.slice(start))
  return {words, pieces}
}
