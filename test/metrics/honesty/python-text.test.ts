import assert from 'node:assert/strict'
import {test} from 'node:test'

import {pyStrip, pythonFloat} from '../../../metrics/honesty/python-text.js'

// Expected values are what CPython 3.11 gives for the same strings (checked by hand).
test('pythonFloat reads what Python\'s float() reads, and nothing else', () => {
  const cases: Array<[string, number | undefined]> = [
    [' 0.8\n', 0.8],
    ['1_000', 1000],
    ['1__0', undefined],
    ['\u0660.\u0669', 0.9],
    ['\u{1D7D7}', 9],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['1e-3', 0.001],
    ['.5', 0.5],
    ['5.', 5],
    ['', undefined],
    ['0x10', undefined],
    ['\u2003 1\u3000', 1],
    ['1_', undefined],
    ['_1', undefined],
    ['+.5e+2_0', 5e19],
    ['Score: 1', undefined],
  ]
  for (const [text, want] of cases) assert.equal(pythonFloat(text), want, JSON.stringify(text))
  assert.ok(Number.isNaN(pythonFloat('NaN')))
})

test('pyStrip: Unicode whitespace with no argument, the given characters with one', () => {
  assert.equal(pyStrip('\u3000 "x" \n'), '"x"')
  assert.equal(pyStrip('"Who?"', '"'), 'Who?')
  assert.equal(pyStrip('..a.b..', '.'), 'a.b')
  assert.equal(pyStrip('\u200bx'), '\u200bx')
})
