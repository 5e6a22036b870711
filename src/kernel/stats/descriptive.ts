/**
 * Descriptive statistics over plain number arrays. Empty (or too short) samples give NaN,
 * as numpy does, so callers decide how to show "undefined" (the report writes null).
 */

/** Arithmetic mean; NaN for an empty sample. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/**
 * Variance with `ddof` delta degrees of freedom: Σ(x − mean)² / (n − ddof). The default 1 is
 * the sample variance (numpy `var(ddof=1)`, scipy's default for `sem`); NaN when n ≤ ddof.
 */
export function variance(values: readonly number[], ddof = 1): number {
  const n = values.length
  if (n - ddof <= 0) return Number.NaN
  const m = mean(values)
  let squares = 0
  for (const v of values) squares += (v - m) * (v - m)
  return squares / (n - ddof)
}

/** Standard deviation, sample (ddof = 1) by default. */
export function std(values: readonly number[], ddof = 1): number {
  return Math.sqrt(variance(values, ddof))
}

/** Standard error of the mean, std(ddof) / √n: `scipy.stats.sem` (ddof = 1 by default). */
export function sem(values: readonly number[], ddof = 1): number {
  return std(values, ddof) / Math.sqrt(values.length)
}

/** A two-sided interval around an estimate. */
export interface Interval {
  low: number
  high: number
}

/**
 * The normal-approximation interval mean ± z·SEM (ddof = 1). With z = 1.96 this is the
 * "95% CI" the sparse_feedback win-rate scripts print (they print the half-width).
 */
export function normalMeanInterval(values: readonly number[], z = 1.96): Interval & {mean: number; halfWidth: number} {
  const m = mean(values)
  const halfWidth = z * sem(values)
  return {mean: m, halfWidth, low: m - halfWidth, high: m + halfWidth}
}
