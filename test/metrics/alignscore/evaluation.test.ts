import assert from 'node:assert/strict'
import {test} from 'node:test'

import {evaluateRows, summarizeEvaluation} from '../../../metrics/alignscore/evaluation.js'

test('without labels the summary is the mean and the count', () => {
  assert.deepEqual(evaluateRows([{score: 0.2}, {score: 0.6}], undefined), {n: 2, mean: 0.4})
})

test('labels give ROC AUC and balanced accuracy at 0.5 unless a threshold is given', () => {
  const rows = [
    {score: 0.1, label: 0},
    {score: 0.4, label: 0},
    {score: 0.35, label: 1},
    {score: 0.8, label: 1},
  ]
  const plain = evaluateRows(rows, undefined)
  assert.equal(plain.rocAuc, 0.75)
  assert.equal(plain.threshold, 0.5)
  assert.equal(plain.thresholdSource, 'default')
  assert.equal(plain.balancedAccuracy, 0.75) // 0 and 0 right, 1 of 2 positives
  const given = evaluateRows(rows, 0.3)
  assert.equal(given.balancedAccuracy, 0.75) // 0.4 > 0.3 is now a false positive, 0.35 a hit
  assert.equal(given.thresholdSource, 'param')
})

test('dev rows tune the threshold and stay out of the other statistics', () => {
  const rows = [
    {score: 0.3, label: 0, split: 'dev'},
    {score: 0.32, label: 1, split: 'dev'},
    {score: 0.31, label: 1},
    {score: 0.2, label: 0},
  ]
  const result = evaluateRows(rows, undefined)
  assert.equal(result.thresholdSource, 'dev')
  assert.equal(result.threshold, 0.3) // the smallest t with 0.3 <= t < 0.32
  assert.equal(result.balancedAccuracy, 1)
  assert.equal(result.n, 4)
})

test('graded human scores give correlations; byDataset splits by dataset', () => {
  const rows = [
    {score: 0.1, human: 1, dataset: 'b'},
    {score: 0.5, human: 2, dataset: 'a'},
    {score: 0.4, human: 3, dataset: 'a'},
    {score: 0.9, human: 4, dataset: 'b'},
  ]
  const result = summarizeEvaluation(rows, undefined)
  assert.equal(result.spearman, 0.8)
  assert.equal(Math.round((result.kendall as number) * 1e12) / 1e12, Math.round((4 / 6) * 1e12) / 1e12)
  assert.deepEqual(Object.keys(result.byDataset as object), ['a', 'b'])
  assert.deepEqual((result.byDataset as Record<string, {n: number}>)['a']!.n, 2)
})

test('one class only: ROC AUC is null, not NaN', () => {
  assert.equal(evaluateRows([{score: 0.3, label: 1}, {score: 0.6, label: 1}], undefined).rocAuc, null)
})
