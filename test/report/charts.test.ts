import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'
import {rocCurve, scoreHistogram, scoreRange} from '../../src/report/charts.js'
import type {ScoreLine} from '../../src/report/report.js'
import type {RowInput} from '../../src/report/row-inputs.js'

const lines = (scores: number[]): ScoreLine[] => scores.map((s, row) => ({row, m: {score: s}}))
const labelled = (labels: Array<0 | 1 | undefined>): Map<number, RowInput> =>
  new Map(labels.flatMap((l, row) => (l === undefined ? [] : [[row, {fields: [], label: String(l), positive: l === 1}] as [number, RowInput]])))
const MEAN: StatDeclaration = {path: 'mean', direction: 'higher', kind: 'quality', meanOf: 'score', range: {min: -1, max: 1}, meaning: 'm'}

test('the histogram spans the declared range of the row-score stat, else [0, 1] or the data', () => {
  assert.deepEqual(scoreRange([MEAN], 0.2, 0.3), {low: -1, high: 1})
  assert.deepEqual(scoreRange([], 0.2, 0.3), {low: 0, high: 1})
  assert.deepEqual(scoreRange([], 2, 7), {low: 2, high: 7})
  // Data outside the declared range (a bad declaration) does not fall off the chart.
  assert.deepEqual(scoreRange([MEAN], -3, 0.5), {low: -3, high: 0.5})
  const h = scoreHistogram('m', lines([0.2, 0.25]), [MEAN])!
  assert.equal(h.labels[0], '-1.00–-0.90')
  assert.equal(h.labels.at(-1), '0.90–1.00')
})

test('rows with labels split the histogram, one stacked series per label and one for the unlabelled', () => {
  const h = scoreHistogram('m', lines([0.1, 0.12, 0.9, 0.95]), [], labelled([0, 0, 1, undefined]))!
  assert.equal(h.stacked, true)
  assert.deepEqual(h.series.map((s) => s.label), ['label 0', 'label 1', 'no label'])
  assert.deepEqual(h.series.map((s) => s.data.reduce((a, b) => a! + b!, 0)), [2, 1, 1])
  assert.equal(h.series[0]!.data[2], 2)
  assert.deepEqual(scoreHistogram('m', lines([0.1]))!.series.map((s) => s.label), ['rows'])
})

test('the ROC curve: its area equals the rank statistic, ties are one diagonal step, and the chance line is drawn', () => {
  // Positives 0.9, 0.6, 0.4; negatives 0.7, 0.4, 0.1: a positive outscores a negative in 3 + 2 + 1.5 = 6.5 of 9 pairs (the tie counts half).
  const roc = rocCurve('m', lines([0.9, 0.6, 0.4, 0.7, 0.4, 0.1]), labelled([1, 1, 1, 0, 0, 0]))!
  assert.match(roc.title, /6 labelled rows, AUC 0\.7222/)
  assert.deepEqual(roc.series[0]!.points, [[0, 0], [0, 1 / 3], [1 / 3, 1 / 3], [1 / 3, 2 / 3], [2 / 3, 1], [1, 1]])
  assert.deepEqual(roc.series[1], {label: 'chance', points: [[0, 0], [1, 1]], color: '#8c959f', dashed: true})
  assert.deepEqual([roc.xRange, roc.yRange], [{min: 0, max: 1}, {min: 0, max: 1}])
  // One class only, or no labels: no curve.
  assert.equal(rocCurve('m', lines([0.9, 0.1]), labelled([1, 1])), undefined)
  assert.equal(rocCurve('m', lines([0.9, 0.1]), undefined), undefined)
})

test('a ROC curve over many rows keeps a bounded number of points, ending at (1, 1)', () => {
  const n = 20_000
  const scores = Array.from({length: n}, (_, i) => i / n)
  const roc = rocCurve('m', lines(scores), labelled(scores.map((_, i) => (i % 3 === 0 ? 1 : 0))))!
  assert.ok(roc.series[0]!.points.length <= 401, String(roc.series[0]!.points.length))
  assert.deepEqual(roc.series[0]!.points.at(-1), [1, 1])
})
