import assert from 'node:assert/strict'
import {test} from 'node:test'

import {fleschReadingEase, overlap, sentenceCount, splitSentences, syllableCount, uniqueTokenDensity, wordCount, wordTokens} from '../../../metrics/profile/factors/text.js'
import {expected} from './support.js'

test('text factors match the independent Python implementation (fixture)', () => {
  const {prompt, source, texts} = expected.text
  for (const want of texts) {
    const label = JSON.stringify(want.text)
    assert.equal(wordCount(want.text), want.words, `${label} words`)
    assert.ok(Math.abs(uniqueTokenDensity(want.text) - want.density) < 1e-12, `${label} density`)
    assert.equal(sentenceCount(want.text), want.sentences, `${label} sentences`)
    const flesch = fleschReadingEase(want.text)
    if (want.readability === null) assert.equal(flesch, null, label)
    else assert.ok(Math.abs(flesch! - want.readability) < 1e-9, `${label} readability ${flesch} vs ${want.readability}`)
    assert.ok(Math.abs(overlap(want.text, prompt) - want.promptOverlap) < 1e-12, `${label} prompt overlap`)
    assert.ok(Math.abs(overlap(want.text, source) - want.sourceOverlap) < 1e-12, `${label} source overlap`)
  }
})

test('hand-checked values', () => {
  assert.equal(wordCount('a  b\u0085c\ufeffd'), 3) // U+0085 splits (Python), U+FEFF does not
  assert.deepEqual(wordTokens("Don't STOP, don't!"), ["don't", 'stop', "don't"])
  assert.equal(uniqueTokenDensity("Don't STOP, don't!"), 2 / 3)
  assert.deepEqual(splitSentences('It rained. "Really?" she asked.\n\nYes'), ['It rained.', '"Really?"', 'she asked.', 'Yes'])
  assert.deepEqual([syllableCount('table'), syllableCount('make'), syllableCount('the'), syllableCount('see'), syllableCount('bicycle'), syllableCount('rhythm')], [2, 1, 1, 1, 3, 1])
  // One sentence of 4 one-syllable words: 206.835 − 1.015·4 − 84.6·1.
  assert.ok(Math.abs(fleschReadingEase('The cat sat down.')! - (206.835 - 1.015 * 4 - 84.6)) < 1e-12)
  assert.equal(overlap('cat dog', 'a dog'), 0.5)
  assert.equal(overlap('', 'a dog'), 0)
})
