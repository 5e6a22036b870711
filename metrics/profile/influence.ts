import {bootstrapDistribution, kendallTauB, percentileInterval, type BootstrapOptions} from '../../src/core/stats/index.js'
import type {FactorInfluence, Preference} from './types.js'

/**
 * Factor influence (README.md, "Factor influence"): for one factor and one judge, Kendall's
 * τ-b between x = sign(f(A) − f(B)) and y = the verdict coded +1 (a), 0 (tie), −1 (b), over the
 * pairs where both responses have the factor and the judge gave a verdict.
 */
export const PREFERENCE_CODE: Readonly<Record<Preference, -1 | 0 | 1>> = {a: 1, tie: 0, b: -1}

/** A pair's (x, y) as one of the 9 cells of the 3 × 3 table: 3·(x+1) + (y+1); −1 when not counted. */
export function cellOf(x: number, y: number): number {
  return 3 * (Math.sign(x) + 1) + (y + 1)
}

/**
 * τ-b from the 3 × 3 table of (x, y) counts: x and y take only −1, 0, 1, so the concordant and
 * discordant pairs and the ties of each variable are sums of products of cell counts, and a
 * resample costs one pass over its pairs instead of a sort. Equal to `kendallTauB` on the
 * pairs (test/metrics/profile/influence.test.ts checks it); NaN where that is NaN.
 */
export function tauBFromTable(counts: ArrayLike<number>): number {
  const cell = (x: number, y: number) => counts[3 * x + y]!
  let n = 0
  for (let i = 0; i < 9; i++) n += counts[i]!
  if (n < 2) return Number.NaN
  let concordant = 0
  let discordant = 0
  for (let x = 0; x < 3; x++) {
    for (let y = 0; y < 3; y++) {
      const here = cell(x, y)
      if (here === 0) continue
      for (let x2 = x + 1; x2 < 3; x2++) {
        for (let y2 = 0; y2 < 3; y2++) {
          if (y2 > y) concordant += here * cell(x2, y2)
          else if (y2 < y) discordant += here * cell(x2, y2)
        }
      }
    }
  }
  const total = (n * (n - 1)) / 2
  let tiesX = 0
  let tiesY = 0
  for (let i = 0; i < 3; i++) {
    const row = cell(i, 0) + cell(i, 1) + cell(i, 2)
    const column = cell(0, i) + cell(1, i) + cell(2, i)
    tiesX += (row * (row - 1)) / 2
    tiesY += (column * (column - 1)) / 2
  }
  if (tiesX === total || tiesY === total) return Number.NaN
  const tau = (concordant - discordant) / Math.sqrt(total - tiesX) / Math.sqrt(total - tiesY)
  return Math.max(-1, Math.min(1, tau))
}

/** One factor × judge: the cell of every scored row (−1 where the row does not count). */
export interface InfluenceInput {
  cells: Int8Array
}

export interface InfluenceResult {
  influence: FactorInfluence
  /** τ on each bootstrap resample, in draw order (NaN where undefined): paired across factors and judges. */
  distribution: number[]
}

/**
 * τ-b, its percentile bootstrap interval and the concordance share. The bootstrap resamples
 * all scored rows (not only the counted ones) with one seed, so every factor × judge sees the
 * same resamples, in the same order: the distributions are paired, and differences and
 * correlations between them can be bootstrapped from them directly.
 */
export function factorInfluence(input: InfluenceInput, options: BootstrapOptions): InfluenceResult {
  const {cells} = input
  const xs: number[] = []
  const ys: number[] = []
  let decided = 0
  let concordant = 0
  for (const cell of cells) {
    if (cell < 0) continue
    const x = Math.floor(cell / 3) - 1
    const y = (cell % 3) - 1
    xs.push(x)
    ys.push(y)
    if (y !== 0) {
      decided++
      if (x === y) concordant++
    }
  }
  const counts = new Float64Array(9)
  const distribution = bootstrapDistribution(
    cells.length,
    (indices) => {
      counts.fill(0)
      for (const i of indices) {
        const cell = cells[i]!
        if (cell >= 0) counts[cell]!++
      }
      return tauBFromTable(counts)
    },
    options,
  )
  const interval = percentileInterval(distribution, options.confidence ?? 0.95)
  return {
    influence: {
      tau: finite(xs.length < 2 ? Number.NaN : kendallTauB(xs, ys)),
      low: finite(interval.low),
      high: finite(interval.high),
      concordance: decided === 0 ? null : concordant / decided,
      n: xs.length,
      decided,
    },
    distribution,
  }
}

/** A number for report.json: NaN (undefined) becomes null. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
