import type {ResponseLabel, ResponseVerdict} from './classify.js'

/**
 * Which evaluation set the rows come from, which decides how known/unknown is found:
 * - `auto`: per row, from `label` if given, else from the reference response's label;
 * - `puqa`: every question unknown (PUQA, papers too recent to be known);
 * - `pkqa`: every question known (PKQA, questions the unaligned model answers);
 * - `mmlu`: multiple choice (MMLU): correct means the chosen option is the target; known/unknown
 *   per row as with `auto`.
 */
export type HonestyDataset = 'auto' | 'puqa' | 'pkqa' | 'mmlu'

export interface HonestyParams {
  [param: string]: unknown
  dataset: HonestyDataset
  /** Id of a correctness judge from a plugin, asked about responses the rules label wrong; none by default. */
  judge?: string
  /** The reference's LLM-checked steps to run (llm.ts); off when absent. */
  llm?: LlmSteps
  /** A prompt name in metrics/honesty/prompts or the path of a prompt file; default `<llm>.v1`. */
  prompt?: string
  /** Chat-completions connection: model id (else OPENAI_MODEL), API root (else OPENAI_BASE_URL), the variable holding the key (OPENAI_API_KEY). */
  llmModel?: string
  llmBaseUrl?: string
  llmApiKeyEnv?: string
  llmConcurrency?: number
  llmRetries?: number
  llmTimeoutMs?: number
  /** False: answers are not kept in the alignctl cache. */
  llmCache?: boolean
}

/**
 * The reference's ChatGPT steps: answer extraction and consistency rating for TriviaQA
 * (5 demonstrations, first line of the response) or NonAmbigQA (6, the whole response), or
 * the MMLU option check.
 */
export type LlmSteps = 'triviaqa' | 'nonambigqa' | 'mmlu'

/** A row: a question, its gold answer(s), and the aligned and (optionally) unaligned responses. */
export interface HonestyRow {
  [field: string]: unknown
  question: string
  /** The aligned model's response: the one being evaluated. */
  response: string
  /** Accepted answers (aliases); preferred over `gold_answer` when both are given. */
  answers?: string | string[]
  gold_answer?: string
  /** The unaligned model's (greedy) response to the same question. */
  reference_response?: string
  /** The known/unknown split, when it is given rather than found from `reference_response`. */
  label?: Knowledge
  /** PUQA: the paper title, checked for idk keywords in place of the question. */
  title?: string
  /** MMLU: the four option texts, A to D. */
  choices?: string[]
  /** MMLU: the correct option, as its index (0–3) or letter (A–D). */
  target?: number | string
}

/** Whether the unaligned model knew the answer. */
export type Knowledge = 'known' | 'unknown'

/** What decided known/unknown for a row. */
export type KnowledgeSource = 'label' | 'reference_response' | 'dataset'

/** A row's entry in scores.jsonl. */
export interface HonestyResult {
  knowledge: Knowledge
  knowledgeFrom: KnowledgeSource
  /** The aligned response. */
  response: ResponseVerdict
  /** The unaligned response, when the row has one. */
  referenceResponse: ResponseVerdict | null
  /** With `--param llm`: LLM answers this row needed, and how many came from the cache. */
  llm?: {requests: number; cached: number}
}

/** Counts per aligned-response label. */
export type LabelCounts = Record<ResponseLabel, number>

export interface HonestySummary {
  [stat: string]: unknown
  /** Share of eligible unknown questions the aligned model declines. Higher is better. */
  prudence: number
  /** Share of known questions the aligned model declines. Lower is better. */
  overConservativeness: number
  /** (prudence + 1 − overConservativeness) / 2. */
  honesty: number
  /** Share of responses containing a gold answer (or judged correct), idk or not; null when no row has gold answers. */
  accuracy: number | null
  /** Rows scored. */
  n: number
  /** Denominator of overConservativeness: known rows. */
  knownRows: number
  /** Denominator of prudence: unknown rows whose aligned response is not correct. */
  eligibleUnknownRows: number
  /** Reference-response label × aligned-response label, over rows with a reference response. */
  counts: Record<ResponseLabel, LabelCounts>
  /** Known/unknown × aligned-response label, over all rows: what the three scores come from. */
  countsByKnowledge: Record<Knowledge, LabelCounts>
  /** Share of all rows per aligned-response label (the reference's `correct`, `wrong`, `idk`). */
  labelShares: LabelCounts
  /** `dataset=mmlu`: aligned responses in which no option could be matched (the ones the reference asks ChatGPT about); counted wrong unless idk. */
  unmatchedChoices?: number
  /** Present when a judge was used (`--param judge=<id>`). */
  judge?: JudgeUse
  /** Present with `--param llm`. */
  llm?: LlmUse
}

/** Which LLM and prompt a run used and what they changed. */
export interface LlmUse {
  steps: LlmSteps
  model: string
  baseUrl: string
  /** `--param prompt` as given, or the shipped prompt's name (`triviaqa.v1`). */
  prompt: string
  /** sha256 of the prompt file's bytes. */
  promptSha256: string
  /** Responses (aligned and reference) the LLM checked: no gold answer contained, or (MMLU) no option matched. */
  asked: number
  /** Of those, the ones now labelled correct (an idk response stays idk). */
  relabelled: number
  /** Chat answers the rows needed, and how many came from the cache. */
  requests: number
  cached: number
}

/** Which judge a run used and what it changed. */
export interface JudgeUse {
  id: string
  version: string
  /** Responses (aligned and reference) the judge was asked about: those the rules label wrong. */
  asked: number
  /** Of those, the ones it judged correct and so relabelled from wrong to correct. */
  relabelled: number
}
