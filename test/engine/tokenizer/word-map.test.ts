import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'

import {AlignctlError, ExitCode} from '../../../src/kernel/errors.js'
import {loadTokenizer, parseTokenizer, splitWords} from '../../../src/engine/tokenizer/index.js'
import {tokenizerPath} from './fixtures.js'

const roberta = loadTokenizer(tokenizerPath('roberta-bpe'))
const bert = loadTokenizer(tokenizerPath('bert-wordpiece'))

test("words are Python's str.split(): U+0085 and U+001C..U+001F split, U+FEFF does not", () => {
  assert.deepEqual(splitWords('  a\tb\nc  '), ['a', 'b', 'c'])
  assert.deepEqual(splitWords('a\u0085b\u001cc\u00a0d\u3000e'), ['a', 'b', 'c', 'd', 'e'])
  assert.deepEqual(splitWords('a\ufeffb'), ['a\ufeffb'])
  assert.deepEqual(splitWords(''), [])
})

test('each word lists its tokens; whitespace-only and special tokens belong to no word', () => {
  const encoding = roberta.encode('Hello  world', {wordMap: true})
  // <s> H ell o Ġ Ġwor ld </s>: the extra space is a token of its own.
  assert.deepEqual(encoding.words!.tokenWords, [-1, 0, 0, 0, -1, 1, 1, -1])
  assert.deepEqual(encoding.words!.texts, [{words: ['Hello', 'world'], tokens: [[1, 2, 3], [5, 6]]}])
})

test('word maps follow truncation: cut words keep no tokens, positions index the final ids', () => {
  const maxLength = roberta.specialTokens.pair + roberta.tokenIds('five six').length + 3
  const right = roberta.encodePair('one two three four', 'five six', {maxLength, strategy: 'only_first', wordMap: true})
  const [first, second] = right.words!.texts
  assert.equal(right.truncation.outcome, 'truncated')
  assert.equal(right.ids.length, maxLength)
  assert.ok(first!.tokens.at(-1)!.length === 0, 'the last word of the first text is cut')
  assert.ok(first!.tokens[0]!.length > 0)
  for (const positions of second!.tokens) for (const p of positions) assert.equal(right.sequenceIds[p], 1)

  const left = roberta.encode('one two three four', {maxLength: 4, side: 'left', wordMap: true})
  assert.equal(left.words!.texts[0]!.tokens[0]!.length, 0, 'the first word is cut from the left')
  assert.ok(left.words!.texts[0]!.tokens[3]!.length > 0)
})

test('words that BERT joins across a deleted control character still get their own tokens', () => {
  // BERT's clean_text deletes U+0085, so "nel\x85next" is the one word "nelnext" to it.
  const encoding = bert.encode('nel\u0085next', {wordMap: true})
  assert.deepEqual(encoding.words!.texts[0]!.words, ['nel', 'next'])
  const [nel, next] = encoding.words!.texts[0]!.tokens
  assert.ok(nel!.length > 0 && next!.length > 0)
  assert.deepEqual([...nel!, ...next!], encoding.ids.map((_, i) => i).slice(1, -1))
  assert.deepEqual(encoding.ids, bert.encode('nel\u0085next').ids)
})

test('a token that straddles two joined words goes to the word its first character is in', () => {
  // "th\x85e" is "the" to BERT: one token, starting in the word "th".
  const encoding = bert.encode('th\u0085e tower', {wordMap: true})
  assert.deepEqual(encoding.ids, bert.encode('the tower').ids)
  assert.deepEqual(encoding.words!.texts[0], {words: ['th', 'e', 'tower'], tokens: [[1], [], [2]]})
})

test('a tokenizer that does not split at whitespace cannot map words, and says so', () => {
  const json = JSON.parse(readFileSync(tokenizerPath('bert-wordpiece'), 'utf8')) as Record<string, unknown>
  // No pre-tokenizer: WordPiece sees "the tower" as one (unknown) word, but "the" and " tower" apart.
  const joined = parseTokenizer({...json, pre_tokenizer: null}, 'joined/tokenizer.json')
  assert.doesNotThrow(() => joined.encode('the tower'))
  assert.throws(
    () => joined.encode('the tower', {wordMap: true}),
    (error: unknown) =>
      error instanceof AlignctlError &&
      error.exitCode === ExitCode.runtime &&
      /joined\/tokenizer\.json: cannot map tokens to words: this tokenizer \(pre_tokenizer null\)/.test(error.message) &&
      /encode without wordMap/.test(error.suggestions[0] ?? ''),
  )
})
