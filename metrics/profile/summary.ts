import {judgeAlignment} from './alignment.js'
import {PREFERENCE_CODE, cellOf, factorInfluences, type InfluenceResult} from './influence.js'
import type {FactorInfluence, JudgePairAlignment, ProfileParams, ProfileResult, ProfileRow, ProfileSummary} from './types.js'

/** What the summary reads of a scored row: its judges' preferences and task, and its factor values (no text). */
export interface SummaryRow {
  input: Pick<ProfileRow, 'preferences' | 'task'>
  value: ProfileResult
}

/** Names in first-seen order. */
function firstSeen(lists: Iterable<Iterable<string>>): string[] {
  const seen = new Set<string>()
  for (const list of lists) for (const name of list) seen.add(name)
  return [...seen]
}

/** The key of a judge pair in `alignment`: `<first>~<second>`, judges in first-seen order. */
export function pairKey(first: string, second: string): string {
  return `${first}~${second}`
}

/**
 * Factor influence per factor and judge, and factor-level alignment per pair of judges, over
 * the scored rows. Judges and factors are listed in the order they first appear; `requested`
 * (the factors the extractors give) are counted in `factorRows` even when no pair has them.
 */
export function summarizeProfile(rows: readonly SummaryRow[], params: Pick<ProfileParams, 'bootstrap' | 'seed' | 'confidence' | 'topK'>, requested: readonly string[] = []): ProfileSummary {
  const judges = firstSeen(rows.map((r) => Object.keys(r.input.preferences)))
  const factors = firstSeen(rows.map((r) => Object.keys(r.value.factors_a).filter((f) => f in r.value.factors_b)))
  const options = {iterations: params.bootstrap, seed: params.seed, confidence: params.confidence}

  const judgeRows: Record<string, number> = Object.fromEntries(judges.map((j) => [j, rows.filter((r) => r.input.preferences[j] !== undefined).length]))
  // Requested factors that no pair has on both sides are listed too, with 0 rows.
  const factorRows: Record<string, number> = Object.fromEntries(firstSeen([factors, requested]).map((f) => [f, rows.filter((r) => r.value.factors_a[f] !== undefined && r.value.factors_b[f] !== undefined).length]))

  const cellsList: Int8Array[] = []
  for (const factor of factors) {
    for (const judge of judges) {
      const cells = new Int8Array(rows.length)
      rows.forEach(({input, value}, i) => {
        const a = value.factors_a[factor]
        const b = value.factors_b[factor]
        const preference = input.preferences[judge]
        cells[i] = a === undefined || b === undefined || preference === undefined ? -1 : cellOf(a - b, PREFERENCE_CODE[preference])
      })
      cellsList.push(cells)
    }
  }
  const influences = factorInfluences(cellsList, options)
  const results = new Map<string, Map<string, InfluenceResult>>()
  const summaryFactors: Record<string, Record<string, FactorInfluence>> = {}
  factors.forEach((factor, f) => {
    const byJudge = new Map(judges.map((judge, j) => [judge, influences[f * judges.length + j]!]))
    results.set(factor, byJudge)
    summaryFactors[factor] = Object.fromEntries([...byJudge].map(([judge, r]) => [judge, r.influence]))
  })

  const alignment: Record<string, number | null> = {}
  const factorAlignment: Record<string, JudgePairAlignment> = {}
  for (let i = 0; i < judges.length; i++) {
    for (let j = i + 1; j < judges.length; j++) {
      const first = new Map(factors.map((f) => [f, results.get(f)!.get(judges[i]!)!]))
      const second = new Map(factors.map((f) => [f, results.get(f)!.get(judges[j]!)!]))
      const pair = judgeAlignment(factors, first, second, {topK: params.topK, confidence: params.confidence})
      const key = pairKey(judges[i]!, judges[j]!)
      alignment[key] = pair.spearman
      factorAlignment[key] = pair
    }
  }
  return {pairs: rows.length, judges: judgeRows, factorRows, factors: summaryFactors, alignment, factorAlignment}
}
