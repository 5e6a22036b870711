import {endianness} from 'node:os'

import type {TensorDType} from '../tensors.js'

/** Bytes per element. */
export const DTYPE_SIZE: Readonly<Record<TensorDType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int64: 8,
  int32: 4,
  int8: 1,
  uint8: 1,
  bool: 1,
}

// Checkpoints are little-endian and typed arrays use the host's order; every platform
// Node ships for is little-endian, so this only guards against a surprise.
if (endianness() !== 'LE') throw new Error('alignctl reads checkpoints only on little-endian hosts')

/** A typed view of `bytes`, copied first when its offset is not aligned for the type. */
function aligned<T>(bytes: Uint8Array, size: number, make: (buffer: ArrayBufferLike, offset: number, length: number) => T): T {
  const source = bytes.byteOffset % size === 0 ? bytes : bytes.slice()
  return make(source.buffer, source.byteOffset, source.byteLength / size)
}

/** float16 bit pattern → float32 value, for all 65536 patterns; built once on first use. */
let halfTable: Float32Array | undefined

function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable
  halfTable = new Float32Array(65536)
  const bits = new Uint32Array(halfTable.buffer)
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16
    const exponent = (h >> 10) & 0x1f
    const mantissa = h & 0x3ff
    if (exponent === 0) halfTable[h] = (sign ? -1 : 1) * mantissa * 2 ** -24 // zero and subnormals
    else if (exponent === 0x1f) bits[h] = sign | 0x7f800000 | (mantissa << 13) // inf and NaN
    else bits[h] = sign | ((exponent + 112) << 23) | (mantissa << 13) // rebias 15 → 127
  }

  return halfTable
}

/** Elements of `bytes` (little-endian, of `dtype`) as float32. */
export function toFloat32(bytes: Uint8Array, dtype: TensorDType): Float32Array {
  switch (dtype) {
    case 'float32':
      return aligned(bytes, 4, (b, o, n) => new Float32Array(b, o, n))
    case 'float16': {
      const table = halfToFloatTable()
      const half = aligned(bytes, 2, (b, o, n) => new Uint16Array(b, o, n))
      const out = new Float32Array(half.length)
      for (let i = 0; i < half.length; i++) out[i] = table[half[i] as number] as number
      return out
    }

    case 'bfloat16': {
      // bfloat16 is the top half of a float32.
      const half = aligned(bytes, 2, (b, o, n) => new Uint16Array(b, o, n))
      const out = new Uint32Array(half.length)
      for (let i = 0; i < half.length; i++) out[i] = (half[i] as number) << 16
      return new Float32Array(out.buffer)
    }

    case 'float64':
      return Float32Array.from(aligned(bytes, 8, (b, o, n) => new Float64Array(b, o, n)))
    case 'int64': {
      const wide = aligned(bytes, 8, (b, o, n) => new BigInt64Array(b, o, n))
      const out = new Float32Array(wide.length)
      for (let i = 0; i < wide.length; i++) out[i] = Number(wide[i])
      return out
    }

    case 'int32':
      return Float32Array.from(aligned(bytes, 4, (b, o, n) => new Int32Array(b, o, n)))
    case 'int8':
      return Float32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
    case 'uint8':
      return Float32Array.from(bytes)
    case 'bool':
      return Float32Array.from(bytes, (byte) => (byte === 0 ? 0 : 1))
  }
}
