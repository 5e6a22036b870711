import type {MetricInput} from '../../src/kernel/interfaces/index.js'
import {RANKING_LABELS} from './labels.js'
import type {PairSource} from './types.js'

/** A row of the `default` input: one pair, both ratings and the ranking. */
export interface PairInputRow {
  [field: string]: unknown
  id?: string | number
  instruction: string
  input?: string | null
  response_a: string
  response_b: string
  rating_a?: number | null
  rating_b?: number | null
  ranking: string
  annotator?: string | number
}

/** A row of the `ratings` input: one rated response. */
export interface RatingInputRow {
  [field: string]: unknown
  instruction: string
  input?: string | null
  output: string
  rating: number
}

/** A row of the `rankings` input: one ranked pair of responses. */
export interface RankingInputRow {
  [field: string]: unknown
  id?: string | number
  instruction: string
  input?: string | null
  output1: string
  output2: string
  ranking: string
}

const id = {type: ['string', 'integer'], description: 'row id, copied to scores.jsonl'}
const instruction = {type: 'string', description: 'the instruction the responses answer'}
// Text (not a missing value) when a CSV cell is empty: an empty input is a value, as in the reference.
const input = {type: ['string', 'null'], description: 'the instruction\'s input; empty, absent or "nan" all mean none'}
// Only the labels the input accepts, exactly as written: any other label is a bad input row
// (exit 2 naming file, line and field, or skipped and listed with --on-error skip).
function ranking(source: PairSource) {
  const labels = Object.keys(RANKING_LABELS[source])
  const list = `${labels.slice(0, -1).map((l) => JSON.stringify(l)).join(', ')} or ${JSON.stringify(labels.at(-1))}`
  return {type: 'string', enum: labels, description: `which response is preferred: ${list}`}
}

export const pairsInput: MetricInput = {
  name: 'default',
  description: 'one pair per row: instruction, input, response_a, response_b, rating_a, rating_b, ranking (a, b or equal), annotator',
  optional: true,
  rowSchema: {
    type: 'object',
    required: ['instruction', 'response_a', 'response_b', 'ranking'],
    properties: {
      id,
      instruction,
      input,
      response_a: {type: 'string', description: 'the first response'},
      response_b: {type: 'string', description: 'the second response'},
      // Not required: a pair with a missing rating is skipped and counted, not an input error.
      rating_a: {type: ['number', 'null'], description: 'rating of response_a (higher is better); empty if unrated'},
      rating_b: {type: ['number', 'null'], description: 'rating of response_b (higher is better); empty if unrated'},
      ranking: ranking('default'),
      annotator: {type: ['string', 'integer'], description: 'who gave the feedback; the summary breaks down by it'},
    },
  },
  // Header-less CSV: these seven columns in this order (a file with annotators needs a header).
  columns: ['instruction', 'input', 'response_a', 'response_b', 'rating_a', 'rating_b', 'ranking'],
}

export const ratingsInput: MetricInput = {
  name: 'ratings',
  description: 'rated responses, as sparse_feedback releases them: instruction, input, output, rating (CSV with or without a header)',
  optional: true,
  rowSchema: {
    type: 'object',
    required: ['instruction', 'output', 'rating'],
    properties: {
      instruction,
      input,
      output: {type: 'string', description: 'the rated response'},
      rating: {type: 'number', description: 'its rating, higher is better (1-7 in the reference data)'},
    },
  },
  columns: ['instruction', 'input', 'output', 'rating'],
  aliases: {response: 'output', score: 'rating'},
}

export const rankingsInput: MetricInput = {
  name: 'rankings',
  description: 'ranked pairs, as sparse_feedback releases them: instruction, input, output1, output2, ranking ((a), (b) or equal)',
  optional: true,
  rowSchema: {
    type: 'object',
    required: ['instruction', 'output1', 'output2', 'ranking'],
    properties: {
      id,
      instruction,
      input,
      output1: {type: 'string', description: 'the first response of the pair'},
      output2: {type: 'string', description: 'the second response of the pair'},
      ranking: ranking('rankings'),
    },
  },
  columns: ['instruction', 'input', 'output1', 'output2', 'ranking'],
  // The names the reference's win-rate script and converters use.
  aliases: {response1: 'output1', response2: 'output2', feedback: 'ranking'},
}
