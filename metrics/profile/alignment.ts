import {percentileInterval, spearman} from '../../src/kernel/stats/index.js'
import {finite, type InfluenceResult} from './influence.js'
import type {JudgePairAlignment} from './types.js'

/**
 * Factor-level alignment of two judges (README.md, "Alignment"): Spearman's ρ between their τ
 * vectors, τ(first) − τ(second) per factor with a bootstrap interval, and how many of their
 * top-k factors (highest τ) they share. Intervals come from the paired τ distributions of
 * {@link factorInfluence}: resample b of every factor and judge is the same set of rows.
 */
export function judgeAlignment(
  factors: readonly string[],
  first: ReadonlyMap<string, InfluenceResult>,
  second: ReadonlyMap<string, InfluenceResult>,
  options: {topK: number; confidence: number},
): JudgePairAlignment {
  const defined = factors.filter((f) => first.get(f)?.influence.tau != null && second.get(f)?.influence.tau != null)
  const tauOf = (side: ReadonlyMap<string, InfluenceResult>, f: string) => side.get(f)!.influence.tau!
  const rho = defined.length < 2 ? Number.NaN : spearman(defined.map((f) => tauOf(first, f)), defined.map((f) => tauOf(second, f)))

  const iterations = first.get(factors[0] ?? '')?.distribution.length ?? 0
  const rhos: number[] = []
  for (let b = 0; b < iterations; b++) {
    const a: number[] = []
    const c: number[] = []
    for (const f of defined) {
      const x = first.get(f)!.distribution[b]!
      const y = second.get(f)!.distribution[b]!
      if (Number.isNaN(x) || Number.isNaN(y)) continue
      a.push(x)
      c.push(y)
    }
    rhos.push(a.length < 2 ? Number.NaN : spearman(a, c))
  }
  const rhoInterval = percentileInterval(rhos, options.confidence)

  const differences: JudgePairAlignment['factors'] = {}
  for (const f of factors) {
    const x = first.get(f)
    const y = second.get(f)
    if (x === undefined || y === undefined) continue
    const paired = x.distribution.map((v, b) => v - y.distribution[b]!)
    const interval = percentileInterval(paired, options.confidence)
    const tx = x.influence.tau
    const ty = y.influence.tau
    differences[f] = {difference: tx === null || ty === null ? null : tx - ty, low: finite(interval.low), high: finite(interval.high)}
  }

  const k = Math.min(options.topK, defined.length)
  const top = (side: ReadonlyMap<string, InfluenceResult>) => [...defined].sort((f, g) => tauOf(side, g) - tauOf(side, f) || (f < g ? -1 : 1)).slice(0, k)
  const topFirst = top(first)
  const topSecond = top(second)
  const shared = topFirst.filter((f) => topSecond.includes(f)).length

  const misaligned = Object.entries(differences)
    .filter(([, d]) => d.difference !== null && d.low !== null && d.high !== null && (d.low > 0 || d.high < 0))
    .sort(([f, d], [g, e]) => Math.abs(e.difference!) - Math.abs(d.difference!) || (f < g ? -1 : 1))
    .map(([f]) => f)

  return {
    spearman: finite(rho),
    low: finite(rhoInterval.low),
    high: finite(rhoInterval.high),
    factorCount: defined.length,
    factors: differences,
    topK: {k, first: topFirst, second: topSecond, shared, agreement: k === 0 ? null : shared / k},
    misaligned,
  }
}
