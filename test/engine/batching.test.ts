import assert from 'node:assert/strict'
import {test} from 'node:test'

import {paddingEfficiency, planBatches} from '../../src/engine/batching.js'

test('every request lands in exactly one batch', () => {
  const lengths = Array.from({length: 500}, (_, i) => 5 + ((i * 7919) % 509))
  const batches = planBatches(lengths, {maxTokens: 4096, batchSize: 32})
  assert.deepEqual(batches.flat().sort((a, b) => a - b), lengths.map((_, i) => i))
  for (const batch of batches) {
    assert.ok(batch.length <= 32)
    assert.ok(batch.length * Math.max(...batch.map((i) => lengths[i]!)) <= 4096 || batch.length === 1)
  }
})

test('similar lengths share a batch, so padding stays low', () => {
  const lengths = [10, 500, 12, 480, 11, 490, 9, 505]
  const batches = planBatches(lengths, {batchSize: 4})
  assert.deepEqual(batches, [[7, 1, 5, 3], [2, 4, 0, 6]])
  assert.ok(paddingEfficiency(lengths, batches) > 0.95)
  // The fixed schedule of the reference: input order, padded to 512.
  const fixed = [[0, 1, 2, 3], [4, 5, 6, 7]]
  assert.ok(paddingEfficiency(lengths, fixed, 512) < 0.55)
})

test('batches are cut where padding is least, not filled greedily', () => {
  // Filling batches of 3 in order would pad 300/290 to 512 and 100/90 to 280 (2,376 tokens);
  // the best cut pads nothing but 290→300, 280→300 and 90→100 (1,612 tokens).
  const lengths = [512, 300, 290, 280, 100, 90]
  assert.deepEqual(planBatches(lengths, {batchSize: 3}), [[0], [1, 2, 3], [4, 5]])
})

test('the token budget caps size × longest, and a request longer than the budget goes alone', () => {
  const even = planBatches([100, 100, 100, 100, 100], {maxTokens: 250})
  assert.equal(even.length, 3)
  assert.ok(even.every((b) => b.length <= 2))
  assert.deepEqual(planBatches([600, 10, 10], {maxTokens: 512}), [[0], [1, 2]])
  assert.throws(() => planBatches([1], {}), /set batchSize or maxTokens/)
  assert.throws(() => planBatches([1], {batchSize: 0}), RangeError)
})
