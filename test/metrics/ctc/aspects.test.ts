import assert from 'node:assert/strict'
import {test} from 'node:test'

import {ASPECT_SPECS, missingField} from '../../../metrics/ctc/aspects.js'

const row = {document: 'D', summary: 'S', references: ['R1', 'R2'], input: 'X', output: 'Y', history: ' H \n', fact: '\nF ', response: 'Y', grounding: 'G', hypothesis: 'Z'}

const pairs = (aspect: keyof typeof ASPECT_SPECS) => {
  const calls = ASPECT_SPECS[aspect].calls(row)
  assert.ok(Array.isArray(calls))
  return calls.map((c) => [c.checkpoint, c.input, c.context])
}

test('each aspect aligns the texts the reference scorer does, with its checkpoint names', () => {
  assert.deepEqual(pairs('consistency'), [['doc_to_summ', 'S', 'D']])
  assert.deepEqual(pairs('relevance'), [['doc_to_summ', 'S', 'D'], ['summ_to_ref', 'R1', 'S'], ['summ_to_ref', 'R2', 'S']])
  assert.deepEqual(pairs('preservation'), [['sent_to_sent', 'X', 'Y'], ['sent_to_sent', 'Y', 'X']])
  assert.deepEqual(pairs('groundedness'), [['fact_to_response', 'Y', '\nF ']])
  assert.deepEqual(pairs('engagingness'), [['fact_history_to_response', 'Y', 'F\n\n\nH']])
  assert.deepEqual(pairs('factual-consistency'), [['doc_to_summ', 'Z', 'G']])
})

test('the scorers defaults: dialog sums with stopwords removed, the others average with them kept', () => {
  for (const [aspect, spec] of Object.entries(ASPECT_SPECS)) {
    const dialog = aspect === 'engagingness' || aspect === 'groundedness'
    assert.equal(spec.aggregation, dialog ? 'sum' : 'mean', aspect)
    assert.equal(spec.stopwords, dialog, aspect)
  }
})

test('relevance is consistency times the mean over references; preservation the harmonic mean', () => {
  assert.equal(ASPECT_SPECS.relevance.combine([0.8, 0.5, 0.25]), 0.8 * 0.375)
  assert.equal(ASPECT_SPECS.preservation.combine([0.5, 0.25]), (2 * 0.5 * 0.25) / 0.75)
})

test('where the reference divides by zero the row gets an error with a sentence', () => {
  const none = ASPECT_SPECS.relevance.calls({...row, references: []})
  assert.ok('error' in none)
  assert.match(none.error, /field "references" is an empty list.*Give the row at least one reference/)
  const zero = ASPECT_SPECS.preservation.combine([0.5, -0.5])
  assert.ok(typeof zero !== 'number')
  assert.match(zero.error, /sum to 0 .*harmonic mean is undefined/)
})

test('missingField names the first field an aspect needs that the row lacks', () => {
  assert.equal(missingField({summary: 'S'}, 'consistency'), 'document')
  assert.equal(missingField({document: 'D', summary: 'S'}, 'relevance'), 'references')
  assert.equal(missingField(row, 'engagingness'), undefined)
})
