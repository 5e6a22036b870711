import type {JsonSchema, MetricInput} from '../../src/kernel/interfaces/index.js'
import type {Aggregation} from './aggregate.js'
import type {StopwordList} from './stopwords.js'
import type {CleantextVersion} from './text.js'

export const ASPECTS = ['consistency', 'relevance', 'preservation', 'engagingness', 'groundedness', 'factual-consistency'] as const
export type Aspect = (typeof ASPECTS)[number]

/** Aligner kinds and the reference's named settings (ctc_score/configs.py). */
export const E_ALIGNERS = ['E-bert', 'E-roberta', 'E-roberta-mnli'] as const
export const DR_SETTINGS = ['cnndm', 'xsum', 'yelp', 'topical_chat', 'persona_chat'] as const
export const ALIGNERS = [...E_ALIGNERS, 'D', 'R', ...DR_SETTINGS.flatMap((s) => [`D-${s}`, `R-${s}`]), 'D-mix-albert'] as const
export type AlignerName = (typeof ALIGNERS)[number]

export interface CtcRow {
  [field: string]: unknown
  id?: string | number
  document?: string
  summary?: string
  references?: string[]
  input?: string
  output?: string
  history?: string
  fact?: string
  response?: string
  grounding?: string
  hypothesis?: string
}

export interface CtcParams {
  [param: string]: unknown
  /** One aspect, several joined by commas, or a list. */
  aspect: string | string[]
  aligner?: AlignerName
  /** Default: the scorer's own (dialog `sum`, the others `mean`). */
  aggregation?: Aggregation
  /** Default: the scorer's own (dialog on, the others off). */
  stopwords?: boolean
  rescale: boolean
  /** Baseline B for `rescale` when the pack is not one whose published baseline alignctl knows. */
  baseline?: number
  /** Packs by the reference's aligner names (`summ_to_ref`), for D and R aspects that use several checkpoints. */
  packs?: Record<string, string>
  prefixSpace: boolean
  cleantext: CleantextVersion
  decodeCleanup: boolean
  stopwordList: StopwordList
}

const text = (description: string): JsonSchema => ({type: 'string', description})

export const input: MetricInput = {
  name: 'default',
  description: 'one generated text per row, with the fields of its task: summarization {document, summary, references[]}, style transfer {input, output}, dialog {history, fact, response}, factual consistency {grounding, hypothesis}',
  rowSchema: {
    type: 'object',
    properties: {
      id: {type: ['string', 'integer'], description: 'row id, copied to scores.jsonl'},
      document: text('summarization: the source document'),
      summary: text('summarization: the summary to score'),
      references: {type: 'array', items: {type: 'string'}, description: 'summarization: reference summaries (relevance)'},
      input: text('style transfer: the input sentence'),
      output: text('style transfer: the transferred sentence to score'),
      history: text('dialog: the conversation so far'),
      fact: text('dialog: the knowledge the response should use'),
      response: text('dialog: the response to score'),
      grounding: text('factual consistency: the grounding text'),
      hypothesis: text('factual consistency: the text to check'),
    },
  },
  aliases: {
    source: 'document',
    article: 'document',
    hypo: 'summary',
    refs: 'references',
    knowledge: 'fact',
    premise: 'grounding',
    claim: 'hypothesis',
  },
}

export const paramsSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['aspect'],
  properties: {
    aspect: {
      anyOf: [{type: 'string'}, {type: 'array', items: {enum: [...ASPECTS]}, minItems: 1}],
      description: `aspects to compute, comma-separated: ${ASPECTS.join(', ')}`,
    },
    aligner: {enum: [...ALIGNERS], description: 'E-bert, E-roberta, E-roberta-mnli (embedding), D or D-<setting> (discriminative), R or R-<setting> (regression); default: what the --model pack is, else E-roberta'},
    aggregation: {enum: ['mean', 'sum'], description: "how token scores become one: default the reference scorer's (dialog sum, others mean)"},
    stopwords: {type: 'boolean', description: "drop NLTK English stopwords before aggregating: default the reference scorer's (dialog on, others off)"},
    rescale: {type: 'boolean', default: false, description: "E aligners, preservation only (as the reference): rescale with bert_score's baseline, (s - B)/(1 - B)"},
    baseline: {type: 'number', description: 'the baseline B for rescale, for packs whose published baseline alignctl does not know'},
    packs: {type: 'object', additionalProperties: {type: 'string'}, description: 'D/R packs by the reference aligner name (doc_to_summ, summ_to_ref, sent_to_sent, fact_to_response, fact_history_to_response); --model serves the others'},
    prefixSpace: {type: 'boolean', default: true, description: 'E-roberta: bert_score <= 0.3.9 prepends a space to each text (true); later versions may not (bert_score issue #147)'},
    cleantext: {enum: ['1.1.3', '1.1.4'], default: '1.1.3', description: "D: the cleantext release whose clean() the reference's text_clean calls"},
    decodeCleanup: {type: 'boolean', default: true, description: "D (and the text of E tokens): transformers' decode clean-up of spaces before punctuation (true in the 4.x releases of the paper's era)"},
    stopwordList: {enum: ['179', '198'], default: '179', description: "NLTK's English stopword list: 179 words (before Feb 2025) or 198 (after)"},
  },
}
