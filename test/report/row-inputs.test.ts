import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {MetricViews} from '../../src/kernel/interfaces/index.js'
import {FIELD_CHARS, RowInputCollector, shownField} from '../../src/report/row-inputs.js'

test('without rowFields, every field but id is kept; lists of texts one per line, objects as JSON', () => {
  const c = new RowInputCollector(undefined, {})
  c.add(0, {id: 'a', question: 'Who?', answers: ['x', 'y'], n: 3, meta: {k: 1}, none: null}, 0.5, 2)
  assert.deepEqual(c.rows.get(0), {
    fields: [
      {name: 'question', text: 'Who?'},
      {name: 'answers', text: 'x\ny'},
      {name: 'n', text: '3'},
      {name: 'meta', text: '{"k":1}'},
    ],
    line: 2,
  })
})

test('rowFields choose and order the fields; marks come from the full row and result; labels are kept as text', () => {
  const views: MetricViews = {
    rowFields: [{field: 'context', marks: (input, result, params) => [{start: 4, end: 9, note: `${String(result)} ${String(params['p'])} ${String(input['claim'])}`}]}, 'claim', 'missing'],
    rowLabel: {field: 'label', positive: [1, true]},
  }
  const c = new RowInputCollector(views, {p: 'q'})
  c.add(3, {claim: 'c', context: 'The quick fox.', label: 1}, 'r', undefined)
  c.add(4, {claim: 'c', context: 'The quick fox.', label: false}, undefined, undefined)
  assert.deepEqual(c.rows.get(3), {fields: [{name: 'context', text: 'The quick fox.', marks: [{start: 4, end: 9, note: 'r q c'}]}, {name: 'claim', text: 'c'}], label: '1', positive: true})
  // A row without a result (an error) is shown unmarked.
  assert.deepEqual(c.rows.get(4), {fields: [{name: 'context', text: 'The quick fox.'}, {name: 'claim', text: 'c'}], label: 'false', positive: false})
})

test('rows outside the label curve keep their label for the histogram but get no ROC class', () => {
  const c = new RowInputCollector({rowFields: ['t'], rowLabel: {field: 'label', positive: [1], covers: (input) => input['split'] !== 'dev'}}, {})
  c.add(0, {t: 'x', label: 1, split: 'dev'}, 1, undefined)
  c.add(1, {t: 'x', label: 1}, 1, undefined)
  assert.deepEqual(c.rows.get(0), {fields: [{name: 't', text: 'x'}], label: '1'})
  assert.deepEqual(c.rows.get(1), {fields: [{name: 't', text: 'x'}], label: '1', positive: true})
})

test('a view whose marks throw leaves the row unmarked', () => {
  const c = new RowInputCollector({rowFields: [{field: 't', marks: () => { throw new Error('no') }}]}, {})
  c.add(0, {t: 'text'}, 1, undefined)
  assert.deepEqual(c.rows.get(0)!.fields, [{name: 't', text: 'text'}])
})

test('long fields are cut to the bound with their length recorded; marks past the cut are dropped, across it clipped', () => {
  const text = 'a'.repeat(FIELD_CHARS + 500)
  const shown = shownField('context', text, [
    {start: 10, end: 20, note: 'in'},
    {start: FIELD_CHARS - 5, end: FIELD_CHARS + 50, note: 'across'},
    {start: FIELD_CHARS + 10, end: FIELD_CHARS + 20, note: 'past'},
    {start: 30, end: 30, note: 'empty'},
  ])
  assert.equal(shown.text.length, FIELD_CHARS)
  assert.equal(shown.length, FIELD_CHARS + 500)
  assert.deepEqual(shown.marks, [{start: 10, end: 20, note: 'in'}, {start: FIELD_CHARS - 5, end: FIELD_CHARS, note: 'across'}])
  assert.deepEqual(shownField('x', 'short', []), {name: 'x', text: 'short'})
})
