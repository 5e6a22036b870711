import type {JsonSchema, MetricInput} from '../../src/kernel/interfaces/index.js'
import {DEFAULT_PUNKT_VERSION, PUNKT_VERSIONS, type PunktVersion} from './punkt/index.js'

export const MODES = ['nli_sp', 'bin_sp', 'reg_sp', 'nli', 'bin', 'reg'] as const
export type Mode = (typeof MODES)[number]

export interface AlignScoreRow {
  [field: string]: unknown
  context: string
  claim: string
  id?: string | number
  /** Human binary judgement: 1 (or true) consistent, 0 (or false) not. */
  label?: number | boolean
  /** Human graded judgement, for correlations. */
  score?: number
  dataset?: string
  split?: string
}

export interface AlignScoreParams {
  [param: string]: unknown
  mode: Mode
  threshold?: number
  referenceBatchSize: number
  /** Which NLTK's `sent_tokenize` splits contexts and claims into sentences. */
  punkt: PunktVersion
  /** Adds the three NLI class probabilities to each result (nli modes only). */
  classes: boolean
}

export const input: MetricInput = {
  name: 'default',
  description: 'one claim to check against its context per row; optional human label or score for meta-evaluation',
  rowSchema: {
    type: 'object',
    required: ['context', 'claim'],
    properties: {
      id: {type: ['string', 'integer'], description: 'row id, copied to scores.jsonl'},
      context: {type: 'string', description: 'the text the claim should be consistent with'},
      claim: {type: 'string', description: 'the text to check (summary, answer, hypothesis)'},
      label: {type: ['integer', 'boolean'], minimum: 0, maximum: 1, description: 'human judgement: 1 consistent, 0 not'},
      score: {type: 'number', description: 'human graded judgement, for Pearson/Spearman/Kendall'},
      dataset: {type: 'string', description: 'dataset name, for the per-dataset breakdown'},
      split: {type: 'string', description: '"dev" rows tune the balanced-accuracy threshold'},
    },
  },
  columns: ['context', 'claim'],
  aliases: {premise: 'context', document: 'context', source: 'context', hypothesis: 'claim', summary: 'claim', output: 'claim'},
}

export const paramsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    mode: {enum: [...MODES], default: 'nli_sp', description: 'head and splitting: nli_sp (default), bin_sp, reg_sp split contexts into chunks and claims into sentences; nli, bin, reg score whole pairs'},
    threshold: {type: 'number', minimum: 0, maximum: 1, description: 'balanced-accuracy threshold; default: tuned on split=dev rows, else 0.5'},
    referenceBatchSize: {
      type: 'integer',
      minimum: 1,
      default: 32,
      description: "the reference's batch size, which decides which pairs share its longest_first fallback",
    },
    punkt: {
      type: 'string',
      enum: [...PUNKT_VERSIONS],
      default: DEFAULT_PUNKT_VERSION,
      description: `the NLTK version whose sentence splitting (nltk.sent_tokenize) is followed: ${DEFAULT_PUNKT_VERSION} (default, what an install of AlignScore gets today) or 3.8 (splits after closing curly quotes and guillemets less often)`,
    },
    classes: {
      type: 'boolean',
      default: false,
      description: 'nli_sp and nli modes: add the aligned, neutral and contradict probabilities to each claim sentence (nli: to the pair) in scores.jsonl; the score is unchanged',
    },
  },
}
