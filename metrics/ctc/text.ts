/**
 * The text transformations the CTC reference applies before and after tokenizing, each with
 * the library versions that change it (issue 11, item 6). Every function is a pure string
 * transformation, written from the behaviour described in docs/design/ctc-reference.md.
 */
import {splitWords} from '../../src/engine/tokenizer/index.js'

/** The PyPI `cleantext` release a user of the reference has installed. */
export type CleantextVersion = '1.1.3' | '1.1.4'

/** Why the D aligner's `text_clean` cannot clean a text: the reference raises on it. */
export class EmptyTextError extends Error {}

/**
 * `text_clean` of the D aligner (ctc_score/data_utils/data_utils.py `text_clean`): curly
 * quotes to straight ones, newlines protected, then `cleantext.clean(text, lowercase=True,
 * extra_spaces=True)`, newlines restored, stripped. cleantext raises on an empty string
 * (a whitespace-only one passes).
 */
export function textClean(text: string, version: CleantextVersion): string {
  const straight = text.replaceAll('\u201c', '"').replaceAll('\u201d', '"').replaceAll('\u2019', "'").replaceAll('\u2018', "'")
  const protectedText = straight.replaceAll('\n', '<newline>')
  return pyStrip(cleantext(protectedText, version).replaceAll('<newline>', '\n'))
}

/** Python's whitespace (`str.isspace`, and `re`'s `\\s` on str patterns). */
const PY_SPACES = String.raw`\t-\r\x1C-\x20\x85\xA0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000`
const PY_SPACE_RUN = new RegExp(`[${PY_SPACES}]+`, 'gu')

/**
 * `cleantext.clean(text, lowercase=True, extra_spaces=True)` as each PyPI release runs it.
 * 1.1.3 (January 2020 to December 2021, the paper's era): every run of whitespace becomes one
 * space, stripped, `lower()`; an empty text is fine. 1.1.4: giving any option turns
 * `clean_all` off; an empty text raises; double spaces collapse while the stripped text has
 * any (tabs and other spaces survive); `casefold()`.
 */
export function cleantext(text: string, version: CleantextVersion): string {
  if (version === '1.1.3') return pyStrip(pyStrip(text.replace(PY_SPACE_RUN, ' ')).toLowerCase())
  if (text === '') throw new EmptyTextError('cleantext 1.1.4 raises CleanTextEmptyString on an empty text')
  let out = text
  while (pyStrip(out).includes('  ')) out = out.replaceAll('  ', ' ')
  return pyStrip(casefold(out))
}

/**
 * Python's `str.casefold()`: lower case plus the full case folding of a few characters that
 * `toLowerCase` leaves alone (ß → ss and the like).
 */
export function casefold(text: string): string {
  return text.toLowerCase().replace(/[\u00df\u017f\u1e9e\ufb00-\ufb06\u0345\u03c2\u03d0\u03d1\u03d5\u03d6\u03f0\u03f1\u03f5\u1e9b\u1fbe]/gu, (c) => CASEFOLD[c] ?? c)
}

const CASEFOLD: Record<string, string> = {
  '\u00df': 'ss',
  '\u1e9e': 'ss',
  '\u017f': 's',
  '\ufb00': 'ff',
  '\ufb01': 'fi',
  '\ufb02': 'fl',
  '\ufb03': 'ffi',
  '\ufb04': 'ffl',
  '\ufb05': 'st',
  '\ufb06': 'st',
  '\u0345': '\u03b9',
  '\u03c2': '\u03c3',
  '\u03d0': '\u03b2',
  '\u03d1': '\u03b8',
  '\u03d5': '\u03c6',
  '\u03d6': '\u03c0',
  '\u03f0': '\u03ba',
  '\u03f1': '\u03c1',
  '\u03f5': '\u03b5',
  '\u1e9b': '\u1e61',
  '\u1fbe': '\u03b9',
}

/**
 * transformers' `clean_up_tokenization` (applied by `decode` while
 * `clean_up_tokenization_spaces` defaulted to True): spaces before punctuation and
 * English contractions removed, in this order.
 */
export function cleanUpTokenizationSpaces(text: string): string {
  return text
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re")
}

/** Python's `str.strip()` with no argument: Python's whitespace set at both ends. */
export function pyStrip(text: string): string {
  const words = splitWords(text)
  if (words.length === 0) return ''
  const start = text.indexOf(words[0]!)
  let end = text.length
  const last = words.at(-1)!
  end = text.lastIndexOf(last) + last.length
  return text.slice(start, end)
}

/** Python's `str.strip(' ')`: spaces only. */
export function stripSpaces(text: string): string {
  return text.replace(/^ +| +$/g, '')
}

export {splitWords}
