import assert from 'node:assert/strict'
import {test} from 'node:test'

import {aggregate, harmonicMean, rescale} from '../../../metrics/ctc/aggregate.js'

test('mean and sum over the kept tokens; a mean over none is exactly 0', () => {
  assert.equal(aggregate([0.5, 0.25, 1], [true, true, true], 'mean'), 1.75 / 3)
  assert.equal(aggregate([0.5, 0.25, 1], [true, false, true], 'sum'), 1.5)
  assert.equal(aggregate([0.5, 0.25], [false, false], 'mean'), 0)
  assert.equal(aggregate([], [], 'sum'), 0)
})

test('harmonic mean 2ab/(a+b), undefined where a+b is 0; rescale (s-B)/(1-B)', () => {
  assert.equal(harmonicMean(0.5, 0.25), (2 * 0.5 * 0.25) / 0.75)
  assert.equal(harmonicMean(0.5, -0.5), undefined)
  assert.ok(Math.abs(rescale(0.9, 0.8) - 0.5) < 1e-12)
  assert.ok(rescale(0.5, 0.83122575) < 0)
})
