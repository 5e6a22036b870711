/**
 * NLTK's Punkt sentence tokenizer (Kiss & Strunk 2006), inference only, with NLTK's English
 * parameters: `splitSentences(text)` returns what `nltk.sent_tokenize(text)` returns, as
 * AlignScore calls it. README.md says where the parameters come from and how this is tested.
 */
import {englishParameters} from './parameters.js'
import type {SentenceSpan} from './realign.js'
import {PunktSentenceTokenizer} from './tokenizer.js'

export {englishParameters, parsePunktTab, PunktTabError, readPunktTab, type PunktParameters, type PunktTabFiles} from './parameters.js'
export {PunktSentenceTokenizer} from './tokenizer.js'
export type {SentenceSpan} from './realign.js'

let english: PunktSentenceTokenizer | undefined

function englishTokenizer(): PunktSentenceTokenizer {
  english ??= new PunktSentenceTokenizer(englishParameters())
  return english
}

/** The sentences of `text`, as `nltk.sent_tokenize(text)` (language "english") gives them. */
export function splitSentences(text: string): string[] {
  return englishTokenizer().tokenize(text)
}

/** Where the sentences of `splitSentences(text)` are in `text`, as UTF-16 offsets. */
export function sentenceSpans(text: string): SentenceSpan[] {
  return englishTokenizer().spans(text)
}
