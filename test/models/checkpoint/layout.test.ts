// dtypes.ts and strided.ts: conversions and strided gathers on hand-made inputs.
import assert from 'node:assert/strict'
import {describe, test} from 'node:test'

import {toFloat32} from '../../../src/models/checkpoint/dtypes.js'
import {contiguousStrides, gatherStrided, isContiguous, stridedExtent} from '../../../src/models/checkpoint/strided.js'

const bytesOf = (array: ArrayBufferView) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength)

describe('toFloat32', () => {
  test('float16 bit patterns, including subnormals, signed zero, infinities and NaN', () => {
    const half = Uint16Array.from([0x3c00, 0xc000, 0x7bff, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x0400, 0x3555])
    const out = toFloat32(bytesOf(half), 'float16')
    assert.deepEqual([...out], [1, -2, 65504, 2 ** -24, -0, Infinity, -Infinity, NaN, 2 ** -14, Math.fround(0.333251953125)])
  })

  test('bfloat16 is the top half of a float32', () => {
    const out = toFloat32(bytesOf(Uint16Array.from([0x3f80, 0xc040, 0x7f80])), 'bfloat16')
    assert.deepEqual([...out], [1, -3, Infinity])
  })

  test('float64 and integers', () => {
    assert.deepEqual([...toFloat32(bytesOf(Float64Array.from([0.1, -2])), 'float64')], [Math.fround(0.1), -2])
    assert.deepEqual([...toFloat32(bytesOf(BigInt64Array.from([-5n, 2n ** 40n])), 'int64')], [-5, 2 ** 40])
    assert.deepEqual([...toFloat32(Uint8Array.from([0, 2, 1]), 'bool')], [0, 1, 1])
  })

  test('unaligned input is copied, not misread', () => {
    const buffer = new Uint8Array(9)
    buffer.set(bytesOf(Float64Array.from([1.5])), 1)
    assert.deepEqual([...toFloat32(buffer.subarray(1), 'float64')], [1.5])
  })
})

describe('strided layouts', () => {
  test('contiguity ignores the strides of size-1 dimensions', () => {
    assert.deepEqual(contiguousStrides([2, 3, 4]), [12, 4, 1])
    assert.equal(isContiguous([2, 3], [3, 1]), true)
    assert.equal(isContiguous([1, 3], [99, 1]), true)
    assert.equal(isContiguous([3, 2], [1, 3]), false)
    assert.equal(isContiguous([0, 5], [7, 7]), true)
    assert.equal(isContiguous([], []), true)
  })

  test('gathers a transpose, a stepped slice and a broadcast', () => {
    const source = Float32Array.from({length: 12}, (_, i) => i)
    const gather = (shape: number[], strides: number[]) => [...new Float32Array(gatherStrided(bytesOf(source), 4, shape, strides).buffer)]
    assert.deepEqual(gather([4, 3], [1, 4]), [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    assert.deepEqual(gather([3, 2], [4, 2]), [0, 2, 4, 6, 8, 10])
    assert.deepEqual(gather([2, 3], [0, 1]), [0, 1, 2, 0, 1, 2])
    assert.deepEqual(gather([], []), [0])
    assert.equal(stridedExtent([4, 3], [1, 4]), 12)
    assert.equal(stridedExtent([2, 3], [0, 1]), 3)
  })
})
