import type {GateResult} from './gate-result.js'
import type {StatDeclaration} from '../kernel/interfaces/index.js'

/** `report.json` (DESIGN.md §3.2); its JSON Schema is `schemas/report.v1.schema.json`. */
export interface Report {
  schema: 'alignctl.report/v1'
  tool: {name: string; version: string}
  createdAt: string
  inputs: Record<string, InputScan>
  metrics: Record<string, MetricReport>
  gates: GateResult[]
  passed: boolean
  /** How the inputs were read and which part of the rows this report covers. */
  run?: RunSettings
}

export interface RunSettings {
  map: Record<string, string>
  csvHeader: string
  onError: string
  model?: string
  /** Present in a shard's report (`--shard index/count`); `alignctl merge` joins the shards. */
  shard?: {index: number; count: number}
}

export interface MetricReport {
  version: string
  source: string
  inputs: string[]
  params: Record<string, unknown>
  model?: Record<string, unknown>
  device?: Record<string, unknown>
  /** The metric's declared summary stats (absent in reports written before they were declared). */
  stats?: StatDeclaration[]
  summary: Record<string, unknown>
  rows: number
  skipped: number
  errors: RowError[]
  timing: {seconds: number; rowsPerSecond: number}
  /** Rows of this run that came from the result cache (hits) and rows looked up and scored (misses); absent when the cache was not used. */
  cache?: {hits: number; misses: number}
}

/** One line of `scores.jsonl`: the row, its id if it had one, and each metric's result. */
export type ScoreLine = {row: number; id?: unknown} & Record<string, unknown>

/** An input file as the run read it. */
export interface InputScan {
  path: string
  rows: number
  sha256: string
}

/** A row without a score: skipped as bad input, or given an error by the metric. */
export interface RowError {
  row: number
  /** Which input the row came from, and its line there (unknown for rows a metric's `combine` made). */
  input?: string
  line?: number
  /** `input`: the row could not be read or validated and was skipped; `score`: the metric gave no score. */
  stage: 'input' | 'score'
  message: string
}
