/**
 * A small seeded pseudo-random generator, so that bootstrap intervals are the same on every
 * machine and run. Not for cryptography.
 *
 * Generator: xoshiro128** (Blackman & Vigna 2018), 128 bits of state, period 2^128 − 1.
 * Seeding: the four state words are the first four outputs of splitmix32 started at the seed
 * (state += 0x9E3779B9; z = state; z ^= z >>> 16; z *= 0x21F0AAAD; z ^= z >>> 15;
 * z *= 0x735A2D97; z ^= z >>> 15, all mod 2^32), so nearby seeds give unrelated streams.
 * Doubles take 53 bits from two outputs, as numpy does: ((a >>> 5) · 2^26 + (b >>> 6)) / 2^53.
 * scripts/fixtures/stats.py reimplements this to check the tests' expected numbers.
 */
export interface Random {
  /** The next raw 32-bit output, as an unsigned integer. */
  uint32(): number
  /** A uniform double in [0, 1). */
  next(): number
  /** A uniform integer in [0, n), for a positive integer n up to 2^32 (floor(next() · n)). */
  int(n: number): number
}

/** A generator seeded by an integer in [0, 2^32); other numbers are reduced mod 2^32. */
export function createRandom(seed: number): Random {
  if (!Number.isInteger(seed)) throw new RangeError(`A random seed must be an integer, got ${seed}.`)
  let mix = seed >>> 0
  const splitmix32 = (): number => {
    mix = (mix + 0x9e3779b9) >>> 0
    let z = mix
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad)
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97)
    return (z ^ (z >>> 15)) >>> 0
  }
  // State words held as int32 (what the bitwise operators return); outputs are made unsigned.
  let s0 = splitmix32() | 0
  let s1 = splitmix32() | 0
  let s2 = splitmix32() | 0
  let s3 = splitmix32() | 0
  // xoshiro must not start from all zeros; splitmix32 practically never gives that, but be sure.
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  const next = (): number => ((uint32() >>> 5) * 67108864 + (uint32() >>> 6)) / 9007199254740992
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > 2 ** 32) throw new RangeError(`random int(n) needs an integer n in [1, 2^32], got ${n}.`)
    return Math.floor(next() * n)
  }
  return {uint32, next, int}
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
