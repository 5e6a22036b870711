import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {PUBLISHED_BASELINES} from '../../../metrics/ctc/baselines.js'
import {isStopword, stopwords} from '../../../metrics/ctc/stopwords.js'
import {FIXTURES, ROOT} from '../../helpers/cli.js'

const settings = (JSON.parse(readFileSync(join(FIXTURES, 'ctc/expected.json'), 'utf8')) as {settings: Record<string, string>}).settings

test('the shipped NLTK lists are the ones the fixtures were made with: 179 words, and 198 with the 2025 additions', () => {
  for (const list of ['179', '198'] as const) {
    const file = readFileSync(join(ROOT, `metrics/ctc/stopwords/english-${list}.txt`))
    assert.equal(createHash('sha256').update(file).digest('hex'), settings[`stopwords${list}Sha256`])
    assert.equal(stopwords(list).size, Number(list))
  }
  const old = stopwords('179')
  assert.ok([...old].every((w) => stopwords('198').has(w)))
})

test('a token is a stopword when, stripped of whitespace only and lower-cased, it is in the list', () => {
  const list = stopwords('179')
  assert.equal(isStopword(' The ', list), true)
  assert.equal(isStopword('\u0120the', list), false)
  assert.equal(isStopword('the,', list), false)
  assert.equal(isStopword('##s', list), false)
  assert.equal(isStopword('s', list), true)
  assert.equal(isStopword("Don't", list), true)
})

test("bert_score's published F baselines for the E models at CTC's layers", () => {
  assert.deepEqual(
    PUBLISHED_BASELINES.map((b) => [b.aligner, b.model, b.layer, b.baseline]),
    [
      ['E-bert', 'bert-base-uncased', 9, 0.35219112],
      ['E-roberta', 'roberta-large', 17, 0.83122575],
      ['E-roberta-mnli', 'roberta-large-mnli', 9, 0.76359564],
    ],
  )
})
