import assert from 'node:assert/strict'
import {test} from 'node:test'

import {aggregate, chunkContext, chunkOffsets, countWords} from '../../../metrics/alignscore/chunks.js'
import {splitSentences} from '../../../metrics/alignscore/punkt/index.js'

const sentence = (i: number, words: number) => `Sentence ${i} ${'word '.repeat(words - 2).trim()}.`

test('words are counted as Python str.split() counts them', () => {
  assert.equal(countWords('  a  b\tc\nd  '), 4)
  assert.equal(countWords('a\x1cb\x85c'), 3) // Python whitespace that JavaScript's \\s lacks
  assert.equal(countWords('a\ufeffb'), 1) // a BOM is not whitespace in Python
  assert.equal(countWords(''), 0)
})

test('a short context is one chunk of all its sentences', () => {
  const context = 'The cat sat. The dog ran. It rained.'
  assert.deepEqual(chunkContext(context, splitSentences(context)), [context])
})

test('an empty context is one empty chunk', () => {
  assert.deepEqual(chunkContext('', splitSentences('')), [''])
  assert.deepEqual(chunkContext('   ', splitSentences('   ')), [''])
})

test('700+ words make two wanted chunks; sentences are grouped evenly, possibly into more chunks', () => {
  // 9 sentences of 80 words: 720 words → n = 720 // 350 + 1 = 3; per chunk = 9 // 3 = 3.
  const nine = Array.from({length: 9}, (_, i) => sentence(i, 80))
  const context = nine.join(' ')
  assert.equal(countWords(context), 720)
  const chunks = chunkContext(context, nine)
  assert.equal(chunks.length, 3)
  assert.equal(chunks[0], nine.slice(0, 3).join(' '))
  // 10 sentences of 72 words: 720 words → n = 3, per chunk = 3 → 4 chunks, the last one short.
  const ten = Array.from({length: 10}, (_, i) => sentence(i, 72))
  const more = chunkContext(ten.join(' '), ten)
  assert.equal(more.length, 4)
  assert.equal(more[3], ten[9])
  // Fewer sentences than wanted chunks: one sentence per chunk.
  const two = [sentence(0, 400), sentence(1, 400)]
  assert.deepEqual(chunkContext(two.join(' '), two), two)
})

test('max over chunks per sentence, first chunk on ties, then the mean', () => {
  // 3 chunks × 2 sentences, chunk-major.
  const scores = [0.2, 0.9, 0.7, 0.9, 0.7, 0.1]
  const result = aggregate(scores, 3, ['s1', 's2'])
  assert.deepEqual(result.sentences, [
    {text: 's1', score: 0.7, chunk: 1},
    {text: 's2', score: 0.9, chunk: 0},
  ])
  assert.ok(Math.abs(result.score - 0.8) < 1e-12)
})

test('with classes, each sentence carries the three probabilities of the chunk that gave its score', () => {
  // 2 chunks × 2 sentences, chunk-major; sentence 0 is best in chunk 1, sentence 1 in chunk 0.
  const classes = [
    {aligned: 0.2, neutral: 0.5, contradict: 0.3},
    {aligned: 0.9, neutral: 0.05, contradict: 0.05},
    {aligned: 0.7, neutral: 0.1, contradict: 0.2},
    {aligned: 0.1, neutral: 0.1, contradict: 0.8},
  ]
  const result = aggregate(classes.map((c) => c.aligned), 2, ['s0', 's1'], classes)
  assert.deepEqual(result.sentences, [
    {text: 's0', score: 0.7, chunk: 1, classes: classes[2]},
    {text: 's1', score: 0.9, chunk: 0, classes: classes[1]},
  ])
  assert.ok(Math.abs(result.score - 0.8) < 1e-12)
})

test('chunk offsets locate each chunk of chunkContext in the context', () => {
  const nine = Array.from({length: 9}, (_, i) => sentence(i, 80))
  const context = nine.join(' ')
  const sentences = splitSentences(context)
  const offsets = chunkOffsets(context, sentences)!
  assert.deepEqual(offsets.map((o) => context.slice(o.start, o.end)), chunkContext(context, sentences))
  assert.equal(chunkOffsets('abc', ['x']), undefined)
})
