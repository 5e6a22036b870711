import assert from 'node:assert/strict'
import {test} from 'node:test'

import {evaluateGates, parseGate} from '../../src/core/gates.js'

test('gates parse metric, dotted stat and threshold', () => {
  assert.deepEqual(parseGate(' rating-ranking.byAnnotator.h1.consistency=0.5 '), {expr: 'rating-ranking.byAnnotator.h1.consistency=0.5', metric: 'rating-ranking', stat: 'byAnnotator.h1.consistency', threshold: 0.5})
  for (const bad of ['alignscore.mean', 'alignscore=0.5', 'alignscore.mean=high', 'Align.mean=1']) assert.throws(() => parseGate(bad), /is not of the form/)
})

test('a gate passes at or above its threshold, and reads nested stats', () => {
  const summaries = {m: {mean: 0.5, byDataset: {xsum: {rocAuc: 0.7}}}}
  assert.deepEqual(evaluateGates([parseGate('m.mean=0.5'), parseGate('m.mean=0.51'), parseGate('m.byDataset.xsum.rocAuc=0.6')], summaries), [
    {expr: 'm.mean=0.5', value: 0.5, passed: true},
    {expr: 'm.mean=0.51', value: 0.5, passed: false},
    {expr: 'm.byDataset.xsum.rocAuc=0.6', value: 0.7, passed: true},
  ])
  assert.throws(() => evaluateGates([parseGate('m.byDataset=0.1')], summaries), /no number at "byDataset".*\n?/)
  assert.throws(() => evaluateGates([parseGate('m.byDataset=0.1')], summaries), (e: Error & {suggestions: string[]}) => e.suggestions[0] === 'Gate on one of: mean, byDataset.xsum.rocAuc.')
})

test('a gate on a statistic the data leaves undefined says so', () => {
  assert.throws(() => evaluateGates([parseGate('m.rocAuc=0.5')], {m: {rocAuc: null}}), /"rocAuc" of "m" is undefined for this data/)
})
