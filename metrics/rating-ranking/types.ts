/** Which response of a pair: `a` is shown first (output1, response_a), `b` second. */
export type Side = 'a' | 'b'

/** The preference implied by two ratings: a tie, or the response rated higher. */
export type RatingsPreference = 'equal' | 'A' | 'B'

/** The preference a ranking states, with its label normalised (`(a)` and `a` are both `a`). */
export type RankingPreference = 'equal' | 'a' | 'b'

/** Where a pair came from; it decides which ranking labels are accepted. */
export type PairSource = 'default' | 'rankings'

/**
 * One pair to score, built by `combine` from the inputs: one per row of the `default` input,
 * or one per row of the `rankings` input with both responses' ratings looked up.
 */
export interface PairRow {
  [field: string]: unknown
  /** The input row's `id`, passed through to scores.jsonl. */
  id?: string | number
  source: PairSource
  instruction: string
  input: string
  responseA: string
  responseB: string
  /** null when the response has no rating (absent from the ratings file, or left empty). */
  ratingA: number | null
  ratingB: number | null
  /** The ranking label exactly as written, one the input's schema accepts (RANKING_LABELS). */
  ranking: string
  annotator?: string
  /** Identity of each response, so the rating–length correlation counts a response once. */
  responseKeyA: string
  responseKeyB: string
  /** Index of the earlier pair with the same key columns; this one is dropped, as in the reference. */
  duplicateOf?: number
}

/** What scores.jsonl holds for a pair. */
export interface PairValue {
  /** `counted`: in the consistency; `unrated`: a response has no rating; `duplicate`: dropped. */
  status: 'counted' | 'unrated' | 'duplicate'
  fromRatings: RatingsPreference | null
  fromRanking: RankingPreference | null
  /** Whether the two preferences agree; null unless counted. */
  agree: boolean | null
  /** The responses without a rating (status `unrated`). */
  unrated?: Side[]
  /** The row this one repeats (status `duplicate`). */
  duplicateOf?: number
}

export interface RatingRankingParams {
  [param: string]: unknown
  /** Resamples for the paired bootstrap intervals of the bias analysis. */
  bootstrapIterations: number
  /** Seed of the bootstrap's generator (src/kernel/stats/random.ts). */
  seed: number
  /** Coverage of the bootstrap intervals. */
  confidence: number
}
