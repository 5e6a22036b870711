import assert from 'node:assert/strict'
import {test} from 'node:test'

import {float16Bits, float16Value} from '../../../src/models/onnx/float16.js'
import {createRandom} from '../../../src/kernel/stats/random.js'

test('float16 bit patterns of edge values', () => {
  const cases: Array<[number, number]> = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff], // largest finite
    [65519, 0x7bff], // still rounds down
    [65520, 0x7c00], // halfway to the next power: rounds to Infinity
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // halfway to zero: ties to even
    [3 * 2 ** -25, 0x0002], // halfway between 1 and 2 subnormal units: ties to even
    [1 + 2 ** -11, 0x3c00], // tie, even mantissa stays
    [1 + 3 * 2 ** -11, 0x3c02], // tie, odd mantissa rounds up
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just past the tie
  ]
  for (const [value, bits] of cases) assert.equal(float16Bits(value), bits, `float16Bits(${value})`)
  assert.ok(Number.isNaN(float16Value(float16Bits(Number.NaN))))
})

test('float16 rounding is within half a unit of the last place, and exact values round-trip', () => {
  const random = createRandom(7)
  for (let i = 0; i < 20000; i++) {
    const value = Math.fround((random.next() * 2 - 1) * 2 ** (random.int(40) - 26))
    const back = float16Value(float16Bits(value))
    const exponent = Math.max(Math.floor(Math.log2(Math.abs(value))), -14)
    const ulp = 2 ** (exponent - 10)
    assert.ok(Math.abs(back - value) <= ulp / 2, `${value} → ${back}`)
    assert.equal(float16Bits(back), float16Bits(value))
  }
})
