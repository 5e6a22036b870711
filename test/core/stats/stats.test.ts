import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {test} from 'node:test'

import {
  averageRanks,
  bootstrapDistribution,
  createRandom,
  kendallTauB,
  mean,
  normalMeanInterval,
  pairedMeanDifference,
  pearson,
  percentileInterval,
  quantile,
  sem,
  spearman,
  std,
  variance,
} from '../../../src/kernel/stats/index.js'

// Recorded by scripts/fixtures/stats.py with numpy 1.24 / scipy 1.10.
interface PairCase {
  name: string
  x: number[]
  y: number[]
  mean: number
  variance: number
  std: number
  stdPopulation: number
  sem: number
  ranks: number[]
  pearson: number | null
  spearman: number | null
  kendall: number | null
}
const expected = JSON.parse(readFileSync(new URL('./scipy-expected.json', import.meta.url), 'utf8')) as {
  pairs: PairCase[]
  generator: Array<{seed: number; uint32: number[]; doubles: number[]; int7: number[]}>
  pairedBootstrap: {a: number[]; b: number[]; runs: Array<{iterations: number; seed: number; confidence: number; difference: number; low: number; high: number}>}
  quantiles: {sample: number[]; values: Array<{q: number; value: number}>}
  winRate: {values: number[]; mean: number; halfWidth: number}
}

const TOLERANCE = 1e-12

function assertClose(actual: number, wanted: number | null, what: string): void {
  if (wanted === null) {
    assert.ok(Number.isNaN(actual), `${what}: expected NaN (scipy's nan), got ${actual}`)
    return
  }
  assert.ok(Math.abs(actual - wanted) <= TOLERANCE * Math.max(1, Math.abs(wanted)), `${what}: expected ${wanted}, got ${actual}`)
}

test('hand-checked values', () => {
  assert.equal(mean([1, 2, 3, 6]), 3)
  assert.equal(variance([1, 2, 3, 6]), 14 / 3)
  assert.equal(variance([1, 2, 3, 6], 0), 3.5)
  assert.equal(sem([2, 4]), 1)
  assert.deepEqual(averageRanks([10, 20, 20, 30]), [1, 2.5, 2.5, 4])
  assert.equal(pearson([1, 2, 3], [2, 4, 6]), 1)
  assert.equal(kendallTauB([1, 2, 3], [3, 2, 1]), -1)
  // 3 pairs: two concordant, one tied in x only: tau-b = 2 / √((3−1)(3−0)).
  assertClose(kendallTauB([1, 2, 2], [1, 2, 3]), 2 / Math.sqrt(6), 'tau-b with a tie')
})

test('too little data gives NaN, not an exception', () => {
  assert.ok(Number.isNaN(mean([])))
  assert.ok(Number.isNaN(variance([5])))
  assert.ok(Number.isNaN(sem([5])))
  assert.ok(Number.isNaN(pearson([1], [2])))
  assert.ok(Number.isNaN(spearman([1, 1], [1, 2])))
  assert.ok(Number.isNaN(kendallTauB([1, 2], [3, 3])))
  assert.throws(() => pearson([1, 2], [1]), RangeError)
})

for (const c of expected.pairs) {
  test(`matches numpy/scipy: ${c.name}`, () => {
    assertClose(mean(c.x), c.mean, 'mean')
    assertClose(variance(c.x), c.variance, 'variance ddof=1')
    assertClose(std(c.x), c.std, 'std ddof=1')
    assertClose(std(c.x, 0), c.stdPopulation, 'std ddof=0')
    assertClose(sem(c.x), c.sem, 'sem')
    assert.deepEqual(averageRanks(c.x), c.ranks)
    assertClose(pearson(c.x, c.y), c.pearson, 'pearson')
    assertClose(spearman(c.x, c.y), c.spearman, 'spearman')
    assertClose(kendallTauB(c.x, c.y), c.kendall, 'kendall tau-b')
  })
}

