/**
 * The CTC aspects as the reference scorers compute them (ctc_score/*_scorer.py): which texts
 * each align call takes as input and context, which checkpoint ("aligner name") it asks for,
 * the scorer's defaults, and how the aligned values combine.
 */
import {harmonicMean, type Aggregation} from './aggregate.js'
import type {Aspect, CtcRow} from './schemas.js'
import {pyStrip} from './text.js'

/** The reference's names for the D/R checkpoints of a setting (configs.py DR_MODEL_LINKS). */
export type CheckpointName = 'doc_to_summ' | 'summ_to_ref' | 'sent_to_sent' | 'fact_to_response' | 'fact_history_to_response'

/** Which checkpoints each D/R setting has (configs.py DR_MODEL_LINKS). */
export const SETTING_CHECKPOINTS: Readonly<Record<string, readonly CheckpointName[]>> = {
  cnndm: ['doc_to_summ', 'summ_to_ref'],
  xsum: ['doc_to_summ'],
  yelp: ['sent_to_sent'],
  topical_chat: ['fact_to_response', 'fact_history_to_response'],
  persona_chat: ['fact_to_response', 'fact_history_to_response'],
  'mix-albert': ['doc_to_summ'],
}

/** One align(input → context) call of an aspect. */
export interface AlignCall {
  checkpoint: CheckpointName
  input: string
  context: string
  /** Where the texts came from, for explanations: `summary`, `references[1]`, `fact + history`. */
  inputField: string
  contextField: string
}

export interface AspectSpec {
  /** The reference scorer it belongs to, for messages. */
  task: 'summarization' | 'style transfer' | 'dialog' | 'factual consistency'
  fields: readonly (keyof CtcRow & string)[]
  aggregation: Aggregation
  stopwords: boolean
  checkpoints: readonly CheckpointName[]
  /** Which call scores the generated text itself (its tokens are the ones the report highlights). */
  spanCall: number
  /** The row's align calls, in the order the scorer makes them. */
  calls(row: CtcRow): AlignCall[] | {error: string}
  /** The aspect's value from the calls' aggregates (same order); an error where the reference divides by zero. */
  combine(values: readonly number[]): number | {error: string}
}

const str = (row: CtcRow, field: string): string => row[field] as string

export const ASPECT_SPECS: Readonly<Record<Aspect, AspectSpec>> = {
  // summarization_scorer.py: consistency = align(hypo → doc) with the doc_to_summ aligner.
  consistency: {
    task: 'summarization',
    fields: ['document', 'summary'],
    aggregation: 'mean',
    stopwords: false,
    checkpoints: ['doc_to_summ'],
    spanCall: 0,
    calls: (row) => [{checkpoint: 'doc_to_summ', input: str(row, 'summary'), context: str(row, 'document'), inputField: 'summary', contextField: 'document'}],
    combine: ([value]) => value!,
  },
  // relevance = align(hypo → doc) · mean over refs of align(ref → hypo) (summ_to_ref aligner).
  relevance: {
    task: 'summarization',
    fields: ['document', 'summary', 'references'],
    aggregation: 'mean',
    stopwords: false,
    checkpoints: ['doc_to_summ', 'summ_to_ref'],
    spanCall: 0,
    calls: (row) => {
      const references = row.references!
      if (references.length === 0) return {error: 'field "references" is an empty list: relevance averages over the reference summaries, and there are none (the reference divides by zero). Give the row at least one reference, or leave relevance out.'}
      return [
        {checkpoint: 'doc_to_summ', input: str(row, 'summary'), context: str(row, 'document'), inputField: 'summary', contextField: 'document'},
        ...references.map((reference, i): AlignCall => ({checkpoint: 'summ_to_ref', input: reference, context: str(row, 'summary'), inputField: `references[${i}]`, contextField: 'summary'})),
      ]
    },
    combine: ([consistency, ...references]) => consistency! * (references.reduce((s, v) => s + v, 0) / references.length),
  },
  // style_transfer_scorer.py: 2ab/(a+b) of the two directions (sent_to_sent aligner).
  preservation: {
    task: 'style transfer',
    fields: ['input', 'output'],
    aggregation: 'mean',
    stopwords: false,
    checkpoints: ['sent_to_sent'],
    spanCall: 1,
    calls: (row) => [
      {checkpoint: 'sent_to_sent', input: str(row, 'input'), context: str(row, 'output'), inputField: 'input', contextField: 'output'},
      {checkpoint: 'sent_to_sent', input: str(row, 'output'), context: str(row, 'input'), inputField: 'output', contextField: 'input'},
    ],
    combine: ([a, b]) => harmonicMean(a!, b!) ?? {error: `the two alignments sum to 0 (input → output ${a}, output → input ${b}), so their harmonic mean is undefined (the reference divides by zero).`},
  },
  // dialog_scorer.py: engagingness = align(response → fact.strip() + "\n\n\n" + history.strip()).
  engagingness: {
    task: 'dialog',
    fields: ['history', 'fact', 'response'],
    aggregation: 'sum',
    stopwords: true,
    checkpoints: ['fact_history_to_response'],
    spanCall: 0,
    calls: (row) => [
      {
        checkpoint: 'fact_history_to_response',
        input: str(row, 'response'),
        context: `${pyStrip(str(row, 'fact'))}\n\n\n${pyStrip(str(row, 'history'))}`,
        inputField: 'response',
        contextField: 'fact + history',
      },
    ],
    combine: ([value]) => value!,
  },
  // groundedness = align(response → fact).
  groundedness: {
    task: 'dialog',
    fields: ['fact', 'response'],
    aggregation: 'sum',
    stopwords: true,
    checkpoints: ['fact_to_response'],
    spanCall: 0,
    calls: (row) => [{checkpoint: 'fact_to_response', input: str(row, 'response'), context: str(row, 'fact'), inputField: 'response', contextField: 'fact'}],
    combine: ([value]) => value!,
  },
  // factual_consistency_scorer.py: align(hypo → grounding) with the doc_to_summ aligner.
  'factual-consistency': {
    task: 'factual consistency',
    fields: ['grounding', 'hypothesis'],
    aggregation: 'mean',
    stopwords: false,
    checkpoints: ['doc_to_summ'],
    spanCall: 0,
    calls: (row) => [{checkpoint: 'doc_to_summ', input: str(row, 'hypothesis'), context: str(row, 'grounding'), inputField: 'hypothesis', contextField: 'grounding'}],
    combine: ([value]) => value!,
  },
}

/** The first field an aspect needs that the row lacks, if any. */
export function missingField(row: CtcRow, aspect: Aspect): string | undefined {
  return ASPECT_SPECS[aspect].fields.find((field) => row[field] === undefined || row[field] === null)
}
