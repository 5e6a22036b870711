import {mean} from './descriptive.js'
import {averageRanks} from './ranks.js'

/**
 * Correlation coefficients matching scipy.stats (pearsonr, spearmanr, kendalltau with the
 * default tau-b). Each returns NaN where scipy returns nan: fewer than two pairs, or a
 * variable that does not vary. Inputs must be finite numbers of equal length.
 */

function checkPaired(x: readonly number[], y: readonly number[]): void {
  if (x.length !== y.length) throw new RangeError(`Correlation needs paired samples, got ${x.length} and ${y.length} values.`)
}

/** Pearson's r, clipped to [-1, 1] against rounding as scipy does. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y)
  if (x.length < 2) return Number.NaN
  const mx = mean(x)
  const my = mean(y)
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let i = 0; i < x.length; i++) {
    const dx = x[i]! - mx
    const dy = y[i]! - my
    sxy += dx * dy
    sxx += dx * dx
    syy += dy * dy
  }
  if (sxx === 0 || syy === 0) return Number.NaN
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)))
}

/** Spearman's rho: Pearson's r of the average ranks (ties share their mean rank). */
export function spearman(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y)
  return pearson(averageRanks(x), averageRanks(y))
}

/**
 * Kendall's tau-b, which corrects for ties in either variable:
 * (concordant − discordant) / √((n0 − tiesX)(n0 − tiesY)), n0 = n(n−1)/2.
 * O(n log n) (Knight 1966): sort by (x, y), then count discordant pairs as the inversions a
 * merge sort of y undoes, so it stays fast on the tens of thousands of rows benchmarks have.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  checkPaired(x, y)
  const n = x.length
  if (n < 2) return Number.NaN
  const order = x.map((_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!)
  const total = (n * (n - 1)) / 2
  const tiesX = tiedPairs(order, (a, b) => x[a] === x[b])
  const tiesXY = tiedPairs(order, (a, b) => x[a] === x[b] && y[a] === y[b])
  const ySorted = order.map((i) => y[i]!)
  const discordant = countInversions(ySorted)
  // ySorted is now sorted ascending, so its tie groups are runs.
  const tiesY = tiedPairs(ySorted.map((_, i) => i), (a, b) => ySorted[a] === ySorted[b])
  if (tiesX === total || tiesY === total) return Number.NaN
  const concordantMinusDiscordant = total - tiesX - tiesY + tiesXY - 2 * discordant
  const tau = concordantMinusDiscordant / Math.sqrt(total - tiesX) / Math.sqrt(total - tiesY)
  return Math.max(-1, Math.min(1, tau))
}

/** Σ c(c−1)/2 over runs of consecutive equal items. */
function tiedPairs(items: readonly number[], same: (a: number, b: number) => boolean): number {
  let pairs = 0
  let run = 1
  for (let i = 1; i <= items.length; i++) {
    if (i < items.length && same(items[i - 1]!, items[i]!)) {
      run++
    } else {
      pairs += (run * (run - 1)) / 2
      run = 1
    }
  }
  return pairs
}

/** Sorts `values` in place (bottom-up merge sort) and returns the number of pairs i < j with values[i] > values[j]. */
function countInversions(values: number[]): number {
  let inversions = 0
  let from = values
  let to = new Array<number>(values.length)
  for (let width = 1; width < values.length; width *= 2) {
    for (let lo = 0; lo < values.length; lo += 2 * width) {
      const mid = Math.min(lo + width, values.length)
      const hi = Math.min(lo + 2 * width, values.length)
      let i = lo
      let j = mid
      let k = lo
      while (i < mid && j < hi) {
        // Equal values are not an inversion: take the left one first.
        if (from[j]! < from[i]!) {
          inversions += mid - i
          to[k++] = from[j++]!
        } else {
          to[k++] = from[i++]!
        }
      }
      while (i < mid) to[k++] = from[i++]!
      while (j < hi) to[k++] = from[j++]!
    }
    ;[from, to] = [to, from]
  }
  if (from !== values) for (let i = 0; i < values.length; i++) values[i] = from[i]!
  return inversions
}
