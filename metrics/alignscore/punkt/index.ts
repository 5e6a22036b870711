/**
 * NLTK's Punkt sentence tokenizer (Kiss & Strunk 2006), inference only, with NLTK's English
 * parameters: `splitSentences(text)` returns what `nltk.sent_tokenize(text)` returns, as
 * AlignScore calls it, in NLTK 3.10.3 (the default) or NLTK 3.8. README.md says where the
 * parameters come from, how the versions differ, and how this is tested.
 */
import {englishParameters} from './parameters.js'
import {DEFAULT_PUNKT_VERSION, type PunktVersion} from './patterns.js'
import type {SentenceSpan} from './realign.js'
import {PunktSentenceTokenizer} from './tokenizer.js'

export {englishParameters, parsePunktTab, PunktTabError, readPunktTab, type PunktParameters, type PunktTabFiles} from './parameters.js'
export {DEFAULT_PUNKT_VERSION, isPunktVersion, PUNKT_VERSIONS, type PunktVersion} from './patterns.js'
export {PunktSentenceTokenizer, type PunktOptions} from './tokenizer.js'
export type {SentenceSpan} from './realign.js'

const english = new Map<PunktVersion, PunktSentenceTokenizer>()

function englishTokenizer(version: PunktVersion): PunktSentenceTokenizer {
  let tokenizer = english.get(version)
  if (tokenizer === undefined) {
    tokenizer = new PunktSentenceTokenizer(englishParameters(), {version})
    english.set(version, tokenizer)
  }
  return tokenizer
}

/** The sentences of `text`, as `nltk.sent_tokenize(text)` (language "english") gives them in NLTK `version`. */
export function splitSentences(text: string, version: PunktVersion = DEFAULT_PUNKT_VERSION): string[] {
  return englishTokenizer(version).tokenize(text)
}

/** Where the sentences of `splitSentences(text, version)` are in `text`, as UTF-16 offsets. */
export function sentenceSpans(text: string, version: PunktVersion = DEFAULT_PUNKT_VERSION): SentenceSpan[] {
  return englishTokenizer(version).spans(text)
}
