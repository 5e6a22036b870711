import {usageError} from '../../src/kernel/errors.js'
import type {InputRow} from '../../src/kernel/interfaces/index.js'
import type {PairInputRow, RankingInputRow, RatingInputRow} from './inputs.js'
import {referenceKey} from './reference-keys.js'
import type {PairRow} from './types.js'

/**
 * Builds the pairs to score from the inputs given: the `default` file alone, or `ratings`
 * and `rankings` together. Any other combination is a usage error saying what to pass.
 */
export function combinePairs(inputs: Readonly<Record<string, readonly InputRow[]>>): PairRow[] {
  const {default: pairs, ratings, rankings} = inputs
  if (pairs !== undefined && ratings === undefined && rankings === undefined) return pairsFromRows(pairs as readonly PairInputRow[])
  if (pairs === undefined && ratings !== undefined && rankings !== undefined) {
    return pairsFromFeedbackFiles(ratings as readonly RatingInputRow[], rankings as readonly RankingInputRow[])
  }
  throw usageError(
    `Metric "rating-ranking" reads either one file of pairs, or a ratings file and a rankings file together; it was given ${describeGiven(inputs)}.`,
    'Pass --input pairs.jsonl (rows with instruction, response_a, response_b, rating_a, rating_b, ranking), or --input ratings=ratings.csv --input rankings=rankings.csv.',
  )
}

function describeGiven(inputs: Readonly<Record<string, unknown>>): string {
  const names = ['default', 'ratings', 'rankings'].filter((name) => inputs[name] !== undefined)
  const describe = (name: string) => (name === 'default' ? 'a file of pairs (--input <path>)' : `a ${name} file (--input ${name}=...)`)
  if (names.length === 0) return 'none of them'
  if (names.length === 1) return `only ${describe(names[0]!)}`
  return names.map(describe).join(' and ')
}

/**
 * Pairs from the two released files, following consistency.py: duplicates dropped on the key
 * columns keeping the first (ratings: instruction, input, output; rankings: instruction,
 * input, output1, output2, not the label), then each response's rating looked up by
 * (instruction, input, output) with pandas' notion of a missing field (reference-keys.ts).
 */
function pairsFromFeedbackFiles(ratings: readonly RatingInputRow[], rankings: readonly RankingInputRow[]): PairRow[] {
  const ratingByResponse = new Map<string, number>()
  for (const row of ratings) {
    const key = referenceKey(row.instruction, row.input, row.output)
    if (!ratingByResponse.has(key)) ratingByResponse.set(key, row.rating)
  }
  const firstRowByPair = new Map<string, number>()
  return rankings.map((row, index) => {
    const pairKey = referenceKey(row.instruction, row.input, row.output1, row.output2)
    const first = firstRowByPair.get(pairKey)
    if (first === undefined) firstRowByPair.set(pairKey, index)
    const responseKeyA = referenceKey(row.instruction, row.input, row.output1)
    const responseKeyB = referenceKey(row.instruction, row.input, row.output2)
    return withOptional(
      {
        source: 'rankings',
        instruction: row.instruction,
        input: row.input ?? '',
        responseA: row.output1,
        responseB: row.output2,
        ratingA: ratingByResponse.get(responseKeyA) ?? null,
        ratingB: ratingByResponse.get(responseKeyB) ?? null,
        ranking: row.ranking,
        responseKeyA,
        responseKeyB,
      },
      {id: row.id, duplicateOf: first},
    )
  })
}

/**
 * Pairs from the one-file format. Duplicates are dropped the same way, on (annotator,
 * instruction, input, response_a, response_b): one annotator's repeat is dropped, another
 * annotator's judgement of the same pair is kept. Text is compared as written; an absent or
 * null input is the empty input.
 */
function pairsFromRows(rows: readonly PairInputRow[]): PairRow[] {
  const firstRowByPair = new Map<string, number>()
  return rows.map((row, index) => {
    const annotator = row.annotator === undefined ? undefined : String(row.annotator)
    const input = row.input ?? ''
    const pairKey = JSON.stringify([annotator ?? null, row.instruction, input, row.response_a, row.response_b])
    const first = firstRowByPair.get(pairKey)
    if (first === undefined) firstRowByPair.set(pairKey, index)
    return withOptional(
      {
        source: 'default',
        instruction: row.instruction,
        input,
        responseA: row.response_a,
        responseB: row.response_b,
        ratingA: row.rating_a ?? null,
        ratingB: row.rating_b ?? null,
        ranking: row.ranking,
        responseKeyA: JSON.stringify([annotator ?? null, row.instruction, input, row.response_a]),
        responseKeyB: JSON.stringify([annotator ?? null, row.instruction, input, row.response_b]),
      },
      {id: row.id, duplicateOf: first, annotator},
    )
  })
}

/** Adds the optional fields that have a value (exactOptionalPropertyTypes forbids `undefined`). */
function withOptional(pair: PairRow, optional: {id?: string | number | undefined; duplicateOf?: number | undefined; annotator?: string | undefined}): PairRow {
  for (const [field, value] of Object.entries(optional)) if (value !== undefined) pair[field] = value
  return pair
}
