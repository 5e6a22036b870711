import assert from 'node:assert/strict'
import {test} from 'node:test'

import * as ort from 'onnxruntime-node'

import {loadTokenizer, padBatch} from '../../../src/engine/tokenizer/index.js'
import {tokenizerPath} from './fixtures.js'

const rows = [
  {ids: [0, 5, 6, 2], typeIds: [0, 0, 0, 0]},
  {ids: [0, 7, 2], typeIds: [0, 1, 1]},
  {ids: [], typeIds: []},
]

test('a batch is padded to its longest member, row-major, as int64 with masks', () => {
  const batch = padBatch(rows, {padId: 1, typeIds: true})
  assert.equal(batch.dtype, 'int64')
  assert.deepEqual(batch.dims, [3, 4])
  assert.ok(batch.inputIds instanceof BigInt64Array)
  assert.deepEqual([...batch.inputIds], [0n, 5n, 6n, 2n, 0n, 7n, 2n, 1n, 1n, 1n, 1n, 1n])
  assert.deepEqual([...batch.attentionMask], [1n, 1n, 1n, 1n, 1n, 1n, 1n, 0n, 0n, 0n, 0n, 0n])
  assert.deepEqual([...batch.tokenTypeIds!], [0n, 0n, 0n, 0n, 0n, 1n, 1n, 0n, 0n, 0n, 0n, 0n])
  assert.deepEqual([...batch.lengths], [4, 3, 0])
})

test('padding takes int32, a pad type id, a minimum length, and leaves type ids out unless asked', () => {
  const batch = padBatch(rows.slice(0, 2), {padId: 9, padTypeId: 3, typeIds: true, minLength: 6, dtype: 'int32'})
  assert.ok(batch.inputIds instanceof Int32Array)
  assert.deepEqual(batch.dims, [2, 6])
  assert.deepEqual([...batch.inputIds], [0, 5, 6, 2, 9, 9, 0, 7, 2, 9, 9, 9])
  assert.deepEqual([...batch.tokenTypeIds!], [0, 0, 0, 0, 3, 3, 0, 1, 1, 3, 3, 3])
  assert.equal(padBatch(rows, {padId: 1}).tokenTypeIds, undefined)
  assert.deepEqual(padBatch([], {padId: 1}).dims, [0, 0])
})

test('a tokenizer pads with its own pad id: <pad> for RoBERTa, [PAD] for BERT', () => {
  const roberta = loadTokenizer(tokenizerPath('roberta-bpe'))
  const encodings = [roberta.encodePair('The tower is in Paris.', 'It is.'), roberta.encode('Hi')]
  const batch = roberta.pad(encodings)
  const width = encodings[0]!.ids.length
  assert.deepEqual(batch.dims, [2, width])
  assert.deepEqual([...batch.inputIds.slice(0, width)].map(Number), encodings[0]!.ids)
  assert.deepEqual([...batch.inputIds.slice(width)].map(Number), [...encodings[1]!.ids, ...Array(width - encodings[1]!.ids.length).fill(roberta.padId)])
  assert.equal(roberta.padId, 1)

  const bert = loadTokenizer(tokenizerPath('bert-wordpiece'))
  const bertBatch = bert.pad([bert.encodePair('a', 'the tower'), bert.encode('x')], {typeIds: true, dtype: 'int32'})
  assert.deepEqual([...bertBatch.tokenTypeIds!], [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
  assert.deepEqual([...bertBatch.attentionMask], [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0])
  assert.equal(bertBatch.inputIds[9], bert.padId)
})

test('padded arrays become onnxruntime-node tensors as they are', () => {
  const int64 = padBatch(rows, {padId: 1})
  const tensor = new ort.Tensor('int64', int64.inputIds, int64.dims)
  assert.deepEqual(tensor.dims, [3, 4])
  assert.equal(tensor.data, int64.inputIds)
  const int32 = padBatch(rows, {padId: 1, dtype: 'int32'})
  assert.equal(new ort.Tensor('int32', int32.attentionMask, int32.dims).type, 'int32')
})
