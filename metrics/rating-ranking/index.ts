import type {Metric, ScoredRow} from '../../src/kernel/interfaces/index.js'
import {preferenceBias, ratingLengthCorrelation, winRatesOfB, type CountedPair, type ProtocolBias, type RatingLengthCorrelation, type WinRate} from './bias.js'
import {summarizeConsistency, type ConsistencySummary} from './consistency.js'
import {pairsInput, rankingsInput, ratingsInput} from './inputs.js'
import {combinePairs} from './pairs.js'
import {scorePair} from './score.js'
import type {PairRow, PairValue, RatingRankingParams} from './types.js'
import {ratingRankingStats} from './stats.js'
import {ratingRankingViews} from './view.js'

export interface RatingRankingSummary extends ConsistencySummary {
  /** Pairs dropped as repeats of an earlier pair (same key columns). */
  duplicates: number
  /** The consistency figures per annotator, for pairs that name one. */
  byAnnotator?: Record<string, ConsistencySummary>
  /** Win rate of response B under each protocol, over the counted pairs. */
  winRateB: {ratings: WinRate; rankings: WinRate}
  bias: {ratings: ProtocolBias; rankings: ProtocolBias; ratingVsLength: RatingLengthCorrelation}
}

/**
 * rating-ranking: how often the preference implied by two ratings agrees with the ranking
 * of the same pair, and what the two protocols favour (Bansal et al. 2023). See README.md.
 */
const ratingRanking: Metric<PairRow, RatingRankingParams, PairValue, RatingRankingSummary> = {
  id: 'rating-ranking',
  version: '0.1.0',
  description: 'Consistency between preferences from ratings and from rankings, with length and win-rate bias analyses.',
  reference: 'Peering Through Preferences (Bansal et al. 2023), github Hritikbansal/sparse_feedback scripts/consistency.py',
  inputs: [pairsInput, ratingsInput, rankingsInput],
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      bootstrapIterations: {type: 'integer', minimum: 1, maximum: 1000000, default: 1000, description: 'resamples for the bias analysis\'s paired bootstrap intervals'},
      seed: {type: 'integer', minimum: 0, maximum: 4294967295, default: 0, description: 'seed of the bootstrap, so intervals are reproducible'},
      confidence: {type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1, default: 0.95, description: 'coverage of the bootstrap intervals'},
    },
  },
  stats: ratingRankingStats,
  views: ratingRankingViews,
  batchSize: 1024,

  combine(inputs) {
    return combinePairs(inputs)
  },

  async score(batch) {
    return batch.map(scorePair)
  },

  summarize(scored, {params, logger}) {
    const values = scored.map((s) => s.value)
    if (scored.length > 0 && !values.some((v) => v.status === 'counted')) {
      logger.warn(
        'rating-ranking: no pair could be counted: every pair has an unrated response (or is a duplicate). ' +
          'Check that the ratings and rankings files share the same instruction, input and output texts.',
      )
    }
    const counted = scored.filter(isCounted).map((s) => ({row: s.input, value: s.value}))
    const {pairs, skipped, consistency, inconsistency, confusion} = summarizeConsistency(values)
    const annotators = groupByAnnotator(scored)
    return {
      pairs,
      skipped,
      duplicates: values.filter((v) => v.status === 'duplicate').length,
      consistency,
      inconsistency,
      confusion,
      ...(annotators.size === 0 ? {} : {byAnnotator: Object.fromEntries([...annotators].map(([annotator, group]) => [annotator, summarizeConsistency(group)]))}),
      winRateB: winRatesOfB(counted),
      bias: {...preferenceBias(counted, params), ratingVsLength: ratingLengthCorrelation(counted)},
      inconsistentExamples: inconsistentExamples(scored),
    }
  },
}

/** How many disagreeing pairs the summary quotes, and how much of each text. */
const EXAMPLES = 5
const EXCERPT = 160

/** The first pairs whose ratings and ranking disagree, quoted for the report. */
function inconsistentExamples(scored: ReadonlyArray<ScoredRow<PairRow, PairValue>>) {
  const cut = (text: string) => (text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text)
  return scored
    .filter((s) => s.value.agree === false)
    .slice(0, EXAMPLES)
    .map(({row, input, value}) => ({
      row,
      instruction: cut(input.instruction),
      responseA: cut(input.responseA),
      responseB: cut(input.responseB),
      ratingA: input.ratingA,
      ratingB: input.ratingB,
      fromRatings: value.fromRatings,
      fromRanking: value.fromRanking,
    }))
}

export default ratingRanking

function isCounted(s: ScoredRow<PairRow, PairValue>): s is ScoredRow<PairRow, CountedPair['value']> {
  return s.value.status === 'counted'
}

/** Values of the pairs that name an annotator, by annotator, in first-seen order. */
function groupByAnnotator(scored: ReadonlyArray<ScoredRow<PairRow, PairValue>>): Map<string, PairValue[]> {
  const groups = new Map<string, PairValue[]>()
  for (const {input, value} of scored) {
    if (input.annotator === undefined) continue
    const group = groups.get(input.annotator) ?? []
    group.push(value)
    groups.set(input.annotator, group)
  }
  return groups
}