test('Kendall tau-b does not reorder its inputs', () => {
  const x = [3, 1, 2]
  const y = [1, 3, 2]
  kendallTauB(x, y)
  assert.deepEqual([x, y], [[3, 1, 2], [1, 3, 2]])
})

test('the seeded generator gives the documented stream', () => {
  for (const g of expected.generator) {
    const random = createRandom(g.seed)
    assert.deepEqual(Array.from({length: 8}, () => random.uint32()), g.uint32, `uint32, seed ${g.seed}`)
    assert.deepEqual(Array.from({length: 4}, () => random.next()), g.doubles, `doubles, seed ${g.seed}`)
    assert.deepEqual(Array.from({length: 10}, () => random.int(7)), g.int7, `int(7), seed ${g.seed}`)
  }
  assert.throws(() => createRandom(1.5), RangeError)
  assert.throws(() => createRandom(0).int(0), RangeError)
})

test('quantiles interpolate linearly, as numpy.percentile does', () => {
  const sorted = [...expected.quantiles.sample].sort((a, b) => a - b)
  for (const {q, value} of expected.quantiles.values) assertClose(quantile(sorted, q), value, `q=${q}`)
  assert.deepEqual(percentileInterval([5, Number.NaN, 1, 3], 0.5), {low: 2, high: 4})
  assert.throws(() => percentileInterval([1], 1), RangeError)
})

test('paired bootstrap intervals match the Python reimplementation', () => {
  const {a, b, runs} = expected.pairedBootstrap
  for (const run of runs) {
    const result = pairedMeanDifference(a, b, run)
    assertClose(result.difference, run.difference, 'difference')
    assertClose(result.low, run.low, `low (seed ${run.seed})`)
    assertClose(result.high, run.high, `high (seed ${run.seed})`)
  }
})

test('a bootstrap is reproducible from its seed and differs across seeds', () => {
  const statistic = (indices: Uint32Array) => indices.reduce((s, i) => s + i, 0)
  const first = bootstrapDistribution(10, statistic, {iterations: 50, seed: 3})
  assert.deepEqual(bootstrapDistribution(10, statistic, {iterations: 50, seed: 3}), first)
  assert.notDeepEqual(bootstrapDistribution(10, statistic, {iterations: 50, seed: 4}), first)
  assert.deepEqual(bootstrapDistribution(0, statistic, {iterations: 50, seed: 3}), [])
  assert.throws(() => bootstrapDistribution(3, statistic, {iterations: 0, seed: 3}), RangeError)
})

test('the normal interval is mean ± 1.96·SEM(ddof=1), as the win-rate scripts print it', () => {
  const interval = normalMeanInterval(expected.winRate.values)
  assertClose(interval.mean, expected.winRate.mean, 'mean')
  assertClose(interval.halfWidth, expected.winRate.halfWidth, 'half-width')
  // sparse_feedback prints 196·sem = 35.784540423670855 for these wins.
  assertClose(100 * interval.halfWidth, 35.784540423670855, 'printed CI')
  assertClose(interval.low, interval.mean - interval.halfWidth, 'low')
})

test('Kendall tau-b agrees with the O(n²) definition on random tied data', () => {
  const random = createRandom(11)
  for (let trial = 0; trial < 50; trial++) {
    const n = 2 + random.int(30)
    const x = Array.from({length: n}, () => random.int(4))
    const y = Array.from({length: n}, () => random.int(5))
    let concordantMinusDiscordant = 0
    let untiedX = 0
    let untiedY = 0
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const sign = Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!)
        concordantMinusDiscordant += sign
        if (x[i] !== x[j]) untiedX++
        if (y[i] !== y[j]) untiedY++
      }
    }
    const wanted = untiedX === 0 || untiedY === 0 ? null : concordantMinusDiscordant / Math.sqrt(untiedX * untiedY)
    assertClose(kendallTauB(x, y), wanted, `trial ${trial}`)
  }
})
