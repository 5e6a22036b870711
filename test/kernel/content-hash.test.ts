import assert from 'node:assert/strict'
import {test} from 'node:test'

import {canonicalEncode, contentHash} from '../../src/kernel/content-hash.js'

test('equal values encode alike whatever their key order; undefined keys are left out, as in JSON', () => {
  assert.equal(canonicalEncode({b: 1, a: {d: [1, 'x'], c: null}}), '{"a":{"c":null,"d":[1,"x"]},"b":1}')
  assert.equal(contentHash({a: 1, b: 2}), contentHash({b: 2, a: 1}))
  assert.equal(canonicalEncode({a: 1, b: undefined}), canonicalEncode({a: 1}))
})

test('values JSON cannot tell apart encode differently, and never like a string', () => {
  const values: unknown[] = [NaN, null, -0, 0, Infinity, -Infinity, 12n, 12, '12', 'NaN', undefined, [undefined], [null], new Date(0), new Uint8Array([1, 2]), {x: '1'}, {x: 1}]
  const encoded = values.map(canonicalEncode)
  assert.equal(new Set(encoded).size, values.length, encoded.join(' | '))
})

test('a value with no content of its own (a class instance, a function) cannot be encoded', () => {
  assert.throws(() => canonicalEncode(new Map()), /cannot encode a Map/)
  assert.throws(() => canonicalEncode({f: () => 1}), /cannot encode a function/)
})
