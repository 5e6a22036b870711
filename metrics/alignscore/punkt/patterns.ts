import {NON_SPACE, SPACE} from './python-text.js'

/**
 * The regular expressions of NLTK's default (English) `PunktLanguageVars`, rewritten for
 * JavaScript with Python's character classes. Every alternation keeps NLTK's order and
 * laziness, since which branch wins decides the tokens. The global patterns are only used
 * through `matchAll`, which works on a copy, so sharing them carries no `lastIndex` state.
 *
 * Two NLTK versions are followed (README.md, "Which NLTK"). They differ in two character
 * classes only: NLTK 3.10.3 adds the curly quotes ‘ ’ “ ” and the guillemets « » to the
 * punctuation that cannot be part of a word and to the closing punctuation that moves back
 * to the sentence before (nltk pull request #3728).
 */

/** The NLTK versions whose splitting is reproduced: the current one first, the default. */
export const PUNKT_VERSIONS = ['3.10.3', '3.8'] as const
export type PunktVersion = (typeof PUNKT_VERSIONS)[number]
export const DEFAULT_PUNKT_VERSION: PunktVersion = '3.10.3'

/** Characters that may end a sentence. */
export const SENTENCE_END_CHARS: ReadonlySet<string> = new Set(['.', '?', '!'])

/** The curly quotes and guillemets NLTK 3.10.3 treats like the ASCII quotes. */
const CURLY_QUOTES = '\\u2018\\u2019\\u201c\\u201d\\u00ab\\u00bb'

/** Multi-character punctuation: dashes `--`, dots `...`, and spaced dots `. . .`. */
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${SPACE}){2,}\\.)`

/** Characters a word cannot start with. */
const WORD_START = '[^("`{\\[:;&#*@)}\\]\\-,]'

/** The compiled patterns of one NLTK version. */
export interface PunktPatterns {
  /**
   * One word token: multi-character punctuation; or the shortest run of non-space characters
   * (starting with a word-start character) followed by a word end; or else any single
   * non-space character. Periods stay attached to words, so "Dr." can be looked up as an
   * abbreviation.
   */
  readonly wordToken: RegExp
  /**
   * A candidate sentence end: `.`, `?` or `!` followed either by non-word punctuation
   * (group 1 only) or by whitespace and the next token (group 2). The context is a lookahead,
   * so every candidate character is its own one-character match and none is skipped.
   */
  readonly periodContext: RegExp
  /**
   * Closing punctuation at the start of the next sentence that belongs to the previous one:
   * quotes and brackets, shortest first, then whitespace, a `--`, or a line end (Python's
   * multiline `$`, which ends a line at `\n` only).
   */
  readonly boundaryRealignment: RegExp
}

function compile(version: PunktVersion): PunktPatterns {
  const quotes = version === '3.8' ? '' : CURLY_QUOTES
  /** Punctuation that can never be part of a word: brackets, quotes, `*:@;` and `?!`. */
  const nonWord = `[)";}\\]*:@'({[${quotes}?!]`
  /** What may follow a word: space, the end, punctuation, or a comma that itself ends the word. */
  const wordEnd = `(?=${SPACE}|$|${nonWord}|${MULTI_CHAR}|,(?=$|${SPACE}|${nonWord}|${MULTI_CHAR}))`
  return {
    wordToken: new RegExp(`${MULTI_CHAR}|(?=${WORD_START})${NON_SPACE}+?${wordEnd}|${NON_SPACE}`, 'gu'),
    periodContext: new RegExp(`[.?!](?=(${nonWord}|${SPACE}+(${NON_SPACE}+)))`, 'gu'),
    boundaryRealignment: new RegExp(`^["')\\]}${quotes}]+?(?:${SPACE}+|(?=--)|(?=\\n)|$)`, 'u'),
  }
}

const compiled = new Map<PunktVersion, PunktPatterns>()

/** The patterns of `version`, compiled once. */
export function punktPatterns(version: PunktVersion): PunktPatterns {
  let patterns = compiled.get(version)
  if (patterns === undefined) {
    patterns = compile(version)
    compiled.set(version, patterns)
  }
  return patterns
}

export function isPunktVersion(value: unknown): value is PunktVersion {
  return (PUNKT_VERSIONS as readonly unknown[]).includes(value)
}
