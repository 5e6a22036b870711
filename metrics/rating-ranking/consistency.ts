import type {PairValue, RankingPreference, RatingsPreference} from './types.js'

/** Counts of pairs by the preference from ratings (rows) and from the ranking (columns). */
export type Confusion = Record<RatingsPreference, Record<RankingPreference, number>>

export interface ConsistencySummary {
  [stat: string]: unknown
  /** Pairs counted: not a repeat, and both responses rated (the reference's `total`). */
  pairs: number
  /** Pairs left out because a response has no rating. */
  skipped: number
  /** Share of counted pairs whose two preferences agree; null when none are counted. */
  consistency: number | null
  inconsistency: number | null
  confusion: Confusion
}

const RATINGS: readonly RatingsPreference[] = ['equal', 'A', 'B']
const RANKINGS: readonly RankingPreference[] = ['equal', 'a', 'b']

function emptyConfusion(): Confusion {
  const row = () => Object.fromEntries(RANKINGS.map((r) => [r, 0])) as Record<RankingPreference, number>
  return Object.fromEntries(RATINGS.map((r) => [r, row()])) as Confusion
}

/**
 * consistency = (#(equal, equal) + #(A, a) + #(B, b)) / pairs counted, the diagonal of the
 * confusion matrix over its total (consistency.py). Duplicates count nowhere.
 */
export function summarizeConsistency(values: Iterable<PairValue>): ConsistencySummary {
  const confusion = emptyConfusion()
  let pairs = 0
  let agreeing = 0
  let skipped = 0
  for (const value of values) {
    if (value.status === 'unrated') skipped++
    if (value.status !== 'counted' || value.fromRatings === null || value.fromRanking === null) continue
    pairs++
    confusion[value.fromRatings][value.fromRanking]++
    if (value.agree) agreeing++
  }
  const consistency = pairs === 0 ? null : agreeing / pairs
  return {pairs, skipped, consistency, inconsistency: consistency === null ? null : 1 - consistency, confusion}
}
