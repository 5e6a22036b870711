import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {normalizeAnswer} from '../../../metrics/honesty/normalize.js'
import {FIXTURES} from '../../helpers/cli.js'

test('normalisation: underscores, case, punctuation and articles become single spaces', () => {
  assert.equal(normalizeAnswer("The_Beatles'"), 'beatles')
  assert.equal(normalizeAnswer('an apple a day'), 'apple day')
  assert.equal(normalizeAnswer('deep-blue'), 'deep blue')
  assert.equal(normalizeAnswer('Ludwig van Beethoven\u2019s 9th'), 'ludwig van beethoven s 9th')
  // Curly double quotes and dashes are not in the reference's punctuation set.
  assert.equal(normalizeAnswer('U.S.A. \u2014 the \u201cBig\u201d one'), 'u s \u2014 \u201cbig\u201d one')
  // Articles only as whole words.
  assert.equal(normalizeAnswer('theatre and anthem'), 'theatre and anthem')
  assert.equal(normalizeAnswer('The'), '')
})

test('normalisation follows Python\'s Unicode word and whitespace rules', () => {
  // "é" is a word character for Python's \b, so "éthe" keeps its "the" (JavaScript's \b would not).
  assert.equal(normalizeAnswer('\u00e9the caf\u00e9 the'), '\u00e9the caf\u00e9')
  // U+0085 separates words for str.split(); U+FEFF does not.
  assert.equal(normalizeAnswer('the\u0085end'), 'end')
  assert.equal(normalizeAnswer('a\ufeffthe'), '\ufeff')
})

test('normalisation agrees with the Python re-implementation on every recorded case', () => {
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'honesty/expected.json'), 'utf8')) as {normalization: Array<[string, string]>}
  assert.ok(expected.normalization.length > 20)
  for (const [text, normalized] of expected.normalization) assert.equal(normalizeAnswer(text), normalized, JSON.stringify(text))
})
