import type {RowOutcome} from '../../src/kernel/interfaces/index.js'
import {parseRanking, preferenceFromRatings, preferencesAgree} from './labels.js'
import type {PairRow, PairValue, Side} from './types.js'

/**
 * The outcome of one pair, checked in the reference's order of effect: a duplicate is
 * dropped whatever it says; a pair with an unrated response is skipped; the rest are
 * counted. (Unknown ranking labels never get here: the input schemas reject them.)
 */
export function scorePair(pair: PairRow): RowOutcome<PairValue> {
  if (pair.duplicateOf !== undefined) {
    return {value: {status: 'duplicate', fromRatings: null, fromRanking: null, agree: null, duplicateOf: pair.duplicateOf}}
  }
  const fromRanking = parseRanking(pair.ranking, pair.source)
  const unrated: Side[] = []
  if (pair.ratingA === null) unrated.push('a')
  if (pair.ratingB === null) unrated.push('b')
  if (pair.ratingA === null || pair.ratingB === null) {
    return {value: {status: 'unrated', fromRatings: null, fromRanking, agree: null, unrated}}
  }
  const fromRatings = preferenceFromRatings(pair.ratingA, pair.ratingB)
  return {value: {status: 'counted', fromRatings, fromRanking, agree: preferencesAgree(fromRatings, fromRanking)}}
}
