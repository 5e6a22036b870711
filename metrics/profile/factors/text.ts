import {splitWords} from '../../../src/engine/tokenizer/index.js'

/**
 * Text-only factors of one response (README.md, "Built-in factors"). Each is a plain function
 * of the text; none needs a model.
 */

// Compile once: a word token is a run of letters or digits, with inner apostrophes ("don't").
const WORD_TOKEN = /[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*/gu
const HAS_WORD = /[\p{L}\p{N}]/u
// A word that ends a sentence: its last . ! ? or … followed only by closing quotes or brackets.
const SENTENCE_END = /[.!?\u2026]["'\u201d\u2019)\]]*$/u
const BLANK_LINE = /\n[^\S\n]*\n/u

/** Whitespace words, as Python's `text.split()` counts them. */
export function wordCount(text: string): number {
  return splitWords(text).length
}

/** Lower-cased word tokens (letters and digits; punctuation dropped). */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(WORD_TOKEN) ?? []
}

/** Distinct word tokens / word tokens (type-token ratio); 0 for a text without words. */
export function uniqueTokenDensity(text: string): number {
  const tokens = wordTokens(text)
  return tokens.length === 0 ? 0 : new Set(tokens).size / tokens.length
}

/**
 * The text's sentences: paragraphs (split at blank lines) cut into runs of whitespace words,
 * each run ending at a word that ends in . ! ? or … (then any closing quotes or brackets);
 * runs without a letter or digit are dropped. Words are re-joined by single spaces.
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = []
  for (const paragraph of text.split(BLANK_LINE)) {
    let current: string[] = []
    for (const word of splitWords(paragraph)) {
      current.push(word)
      if (SENTENCE_END.test(word)) {
        sentences.push(current.join(' '))
        current = []
      }
    }
    if (current.length > 0) sentences.push(current.join(' '))
  }
  return sentences.filter((s) => HAS_WORD.test(s))
}

export function sentenceCount(text: string): number {
  return splitSentences(text).length
}

/**
 * Syllables of one word by the vowel-group rule: groups of a, e, i, o, u, y; a final silent
 * "e" is dropped (but not in "-le" after a consonant, as in "table"); at least 1.
 */
export function syllableCount(word: string): number {
  const letters = word.toLowerCase().replace(/[^a-z]/g, '')
  if (letters === '') return 0
  let groups = letters.match(/[aeiouy]+/g)?.length ?? 0
  if (letters.length > 2 && letters.endsWith('e') && !/[^aeiouy]le$/.test(letters) && !/[aeiouy]e$/.test(letters)) groups--
  return Math.max(1, groups)
}

/**
 * Flesch Reading Ease (Flesch 1948): 206.835 − 1.015 · words/sentences − 84.6 · syllables/words,
 * over word tokens that contain a letter; a text with words but no sentence end is one sentence.
 * Undefined (null) for a text without words. Higher is easier to read.
 */
export function fleschReadingEase(text: string): number | null {
  const words = wordTokens(text).filter((w) => /\p{L}/u.test(w))
  if (words.length === 0) return null
  const sentences = Math.max(1, sentenceCount(text))
  const syllables = words.reduce((sum, w) => sum + syllableCount(w), 0)
  return 206.835 - 1.015 * (words.length / sentences) - 84.6 * (syllables / words.length)
}

/**
 * Share of the response's distinct word tokens that also occur in `reference` (the prompt or
 * the source): |T(response) ∩ T(reference)| / |T(response)|; 0 for a response without words.
 */
export function overlap(response: string, reference: string): number {
  const own = new Set(wordTokens(response))
  if (own.size === 0) return 0
  const other = new Set(wordTokens(reference))
  let shared = 0
  for (const token of own) if (other.has(token)) shared++
  return shared / own.size
}
