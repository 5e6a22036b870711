import type {GateResult} from '../core/gates.js'
import type {StatDeclaration} from '../core/interfaces/index.js'
import type {InputScan, RowError} from '../core/runner.js'

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
}

/** One line of `scores.jsonl`: the row, its id if it had one, and each metric's result. */
export type ScoreLine = {row: number; id?: unknown} & Record<string, unknown>
