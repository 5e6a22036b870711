import assert from 'node:assert/strict'
import {test} from 'node:test'

import {createRandom, kendallTauB, spearman} from '../../../src/kernel/stats/index.js'
import {cellOf, factorInfluence, tauBFromTable} from '../../../metrics/profile/influence.js'
import {expected} from './support.js'

function table(x: readonly number[], y: readonly number[]): Float64Array {
  const counts = new Float64Array(9)
  x.forEach((v, i) => counts[cellOf(v, y[i]!)]!++)
  return counts
}

test('τ-b from the 3 × 3 table equals kendallTauB on the pairs, ties and all', () => {
  const random = createRandom(11)
  for (let trial = 0; trial < 300; trial++) {
    const n = 2 + random.int(40)
    const x = Array.from({length: n}, () => random.int(3) - 1)
    const y = Array.from({length: n}, () => random.int(3) - 1)
    const want = kendallTauB(x, y)
    const got = tauBFromTable(table(x, y))
    if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `trial ${trial}`)
    else assert.ok(Math.abs(got - want) < 1e-12, `trial ${trial}: ${got} vs ${want}`)
  }
  assert.ok(Number.isNaN(tauBFromTable(table([1], [1]))))
})

test('scipy kendalltau and spearmanr on ternary data with ties (fixture)', () => {
  for (const {x, y, kendall, spearman: rho} of expected.scipy) {
    const tau = tauBFromTable(table(x, y))
    if (kendall === null) {
      assert.ok(Number.isNaN(tau))
      assert.ok(Number.isNaN(kendallTauB(x, y)))
    } else {
      assert.ok(Math.abs(tau - kendall) < 1e-12, `n=${x.length}: ${tau} vs scipy ${kendall}`)
      assert.ok(Math.abs(kendallTauB(x, y) - kendall) < 1e-12)
    }
    if (rho === null) assert.ok(Number.isNaN(spearman(x, y)))
    else assert.ok(Math.abs(spearman(x, y) - rho) < 1e-12)
  }
})

test('a judge that always prefers the higher value has τ = 1, the lower τ = −1; ties count as τ-b does', () => {
  const diffs = [3, -2, 5, -1, 4, -6]
  const cells = (pref: (d: number) => number) => Int8Array.from(diffs, (d) => cellOf(d, pref(d)))
  const options = {iterations: 50, seed: 1}
  const higher = factorInfluence({cells: cells((d) => Math.sign(d))}, options).influence
  assert.deepEqual({...higher, low: null}, {tau: 1, low: null, high: 1, concordance: 1, n: 6, decided: 6})
  // Every resample agrees perfectly, up to the rounding of (C − D) / √a / √b.
  assert.ok(Math.abs(higher.low! - 1) < 1e-12)
  const lower = factorInfluence({cells: cells((d) => -Math.sign(d))}, options).influence
  assert.equal(lower.tau, -1)
  assert.equal(lower.concordance, 0)
  // Equal factor values judged a tie are concordant with each other in neither direction:
  // x = y = 0 there, and τ-b still reaches 1 because x and y are the same vector.
  const withTies = factorInfluence({cells: Int8Array.from([cellOf(1, 1), cellOf(0, 0), cellOf(-1, -1), cellOf(0, 0)])}, options).influence
  assert.equal(withTies.tau, 1)
  assert.equal(withTies.decided, 2)
  // A judge who always says "a" gives no variation: τ is undefined (null), concordance is not.
  const constant = factorInfluence({cells: Int8Array.from([cellOf(1, 1), cellOf(-1, 1)])}, options).influence
  assert.equal(constant.tau, null)
  assert.equal(constant.concordance, 0.5)
  // Rows that do not count (−1) are left out of n but still resampled.
  const partial = factorInfluence({cells: Int8Array.from([cellOf(1, 1), -1, cellOf(-1, -1), -1])}, options)
  assert.equal(partial.influence.n, 2)
  assert.equal(partial.distribution.length, 50)
})
