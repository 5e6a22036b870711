import {readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {pyStrip} from './text.js'

/**
 * NLTK's English stopword list, as the reference reads it (`stopwords.words('english')`).
 * Which list that is depends on the user's nltk_data: 179 words before February 2025, 198
 * after (nltk_data commit 47111d8). Both ship in `stopwords/`, one word per line.
 */
export type StopwordList = '179' | '198'
export const STOPWORD_LISTS: readonly StopwordList[] = ['179', '198']

const loaded = new Map<StopwordList, ReadonlySet<string>>()

export function stopwords(list: StopwordList): ReadonlySet<string> {
  let words = loaded.get(list)
  if (words === undefined) {
    const file = fileURLToPath(new URL(`stopwords/english-${list}.txt`, import.meta.url))
    words = new Set(readFileSync(file, 'utf8').split('\n').filter((w) => w !== ''))
    loaded.set(list, words)
  }
  return words
}

/**
 * Whether the reference drops a token: `token.strip().lower()` is in the list. Only
 * whitespace is stripped, so `the,` stays and ` The ` goes.
 */
export function isStopword(token: string, list: ReadonlySet<string>): boolean {
  return list.has(pyStrip(token).toLowerCase())
}
