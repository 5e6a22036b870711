import assert from 'node:assert/strict'
import {test} from 'node:test'

import {exactMatch, normalize} from '../src/metric.js'

const logger = {info() {}, warn() {}, debug() {}}
const context = (normalize: 'none' | 'lower' | 'squad') => ({params: {normalize}, logger, signal: new AbortController().signal, rows: [0, 1, 2]})

test('squad normalisation drops case, punctuation and articles', () => {
  assert.equal(normalize('The  Eiffel Tower!', 'squad'), 'eiffel tower')
  assert.equal(normalize('The  Eiffel Tower!', 'lower'), 'the  eiffel tower!')
  assert.equal(normalize('The Eiffel Tower!', 'none'), 'The Eiffel Tower!')
})

test('a prediction matches any one of its references', async () => {
  const outcomes = await exactMatch.score(
    [
      {prediction: 'Paris.', references: ['paris', 'Paris, France']},
      {prediction: 'Lyon', references: ['Paris']},
      {prediction: 'an apple', references: 'Apple'},
    ],
    context('squad'),
  )
  assert.deepEqual(outcomes, [
    {value: {match: true, matched: 'paris'}},
    {value: {match: false, matched: null}},
    {value: {match: true, matched: 'Apple'}},
  ])
})

test('the summary is the share of matches', async () => {
  const input = {prediction: 'x', references: ['x']}
  const summary = await exactMatch.summarize(
    [
      {row: 0, input, value: {match: true, matched: 'x'}},
      {row: 1, input, value: {match: false, matched: null}},
      {row: 2, input, value: {match: true, matched: 'x'}},
      {row: 3, input, value: {match: true, matched: 'x'}},
    ],
    {params: {normalize: 'squad'}, logger},
  )
  assert.deepEqual(summary, {exactMatch: 0.75, n: 4})
})
