/** A judge's verdict on one pair: response A, response B, or neither. */
export type Preference = 'a' | 'b' | 'tie'

/** Factor values of one response, by factor name. */
export type FactorValues = Record<string, number>

/** One pairwise comparison (README.md, "Rows"). */
export interface ProfileRow {
  [field: string]: unknown
  id?: string | number
  task?: string
  prompt: string
  source?: string
  response_a: string
  response_b: string
  /** One verdict per judge (`human`, `gpt-4o`, ...). */
  preferences: Record<string, Preference>
  /** Factor values given with the data; they win over computed ones. */
  factors_a?: FactorValues
  factors_b?: FactorValues
}

export interface ProfileParams {
  [param: string]: unknown
  /** Built-in extractors to run, comma-separated (or a list); `''` for supplied factors only. */
  factors: string | string[]
  /** A tokenizer.json for the `tokens` factor. */
  tokenizer?: string
  /** The AlignScore pack for `alignscore` and `relevance`; else `--model`, else alignscore-base. */
  alignscoreModel?: string
  llmModel?: string
  llmBaseUrl?: string
  llmApiKeyEnv: string
  llmPrompt: string
  llmFactors: string | string[]
  llmConcurrency: number
  llmRetries: number
  llmTimeoutMs: number
  llmMaxTokens: number
  llmTemperature: number
  llmJsonMode: boolean
  llmCache: boolean
  bootstrap: number
  seed: number
  confidence: number
  topK: number
}

/** A row's entry in scores.jsonl: every factor value of both responses, and where each came from. */
export interface ProfileResult {
  factors_a: FactorValues
  factors_b: FactorValues
  /** Factors whose value (on either side) came from the row rather than an extractor. */
  supplied: string[]
  /** LLM requests made for this row and how many were answered from the cache. */
  llm?: {requests: number; cached: number}
}

/** Influence of one factor on one judge's preferences. */
export interface FactorInfluence {
  /** Kendall τ-b between sign(f(A) − f(B)) and the preference (+1 a, 0 tie, −1 b); null when undefined. */
  tau: number | null
  /** Percentile bootstrap interval of τ. */
  low: number | null
  high: number | null
  /** Among decided pairs, the share whose preferred response has the higher value. */
  concordance: number | null
  /** Pairs counted: both responses have the factor, and the judge gave a verdict. */
  n: number
  /** Decided pairs (a or b) among them: what concordance is over. */
  decided: number
}

export interface FactorDifference {
  /** τ(first judge) − τ(second judge). */
  difference: number | null
  low: number | null
  high: number | null
}

export interface JudgePairAlignment {
  /** Spearman's ρ between the two judges' τ vectors, over the factors both define. */
  spearman: number | null
  low: number | null
  high: number | null
  /** Factors the correlation is over. */
  factorCount: number
  factors: Record<string, FactorDifference>
  topK: {k: number; first: string[]; second: string[]; shared: number; agreement: number | null}
  /** Factors whose difference interval excludes 0, largest |difference| first. */
  misaligned: string[]
}

export interface ProfileSummary {
  [stat: string]: unknown
  pairs: number
  /** Rows with a verdict, per judge. */
  judges: Record<string, number>
  /** Rows where both responses have the factor. */
  factorRows: Record<string, number>
  factors: Record<string, Record<string, FactorInfluence>>
  /** `<judgeA>~<judgeB>`: Spearman's ρ of their τ vectors. */
  alignment: Record<string, number | null>
  factorAlignment: Record<string, JudgePairAlignment>
  /** The same analysis per `task`, when the rows name more than one task. */
  byTask?: Record<string, TaskSummary>
  llm?: {model: string; baseUrl: string; prompt: string; promptSha256: string; factors: string[]; requests: number; cached: number}
}

/** One task's part of the summary: the analysis over that task's pairs alone. */
export type TaskSummary = Pick<ProfileSummary, 'pairs' | 'judges' | 'factorRows' | 'factors' | 'alignment' | 'factorAlignment'>
