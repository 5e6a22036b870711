import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'

import {balancedAccuracy, predictAbove, rocAuc, tuneThreshold} from '../../../src/kernel/stats/index.js'

interface Case {
  name: string
  labels: number[]
  scores: number[]
  rocAuc: number
  balancedAccuracyAtHalf: number
  threshold: number
  balancedAccuracyAtBest: number
}

const cases = JSON.parse(readFileSync(new URL('./sklearn-expected.json', import.meta.url), 'utf8')) as Case[]

for (const c of cases) {
  test(`${c.name}: ROC AUC, balanced accuracy and the tuned threshold match scikit-learn`, () => {
    assert.ok(Math.abs(rocAuc(c.labels, c.scores) - c.rocAuc) < 1e-12)
    assert.ok(Math.abs(balancedAccuracy(c.labels, predictAbove(c.scores, 0.5)) - c.balancedAccuracyAtHalf) < 1e-12)
    const tuned = tuneThreshold(c.labels, c.scores)
    assert.equal(tuned.threshold, c.threshold)
    assert.ok(Math.abs(tuned.balancedAccuracy - c.balancedAccuracyAtBest) < 1e-12)
  })
}

test('hand-checked values and degenerate inputs', () => {
  assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75)
  assert.equal(rocAuc([0, 1], [0.5, 0.5]), 0.5)
  assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])))
  assert.equal(balancedAccuracy([1, 1, 1, 0], [1, 0, 1, 0]), (2 / 3 + 1) / 2)
  // Every threshold separates these equally well from 0.2 up to 0.699; the smallest wins.
  assert.deepEqual(tuneThreshold([0, 1], [0.2, 0.7]), {threshold: 0.2, balancedAccuracy: 1})
})
