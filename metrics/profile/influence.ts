import {bootstrapDistribution, kendallTauB, percentileInterval, type BootstrapOptions} from '../../src/kernel/stats/index.js'
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

export interface InfluenceResult {
  influence: FactorInfluence
  /** τ on each bootstrap resample, in draw order (NaN where undefined): paired across factors and judges. */
  distribution: number[]
}

/**
 * τ-b, its percentile bootstrap interval and the concordance share of each factor × judge,
 * given as the table cell of every scored row (−1 where the row does not count). The
 * bootstrap resamples all scored rows (not only the counted ones), once per iteration for
 * every factor × judge at the same time, so all distributions are paired: resample b is the
 * same set of rows everywhere, and differences and correlations between factors and judges
 * can be bootstrapped from them directly.
 */
export function factorInfluences(cellsList: readonly Int8Array[], options: BootstrapOptions): InfluenceResult[] {
  const n = cellsList[0]?.length ?? 0
  const stats = cellsList.length
  // Row-major copy (row i's cells side by side), so that one resampled row feeds every
  // factor × judge from one cache line: the hot loop below runs iterations × n × stats times.
  const cells = new Int8Array(n * stats)
  cellsList.forEach((column, k) => column.forEach((cell, i) => (cells[i * stats + k] = cell)))
  const distributions = cellsList.map(() => new Array<number>(options.iterations))
  const counts = new Float64Array(9 * stats)
  let iteration = 0
  // One pass of resamples; the statistic evaluates every factor × judge on each and records
  // the values itself (the distribution bootstrapDistribution returns is not needed).
  bootstrapDistribution(
    n,
    (indices) => {
      counts.fill(0)
      for (let r = 0; r < indices.length; r++) {
        const base = indices[r]! * stats
        for (let k = 0; k < stats; k++) {
          const cell = cells[base + k]!
          if (cell >= 0) counts[9 * k + cell]!++
        }
      }
      for (let k = 0; k < stats; k++) distributions[k]![iteration] = tauBFromTable(counts.subarray(9 * k, 9 * k + 9))
      iteration++
      return Number.NaN
    },
    options,
  )
  return cellsList.map((column, k) => {
    const distribution = n === 0 ? [] : distributions[k]!
    const interval = percentileInterval(distribution, options.confidence ?? 0.95)
    return {influence: {...pointInfluence(column), low: finite(interval.low), high: finite(interval.high)}, distribution}
  })
}

/** One factor × judge on its own (see {@link factorInfluences}). */
export function factorInfluence(input: {cells: Int8Array}, options: BootstrapOptions): InfluenceResult {
  return factorInfluences([input.cells], options)[0]!
}

/** τ-b (by `kendallTauB`) and concordance over the counted rows; the interval is left null. */
function pointInfluence(cells: Int8Array): FactorInfluence {
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
  return {
    tau: finite(xs.length < 2 ? Number.NaN : kendallTauB(xs, ys)),
    low: null,
    high: null,
    concordance: decided === 0 ? null : concordant / decided,
    n: xs.length,
    decided,
  }
}

/** A number for report.json: NaN (undefined) becomes null. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
