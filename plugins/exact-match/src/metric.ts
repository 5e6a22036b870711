import type {Metric} from 'alignctl'

/** A row: the model's answer and the answer(s) it should match. */
export interface ExactMatchRow {
  [field: string]: unknown
  prediction: string
  references: string | string[]
}

export interface ExactMatchParams {
  [param: string]: unknown
  /** `none` compares strings as they are; `lower` ignores case; `squad` also drops punctuation and articles. */
  normalize: 'none' | 'lower' | 'squad'
}

export interface ExactMatchResult {
  match: boolean
  /** The reference that matched, if any. */
  matched: string | null
}

export interface ExactMatchSummary {
  [stat: string]: unknown
  exactMatch: number
  n: number
}

const ARTICLES = /\b(a|an|the)\b/g
const PUNCTUATION = /[\p{P}\p{S}]/gu

export function normalize(text: string, mode: ExactMatchParams['normalize']): string {
  if (mode === 'none') return text
  const lower = text.toLowerCase()
  if (mode === 'lower') return lower.trim()
  return lower.replace(PUNCTUATION, ' ').replace(ARTICLES, ' ').replace(/\s+/g, ' ').trim()
}

/**
 * The metric object alignctl runs. Everything alignctl needs to validate input, show help
 * (`alignctl metrics info exact-match`) and write reports is declared here.
 */
export const exactMatch: Metric<ExactMatchRow, ExactMatchParams, ExactMatchResult, ExactMatchSummary> = {
  id: 'exact-match',
  version: '0.1.0',
  description: 'Share of predictions that equal one of their references (after optional normalisation).',
  reference: 'SQuAD exact match (Rajpurkar et al. 2016)',
  inputs: [
    {
      name: 'default',
      description: 'one prediction and its reference answer(s) per row',
      rowSchema: {
        type: 'object',
        required: ['prediction', 'references'],
        properties: {
          id: {type: ['string', 'integer']},
          prediction: {type: 'string', description: 'the model output'},
          // A single reference may be given as a string; it is wrapped in a list before scoring.
          references: {type: ['array', 'string'], items: {type: 'string'}, minItems: 1, description: 'accepted answers'},
        },
      },
      columns: ['prediction', 'references'],
      aliases: {output: 'prediction', answer: 'references', reference: 'references'},
    },
  ],
  paramsSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      normalize: {enum: ['none', 'lower', 'squad'], default: 'squad', description: 'how strings are normalised before comparing'},
    },
  },
  // What each summary stat means and which way is better: gates, `compare` and the report read this.
  stats: [
    {path: 'exactMatch', direction: 'higher', kind: 'quality', range: {min: 0, max: 1}, meaning: 'Share of predictions equal to one of their references after normalisation.'},
    {path: 'n', direction: 'none', kind: 'count', meaning: 'Rows scored.'},
  ],
  batchSize: 256,

  async score(batch, {params}) {
    return batch.map((row) => {
      const references = typeof row.references === 'string' ? [row.references] : row.references
      const prediction = normalize(row.prediction, params.normalize)
      const matched = references.find((r) => normalize(r, params.normalize) === prediction) ?? null
      return {value: {match: matched !== null, matched}}
    })
  },

  summarize(scored) {
    const matches = scored.filter((s) => s.value.match).length
    return {exactMatch: scored.length === 0 ? 0 : matches / scored.length, n: scored.length}
  },
}
