import type {PairSource, RankingPreference, RatingsPreference} from './types.js'

/** The ranking labels each input accepts, exactly as written (case and brackets matter, as in the reference). */
export const RANKING_LABELS: Readonly<Record<PairSource, Readonly<Record<string, RankingPreference>>>> = {
  // The released feedback files (scripts/llm_feedback_rankings.py writes these three).
  rankings: {'(a)': 'a', '(b)': 'b', equal: 'equal'},
  default: {a: 'a', b: 'b', equal: 'equal'},
}

/**
 * The preference a label states. The input schemas admit only these labels (an unknown one
 * is a bad input row), so any other label here is a bug in the caller.
 */
export function parseRanking(label: string, source: PairSource): RankingPreference {
  if (!Object.hasOwn(RANKING_LABELS[source], label)) throw new Error(`ranking ${JSON.stringify(label)} is not a label of the "${source}" input`)
  return RANKING_LABELS[source][label]!
}

/** Higher rating wins; equal ratings are a tie (reference: score1 == score2, score1 > score2, else B). */
export function preferenceFromRatings(ratingA: number, ratingB: number): RatingsPreference {
  if (ratingA === ratingB) return 'equal'
  return ratingA > ratingB ? 'A' : 'B'
}

/** Whether the two protocols agree: a tie only agrees with `equal`. */
export function preferencesAgree(fromRatings: RatingsPreference, fromRanking: RankingPreference): boolean {
  return fromRatings === 'equal' ? fromRanking === 'equal' : fromRatings.toLowerCase() === fromRanking
}

