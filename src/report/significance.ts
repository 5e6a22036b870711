import {createRandom} from '../kernel/stats/random.js'
import {valueAt} from '../kernel/stat-declarations.js'
import type {ScoreLine} from './report.js'

/** A paired bootstrap test of a mean over rows, on the rows both runs scored. */
export interface SignificanceTest {
  method: 'paired-bootstrap'
  /** Rows scored in both runs (a number at the stat's `meanOf` in each). */
  rows: number
  iterations: number
  seed: number
  /** Mean over those rows of head − base. */
  meanDelta: number
  /** Two-sided p-value of "no change". */
  pValue: number
}

export const SIGNIFICANCE_DEFAULTS = {iterations: 1000, seed: 0} as const

/** The per-row number at `path` of a row's result (`''` for a result that is a number). */
export function rowNumber(result: unknown, path: string): number | undefined {
  const value = path === '' ? result : result !== null && typeof result === 'object' ? valueAt(result as Record<string, unknown>, path) : undefined
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/**
 * Paired bootstrap (Koehn 2004; Efron & Tibshirani's test of a mean difference): resample the
 * shared rows' differences with replacement, centre the resampled means on zero (the null of
 * no change), and count how often they are at least as far from zero as the observed mean
 * difference. Seeded, so the same runs give the same p-value. Undefined with fewer than two rows.
 */
export function pairedBootstrap(
  metric: string,
  meanOf: string,
  pairs: ReadonlyArray<readonly [ScoreLine, ScoreLine]>,
  options: {iterations?: number; seed?: number} = {},
): SignificanceTest | undefined {
  const iterations = options.iterations ?? SIGNIFICANCE_DEFAULTS.iterations
  const seed = options.seed ?? SIGNIFICANCE_DEFAULTS.seed
  const deltas: number[] = []
  for (const [base, head] of pairs) {
    const b = rowNumber(base[metric], meanOf)
    const h = rowNumber(head[metric], meanOf)
    if (b !== undefined && h !== undefined) deltas.push(h - b)
  }
  const n = deltas.length
  if (n < 2) return undefined
  const observed = deltas.reduce((s, d) => s + d, 0) / n
  const random = createRandom(seed)
  let extreme = 0
  for (let i = 0; i < iterations; i++) {
    let sum = 0
    for (let j = 0; j < n; j++) sum += deltas[random.int(n)]!
    if (Math.abs(sum / n - observed) >= Math.abs(observed) - 1e-15) extreme++
  }
  // Add-one smoothing, so a p-value is never exactly 0 from a finite number of resamples.
  return {method: 'paired-bootstrap', rows: n, iterations, seed, meanDelta: observed, pValue: (extreme + 1) / (iterations + 1)}
}
