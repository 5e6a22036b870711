import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {Logger} from '../../src/kernel/interfaces/index.js'
import {looksNonEnglish, warnIfNotEnglish} from '../../src/kernel/language.js'

function recorder(): Logger & {warnings: string[]} {
  const warnings: string[] = []
  return {warnings, info: () => {}, debug: () => {}, warn: (m) => warnings.push(m)}
}

test('English passes, short or long; other scripts and Latin-script languages do not', () => {
  assert.equal(looksNonEnglish('Paris.'), false)
  assert.equal(looksNonEnglish('The old lighthouse on the northern cape was built in 1871 and guided ships for almost a century.'), false)
  assert.equal(looksNonEnglish('I apologize, but I\'m not able to provide an answer to the question.'), false)
  // Too little to tell: numbers, a name, punctuation.
  assert.equal(looksNonEnglish('42'), false)
  assert.equal(looksNonEnglish('—'), false)
  assert.equal(looksNonEnglish('Zürich'), false)
  assert.equal(looksNonEnglish('巴黎是法国的首都。'), true)
  assert.equal(looksNonEnglish('Москва — столица России.'), true)
  assert.equal(looksNonEnglish('القاهرة هي عاصمة مصر'), true)
  // English with a few foreign names stays English.
  assert.equal(looksNonEnglish('The capital of China is 北京, which is also called Beijing in the English press.'), false)
  assert.equal(looksNonEnglish('Der alte Leuchtturm am nördlichen Kap wurde 1871 gebaut und führte fast ein Jahrhundert lang Schiffe sicher heim.'), true)
  assert.equal(looksNonEnglish('Le vieux phare du cap nord fut construit en 1871 et guida les navires pendant presque un siècle entier.'), true)
})

test('one warning naming how many rows and which, only when many look non-English', () => {
  const english = Array.from({length: 18}, (_, row) => ({row, texts: ['What is the capital of France?', 'It is Paris.']}))
  const log = recorder()
  assert.equal(warnIfNotEnglish(log, 'm', [...english, {row: 18, texts: ['Quelle est la capitale ?', '巴黎是法国的首都。']}], 'its keywords are English'), 1)
  // 1 of 19 is under a tenth: no warning.
  assert.deepEqual(log.warnings, [])
  const many = [...english, ...Array.from({length: 7}, (_, i) => ({row: 18 + i, texts: ['Столица Франции?', undefined]}))]
  assert.equal(warnIfNotEnglish(log, 'm', many, 'its keywords are English'), 7)
  assert.deepEqual(log.warnings, ['m: 7 of 25 rows look non-English (rows 18, 19, 20, 21, 22, …); m is English-only: its keywords are English. Their scores may mean little.'])
})
