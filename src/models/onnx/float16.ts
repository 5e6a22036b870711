/**
 * float32 → IEEE 754 binary16 conversion, because Node 20 has no Float16Array. Rounds to
 * nearest, ties to even (as numpy's astype(float16) and torch's .half() do), keeps
 * subnormals, saturates to ±Infinity past 65504 and keeps NaN a NaN.
 */

const scratch = new Float32Array(1)
const scratchBits = new Uint32Array(scratch.buffer)

/** The binary16 bit pattern nearest to `value`. */
export function float16Bits(value: number): number {
  scratch[0] = value
  const bits = scratchBits[0]!
  const sign = (bits >>> 16) & 0x8000
  const exponent = (bits >>> 23) & 0xff
  let mantissa = bits & 0x7fffff
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200)
  const halfExponent = exponent - 127 + 15
  if (halfExponent >= 0x1f) return sign | 0x7c00
  if (halfExponent <= 0) {
    // Subnormal half: shift the implicit leading one in, round what falls off.
    if (halfExponent < -10) return sign
    mantissa |= 0x800000
    const shift = 14 - halfExponent
    return sign | roundShift(mantissa, shift)
  }
  // A carry out of the mantissa bumps the exponent, which is exactly right (up to Infinity).
  return sign | ((halfExponent << 10) + roundShift(mantissa, 13))
}

function roundShift(value: number, shift: number): number {
  const kept = value >>> shift
  const rest = value & ((1 << shift) - 1)
  const half = 1 << (shift - 1)
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept
}

/** The value of a binary16 bit pattern. */
export function float16Value(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1
  const exponent = (bits >>> 10) & 0x1f
  const mantissa = bits & 0x3ff
  if (exponent === 0) return sign * mantissa * 2 ** -24
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : Number.NaN
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15)
}

/** Converts a whole array. Its bytes are little-endian on little-endian hosts, which are all the platforms onnxruntime-node ships for. */
export function toFloat16Array(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]!)
  return out
}
