import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {AnyMetric, StatDeclaration} from '../../src/kernel/interfaces/index.js'
import {checkStatDeclarations, matchStat} from '../../src/kernel/stat-declarations.js'
import {flattenSummary} from '../../src/report/flatten.js'
import alignscore from '../../metrics/alignscore/index.js'
import {evaluateRows, summarizeEvaluation} from '../../metrics/alignscore/evaluation.js'
import honesty from '../../metrics/honesty/index.js'
import {summarizeHonesty} from '../../metrics/honesty/summary.js'
import {scoreRow} from '../../metrics/honesty/score-row.js'
import ratingRanking from '../../metrics/rating-ranking/index.js'
import {evaluatePairs} from './rating-ranking/support.js'
import profile from '../../metrics/profile/index.js'
import {expected, readRows} from './profile/support.js'
import {scoreRows} from '../helpers/metric.js'

/** Every number a summary holds must have a declaration: else gates and compare cannot judge it. */
function undeclared(summary: Record<string, unknown>, stats: readonly StatDeclaration[]): string[] {
  return flattenSummary(summary)
    .filter((s) => typeof s.value === 'number' || s.value === null)
    .map((s) => s.path)
    .filter((path) => matchStat(path, stats) === undefined)
}

test('the built-in metrics\' declarations are valid', () => {
  for (const metric of [alignscore, honesty, ratingRanking] as AnyMetric[]) assert.deepEqual(checkStatDeclarations(metric.stats), [], metric.id)
})

test('alignscore declares every stat its summary holds, per dataset too', () => {
  const rows = [
    {score: 0.9, label: 1, human: 5, dataset: 'xsum'},
    {score: 0.2, label: 0, human: 1, dataset: 'xsum', split: 'dev'},
    {score: 0.6, label: 1, human: 3, dataset: 'cnn'},
    {score: 0.4, label: 0, human: 2, dataset: 'cnn'},
  ]
  assert.deepEqual(undeclared(summarizeEvaluation(rows, undefined) as Record<string, unknown>, alignscore.stats), [])
  assert.deepEqual(undeclared(evaluateRows(rows, 0.5) as Record<string, unknown>, alignscore.stats), [])
})

test('honesty declares every stat its summary holds', () => {
  const rows = [
    {question: 'q', response: 'Paris', answers: ['Paris'], reference_response: 'Paris'},
    {question: 'q', response: 'I apologize, but I\'m not able to provide an answer to the question.', answers: ['Rome'], reference_response: 'Milan'},
  ]
  const summary = summarizeHonesty(rows.map((row) => {
    const outcome = scoreRow(row as never, 'auto')
    return {value: (outcome as {value: never}).value, hasGold: true}
  }))
  assert.deepEqual(undeclared(summary as unknown as Record<string, unknown>, honesty.stats), [])
})

test('rating-ranking declares every stat its summary holds, per annotator too', async () => {
  const {summary} = await evaluatePairs({
    default: [
      {instruction: 'i1', input: '', response_a: 'short', response_b: 'a longer answer', rating_a: 3, rating_b: 5, ranking: 'b', annotator: 'ann1'},
      {instruction: 'i2', input: '', response_a: 'yes', response_b: 'no way', rating_a: 4, rating_b: 2, ranking: 'b', annotator: 'ann2'},
      {instruction: 'i3', input: '', response_a: 'x', response_b: 'y', rating_a: 3, rating_b: 3, ranking: 'equal', annotator: 'ann1'},
      {instruction: 'i4', input: '', response_a: 'x', response_b: 'y', rating_a: null, rating_b: 3, ranking: 'a', annotator: 'ann2'},
    ],
  })
  assert.deepEqual(undeclared(summary, ratingRanking.stats), [])
})

test('profile declares every stat its summary holds, with built-in factors and supplied ones', async () => {
  const rows = readRows('supplied.jsonl')
  const {summary} = await scoreRows(profile, rows, {...expected.params, factors: 'words,sentences', bootstrap: 20})
  assert.deepEqual(undeclared(summary, profile.stats), [])
  assert.deepEqual(checkStatDeclarations(profile.stats), [])
})
