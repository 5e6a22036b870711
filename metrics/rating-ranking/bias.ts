import {mean, normalMeanInterval, pairedMeanDifference, pearson, spearman} from '../../src/kernel/stats/index.js'
import type {PairRow, PairValue, RatingRankingParams, Side} from './types.js'

/**
 * Bias analyses over the counted pairs (issue 7, item 4). The reference repository has no
 * script for the length and unique-token analysis, so those definitions are alignctl's own;
 * the win rates follow calc_win_rate_from_{ratings,rankings}_eval.py.
 */

/** A counted pair: not a repeat, and both responses rated. */
export interface CountedPair {
  row: PairRow
  value: PairValue & {status: 'counted'}
}

// Python's str.split() whitespace, so that scripts/fixtures counts the same words.
const WHITESPACE = /[\t\n\v\f\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/

function tokens(text: string): string[] {
  return text.split(WHITESPACE).filter((token) => token !== '')
}

/** Length in words: the number of whitespace-separated tokens. */
export function wordCount(text: string): number {
  return tokens(text).length
}

/** Distinct lower-cased whitespace-separated tokens (punctuation stays attached). */
export function uniqueTokenCount(text: string): number {
  return new Set(tokens(text.toLowerCase())).size
}

/** NaN (undefined statistic) as null, since JSON has no NaN. */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null
}

export interface WinRate {
  /** Pairs it is computed over. */
  pairs: number
  /** Mean of 1 (B preferred), 0.5 (tie), 0 (A preferred). */
  mean: number | null
  /** 1.96 · SEM (ddof = 1): the half-width the reference prints as "95% CI" (×100 there). */
  ci95: number | null
  low: number | null
  high: number | null
}

function winRate(wins: readonly number[]): WinRate {
  const interval = normalMeanInterval(wins, 1.96)
  return {
    pairs: wins.length,
    mean: finiteOrNull(interval.mean),
    ci95: finiteOrNull(interval.halfWidth),
    low: finiteOrNull(interval.low),
    high: finiteOrNull(interval.high),
  }
}

const WIN_OF_B = {equal: 0.5, A: 0, B: 1, a: 0, b: 1} as const

/** How often response B wins under each protocol, a tie counting one half. */
export function winRatesOfB(pairs: readonly CountedPair[]): {ratings: WinRate; rankings: WinRate} {
  return {
    ratings: winRate(pairs.map((p) => WIN_OF_B[p.value.fromRatings!])),
    rankings: winRate(pairs.map((p) => WIN_OF_B[p.value.fromRanking!])),
  }
}

export interface PreferredVsOther {
  /** Mean over decisive pairs of the preferred response's count. */
  preferred: number | null
  nonPreferred: number | null
  /** preferred − nonPreferred, with its paired bootstrap interval. */
  difference: number | null
  low: number | null
  high: number | null
}

export interface ProtocolBias {
  /** Pairs where the protocol prefers one response (ties have no preferred response). */
  pairs: number
  length: PreferredVsOther
  uniqueTokens: PreferredVsOther
}

function compare(preferred: readonly number[], other: readonly number[], params: RatingRankingParams): PreferredVsOther {
  if (preferred.length === 0) return {preferred: null, nonPreferred: null, difference: null, low: null, high: null}
  const paired = pairedMeanDifference(preferred, other, {iterations: params.bootstrapIterations, seed: params.seed, confidence: params.confidence})
  return {
    preferred: mean(preferred),
    nonPreferred: mean(other),
    difference: paired.difference,
    low: finiteOrNull(paired.low),
    high: finiteOrNull(paired.high),
  }
}

function protocolBias(pairs: readonly CountedPair[], preferredSide: (pair: CountedPair) => Side | undefined, params: RatingRankingParams): ProtocolBias {
  const length = {preferred: [] as number[], other: [] as number[]}
  const unique = {preferred: [] as number[], other: [] as number[]}
  for (const pair of pairs) {
    const side = preferredSide(pair)
    if (side === undefined) continue
    const [chosen, rejected] = side === 'a' ? [pair.row.responseA, pair.row.responseB] : [pair.row.responseB, pair.row.responseA]
    length.preferred.push(wordCount(chosen))
    length.other.push(wordCount(rejected))
    unique.preferred.push(uniqueTokenCount(chosen))
    unique.other.push(uniqueTokenCount(rejected))
  }
  // Both comparisons resample with the same seed, hence the same pairs in each iteration.
  return {
    pairs: length.preferred.length,
    length: compare(length.preferred, length.other, params),
    uniqueTokens: compare(unique.preferred, unique.other, params),
  }
}

const SIDE_OF = {A: 'a', B: 'b', a: 'a', b: 'b', equal: undefined} as const

/** Length and unique tokens of the preferred vs the other response, under each protocol. */
export function preferenceBias(pairs: readonly CountedPair[], params: RatingRankingParams): {ratings: ProtocolBias; rankings: ProtocolBias} {
  return {
    ratings: protocolBias(pairs, (p) => SIDE_OF[p.value.fromRatings!], params),
    rankings: protocolBias(pairs, (p) => SIDE_OF[p.value.fromRanking!], params),
  }
}

export interface RatingLengthCorrelation {
  /** Distinct rated responses of the counted pairs. */
  responses: number
  pearson: number | null
  spearman: number | null
}

/** Correlation of a response's rating with its length in words, each response counted once. */
export function ratingLengthCorrelation(pairs: readonly CountedPair[]): RatingLengthCorrelation {
  const seen = new Map<string, {rating: number; words: number}>()
  const add = (key: string, rating: number | null, text: string) => {
    if (rating !== null && !seen.has(key)) seen.set(key, {rating, words: wordCount(text)})
  }
  for (const {row} of pairs) {
    add(row.responseKeyA, row.ratingA, row.responseA)
    add(row.responseKeyB, row.ratingB, row.responseB)
  }
  const ratings = [...seen.values()].map((r) => r.rating)
  const words = [...seen.values()].map((r) => r.words)
  return {responses: seen.size, pearson: finiteOrNull(pearson(ratings, words)), spearman: finiteOrNull(spearman(ratings, words))}
}
