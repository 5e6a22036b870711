// Parity with reference encodings computed by an independent implementation of the Rust
// tokenizers semantics (scripts/fixtures/tokenizers.py): ids, type ids, sequence ids and
// word ids, untruncated and after truncation with every strategy, side and longest_first rule.
import assert from 'node:assert/strict'
import {test} from 'node:test'

import {type EncodeOptions, type Encoding, type TextTokenizer, loadTokenizer} from '../../../src/engine/tokenizer/index.js'
import {type ExpectedCase, FIXTURE_TOKENIZERS, expected, tokenizerPath} from './fixtures.js'

function encodeCase(tokenizer: TextTokenizer, c: ExpectedCase, options: EncodeOptions): Encoding {
  return c.second === undefined ? tokenizer.encode(c.first, options) : tokenizer.encodePair(c.first, c.second, options)
}

function label(c: ExpectedCase): string {
  return JSON.stringify(c.second === undefined ? c.first : [c.first, c.second])
}

for (const name of FIXTURE_TOKENIZERS) {
  const tokenizer = loadTokenizer(tokenizerPath(name))
  const reference = expected(name)

  test(`${name}: ${reference.cases.length} inputs encode to the reference ids, type ids, sequence ids and word ids`, () => {
    assert.deepEqual(tokenizer.specialTokens, reference.specialTokens)
    assert.equal(tokenizer.padId, reference.padId)
    for (const c of reference.cases) {
      const encoding = encodeCase(tokenizer, c, {wordMap: true})
      const at = label(c)
      assert.deepEqual(encoding.ids, c.encoding.ids, at)
      assert.equal(encoding.typeIds.join(''), c.encoding.typeIds, at)
      assert.deepEqual(encoding.sequenceIds, c.encoding.sequenceIds, at)
      assert.deepEqual(encoding.words?.tokenWords, c.encoding.wordIds, at)
      assert.deepEqual(encoding.words?.texts.map((t) => t.words), c.words, at)
      assert.deepEqual(encoding.truncation, {outcome: 'fits'}, at)
      // Without wordMap the ids are the same (word mapping must not change the encoding).
      assert.deepEqual(encodeCase(tokenizer, c, {}).ids, c.encoding.ids, at)
    }
  })

  const truncations = reference.cases.reduce((n, c) => n + c.truncations.length, 0)
  test(`${name}: ${truncations} truncations match the reference for every strategy, side and rule`, () => {
    for (const c of reference.cases) {
      for (const t of c.truncations) {
        const options: EncodeOptions = {maxLength: t.maxLength, strategy: t.strategy, side: t.side, longestFirstRule: t.rule ?? 'tokenizers', wordMap: true}
        const encoding = encodeCase(tokenizer, c, options)
        const at = `${label(c)} ${JSON.stringify({...t, ids: undefined, typeIds: undefined, wordIds: undefined})}`
        assert.equal(encoding.truncation.outcome, t.outcome, at)
        if (t.outcome === 'cannot-fit') {
          assert.deepEqual(encoding.truncation, {outcome: 'cannot-fit', strategy: t.strategy, reason: t.reason}, at)
          assert.deepEqual(encoding.ids, c.encoding.ids, `${at}: returned uncut`)
          continue
        }
        assert.deepEqual(encoding.ids, t.ids, at)
        assert.ok(encoding.ids.length <= t.maxLength, at)
        assert.equal(encoding.typeIds.join(''), t.typeIds, at)
        assert.deepEqual(encoding.words?.tokenWords, t.wordIds, at)
      }
    }
  })

  test(`${name}: a strategy that cannot fit falls back to longest_first when asked, as AlignScore does`, () => {
    let checked = 0
    for (const c of reference.cases) {
      for (const t of c.truncations.filter((t) => t.outcome === 'cannot-fit')) {
        const longest = c.truncations.find((u) => u.maxLength === t.maxLength && u.side === t.side && u.strategy === 'longest_first' && u.rule === undefined)
        if (!longest) continue
        const encoding = encodeCase(tokenizer, c, {maxLength: t.maxLength, strategy: t.strategy, side: t.side, fallbackToLongestFirst: true})
        assert.deepEqual(encoding.ids, longest.ids, label(c))
        assert.equal(encoding.truncation.outcome, 'truncated')
        if (encoding.truncation.outcome === 'truncated') {
          assert.equal(encoding.truncation.strategy, 'longest_first')
          assert.deepEqual(encoding.truncation.fellBackFrom, {strategy: t.strategy, reason: t.reason})
        }
        checked++
      }
    }
    assert.ok(checked > 10, `only ${checked} fallbacks exercised`)
  })

  test(`${name}: word→token lists agree with token→word ids and cover every word token`, () => {
    for (const c of reference.cases) {
      for (const options of [{}, {maxLength: reference.specialTokens.pair + 5}] as EncodeOptions[]) {
        const encoding = encodeCase(tokenizer, c, {...options, wordMap: true})
        const words = encoding.words!
        words.texts.forEach((text, sequence) => {
          text.tokens.forEach((positions, word) => {
            for (const p of positions) {
              assert.equal(words.tokenWords[p], word)
              assert.equal(encoding.sequenceIds[p], sequence)
            }
          })
        })
        const listed = words.texts.reduce((n, t) => n + t.tokens.reduce((m, p) => m + p.length, 0), 0)
        assert.equal(listed, words.tokenWords.filter((w) => w >= 0).length, label(c))
      }
    }
  })
}
