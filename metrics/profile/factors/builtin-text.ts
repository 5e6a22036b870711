import {existsSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {usageError} from '../../../src/kernel/errors.js'
import {loadTokenizer, type TextTokenizer} from '../../../src/engine/tokenizer/index.js'
import type {ProfileParams} from '../types.js'
import type {ExtractContext, ExtractOutcome, FactorExtractor, FactorItem} from './registry.js'
import {fleschReadingEase, overlap, sentenceCount, uniqueTokenDensity, wordCount} from './text.js'

/** An extractor of one factor, named like it, computed from the text alone. */
function textExtractor(id: string, description: string, measure: (item: FactorItem, params: ProfileParams) => number | null, check?: (params: ProfileParams) => void): FactorExtractor {
  return {
    id,
    description,
    names: () => [id],
    ...(check === undefined ? {} : {check}),
    async extract(items: readonly FactorItem[], {params}: ExtractContext): Promise<ExtractOutcome[]> {
      return items.map((item) => {
        const value = measure(item, params)
        return {values: value === null ? {} : {[id]: value}}
      })
    },
  }
}

function tokenizerOf(params: ProfileParams): TextTokenizer {
  if (params.tokenizer === undefined) {
    throw usageError(
      '--param factors=tokens counts tokens, and no tokenizer was given.',
      'Pass --param tokenizer=<path to a tokenizer.json>, such as the one inside a model pack (alignctl models list shows where packs are).',
    )
  }
  // A model pack's folder works too: its tokenizer.json is used.
  const file = existsSync(params.tokenizer) && statSync(params.tokenizer).isDirectory() ? join(params.tokenizer, 'tokenizer.json') : params.tokenizer
  return loadTokenizer(file)
}

export const textExtractors: readonly FactorExtractor[] = [
  textExtractor('words', 'length in whitespace words (Python str.split)', ({response}) => wordCount(response)),
  textExtractor(
    'tokens',
    'length in tokens of --param tokenizer (a tokenizer.json, or a model pack folder), special tokens excluded',
    ({response}, params) => tokenizerOf(params).tokenIds(response).length,
    (params) => void tokenizerOf(params),
  ),
  textExtractor('density', 'unique-token density: distinct lower-cased word tokens / word tokens', ({response}) => uniqueTokenDensity(response)),
  textExtractor('sentences', 'sentence count (ends at . ! ? … followed by space, or a blank line)', ({response}) => sentenceCount(response)),
  textExtractor('readability', 'Flesch Reading Ease (vowel-group syllables); none for a response without words', ({response}) => fleschReadingEase(response)),
  textExtractor('prompt-overlap', 'share of the response\'s distinct word tokens found in the prompt', ({response, row}) => overlap(response, row.prompt)),
  textExtractor('source-overlap', 'share of the response\'s distinct word tokens found in the source; none without a source', ({response, row}) => (row.source === undefined ? null : overlap(response, row.source))),
]
