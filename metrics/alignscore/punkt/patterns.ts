import {NON_SPACE, SPACE} from './python-text.js'

/**
 * The regular expressions of NLTK's default (English) `PunktLanguageVars`, rewritten for
 * JavaScript with Python's character classes. Every alternation keeps NLTK's order and
 * laziness, since which branch wins decides the tokens. The global patterns are only used
 * through `matchAll`, which works on a copy, so sharing them carries no `lastIndex` state.
 */

/** Characters that may end a sentence. */
export const SENTENCE_END_CHARS: ReadonlySet<string> = new Set(['.', '?', '!'])

/** Punctuation that can never be part of a word: brackets, quotes, `*:@;` and `?!`. */
const NON_WORD = `[)";}\\]*:@'({[?!]`

/** Multi-character punctuation: dashes `--`, dots `...`, and spaced dots `. . .`. */
const MULTI_CHAR = `(?:-{2,}|\\.{2,}|(?:\\.${SPACE}){2,}\\.)`

/** Characters a word cannot start with. */
const WORD_START = '[^("`{\\[:;&#*@)}\\]\\-,]'

/** What may follow a word: space, the end, punctuation, or a comma that itself ends the word. */
const WORD_END = `(?=${SPACE}|$|${NON_WORD}|${MULTI_CHAR}|,(?=$|${SPACE}|${NON_WORD}|${MULTI_CHAR}))`

/**
 * One word token: multi-character punctuation; or the shortest run of non-space characters
 * (starting with a word-start character) followed by a word end; or else any single
 * non-space character. Periods stay attached to words, so "Dr." can be looked up as an
 * abbreviation.
 */
export const WORD_TOKEN = new RegExp(`${MULTI_CHAR}|(?=${WORD_START})${NON_SPACE}+?${WORD_END}|${NON_SPACE}`, 'gu')

/**
 * A candidate sentence end: `.`, `?` or `!` followed either by non-word punctuation
 * (group 1 only) or by whitespace and the next token (group 2). The context is a lookahead,
 * so every candidate character is its own one-character match and none is skipped.
 */
export const PERIOD_CONTEXT = new RegExp(`[.?!](?=(${NON_WORD}|${SPACE}+(${NON_SPACE}+)))`, 'gu')

/**
 * Closing punctuation at the start of the next sentence that belongs to the previous one:
 * quotes and brackets, shortest first, then whitespace, a `--`, or a line end (Python's
 * multiline `$`, which ends a line at `\n` only).
 */
export const BOUNDARY_REALIGNMENT = new RegExp(`^["')\\]}]+?(?:${SPACE}+|(?=--)|(?=\\n)|$)`, 'u')
