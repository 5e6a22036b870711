import {mean, type Interval} from './descriptive.js'
import {createRandom} from './random.js'

/**
 * Percentile bootstrap. Each iteration draws n indices uniformly with replacement (in order,
 * i = 0..n−1, with `Random.int(n)` from one generator seeded once), computes the statistic on
 * them, and the interval is the (1−c)/2 and (1+c)/2 quantiles of the iterations' values.
 */
export interface BootstrapOptions {
  /** Number of resamples; 1000 or more for a 95% interval. */
  iterations: number
  /** Seed of the generator (see random.ts), so that intervals are reproducible. */
  seed: number
  /** Coverage of the interval, in (0, 1); default 0.95. */
  confidence?: number
}

/**
 * Quantile q of ascending `sorted` values, interpolating linearly between neighbours
 * (numpy's default `percentile(method="linear")`, Hyndman & Fan type 7). NaN when empty.
 */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.min(below + 1, sorted.length - 1)
  const fraction = position - below
  return sorted[below]! + fraction * (sorted[above]! - sorted[below]!)
}

/**
 * The central `confidence` interval of a sample of values. NaN values (a statistic undefined
 * on some resample, such as a correlation of a constant) are left out; all NaN gives NaN bounds.
 */
export function percentileInterval(values: readonly number[], confidence = 0.95): Interval {
  checkConfidence(confidence)
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b)
  const tail = (1 - confidence) / 2
  return {low: quantile(sorted, tail), high: quantile(sorted, 1 - tail)}
}

/** The statistic's value on each of `iterations` resamples of n items, in draw order. */
export function bootstrapDistribution(n: number, statistic: (indices: Uint32Array) => number, options: BootstrapOptions): number[] {
  if (!Number.isInteger(options.iterations) || options.iterations < 1) throw new RangeError(`Bootstrap iterations must be a positive integer, got ${options.iterations}.`)
  if (n === 0) return []
  const random = createRandom(options.seed)
  // One index buffer reused by every iteration: the statistic must not keep it.
  const indices = new Uint32Array(n)
  const values = new Array<number>(options.iterations)
  for (let b = 0; b < options.iterations; b++) {
    for (let i = 0; i < n; i++) indices[i] = random.int(n)
    values[b] = statistic(indices)
  }
  return values
}

/** A percentile bootstrap interval for `statistic` over n resampled items. */
export function bootstrapInterval(n: number, statistic: (indices: Uint32Array) => number, options: BootstrapOptions): Interval {
  const confidence = options.confidence ?? 0.95
  checkConfidence(confidence)
  return percentileInterval(bootstrapDistribution(n, statistic, options), confidence)
}

/**
 * Paired bootstrap of the mean difference a[i] − b[i]: pairs are resampled together, so the
 * interval reflects the pairing. Returns the observed mean difference and its interval.
 */
export function pairedMeanDifference(a: readonly number[], b: readonly number[], options: BootstrapOptions): Interval & {difference: number} {
  if (a.length !== b.length) throw new RangeError(`A paired bootstrap needs samples of equal length, got ${a.length} and ${b.length}.`)
  const differences = a.map((value, i) => value - b[i]!)
  const resampledMean = (indices: Uint32Array): number => {
    let sum = 0
    for (const i of indices) sum += differences[i]!
    return sum / indices.length
  }
  return {difference: mean(differences), ...bootstrapInterval(differences.length, resampledMean, options)}
}

function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`A confidence level must lie strictly between 0 and 1, got ${confidence}.`)
}
