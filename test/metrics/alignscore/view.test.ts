import assert from 'node:assert/strict'
import {test} from 'node:test'

import {chunkContext} from '../../../metrics/alignscore/chunks.js'
import {splitSentences} from '../../../metrics/alignscore/punkt/index.js'
import {alignscoreViews, bestChunkMarks} from '../../../metrics/alignscore/view.js'

const sentence = (i: number, words: number) => `Sentence ${i} ${'word '.repeat(words - 2).trim()}.`
const PARAMS = {punkt: '3.10.3', mode: 'nli_sp'}

test('the best chunk of each claim sentence is marked in the context, with which sentences it served', () => {
  const context = Array.from({length: 9}, (_, i) => sentence(i, 80)).join(' ')
  const chunks = chunkContext(context, splitSentences(context))
  assert.equal(chunks.length, 3)
  const result = {score: 0.5, chunks: 3, sentences: [{text: 'a', score: 0.8, chunk: 2}, {text: 'b', score: 0.2, chunk: 0}, {text: 'c', score: 0.5, chunk: 2}]}
  const marks = bestChunkMarks({context}, result, PARAMS)
  assert.deepEqual(marks.map((m) => context.slice(m.start, m.end)), [chunks[0], chunks[2]])
  assert.deepEqual(marks.map((m) => m.note), ['chunk 1 of 3: the best for claim sentence 2 (0.2000)', 'chunk 3 of 3: the best for claim sentence 1 (0.8000), claim sentence 3 (0.5000)'])
})

test('one chunk, whole-pair modes and errors mark nothing', () => {
  assert.deepEqual(bestChunkMarks({context: 'One. Two.'}, {score: 1, chunks: 1, sentences: [{text: 'x', score: 1, chunk: 0}]}, PARAMS), [])
  assert.deepEqual(bestChunkMarks({context: 'One. Two.'}, {score: 1}, PARAMS), [])
  assert.deepEqual(bestChunkMarks({context: 'One. Two.'}, undefined, PARAMS), [])
})

test('the row table shows the context, claim and label; labels 1/true are positive for the ROC curve, dev rows left out', () => {
  assert.deepEqual(alignscoreViews.rowFields!.map((f) => (typeof f === 'string' ? f : f.field)).slice(0, 3), ['context', 'claim', 'label'])
  const label = alignscoreViews.rowLabel!
  assert.deepEqual([label.field, label.positive], ['label', [1, true]])
  // The curve covers the rows rocAuc does: dev rows only tune the threshold.
  assert.equal(label.covers!({split: 'dev'}), false)
  assert.equal(label.covers!({split: 'test'}), true)
  assert.equal(label.covers!({}), true)
})
