import {dirname, join} from 'node:path'

import {usageError} from '../core/errors.js'
import {compareRows, matchRows, type RowComparison} from './compare-rows.js'
import {flattenSummary} from './flatten.js'
import {FILES, readReport, readScores} from './output.js'
import type {Report, ScoreLine} from './report.js'
import {statDirection, type Direction} from './stat-direction.js'

export type {RowComparison, RowMove} from './compare-rows.js'

/** One summary number in both runs. */
export interface StatChange {
  /** Dotted path in the metric's summary: `byDataset.xsum.rocAuc`. */
  stat: string
  /** null when the run has no number there. */
  base: number | null
  head: number | null
  /** head − base; null unless both are numbers. */
  delta: number | null
  direction: Direction
  /** The stat moved the wrong way by more than the tolerance. */
  regressed: boolean
}

export interface MetricComparison {
  /** Whether the metric was run in both reports or only one. */
  presence: 'both' | 'base-only' | 'head-only'
  stats: StatChange[]
  /** Per-row comparison, when both runs scored the same rows. */
  rows?: RowComparison
  /** Why there is no per-row comparison. */
  rowsNote?: string
}

/** What `alignctl compare` returns: its `--json` output and `--format json`. */
export interface Comparison {
  schema: 'alignctl.compare/v1'
  base: {file: string; createdAt: string}
  head: {file: string; createdAt: string}
  /** Largest move in the wrong direction that is not a regression. */
  tolerance: number
  metrics: Record<string, MetricComparison>
  /** `<metric>.<stat>` of every regressed stat. */
  regressions: string[]
  regressed: boolean
}

export interface CompareOptions {
  /** Absolute change a stat may move the wrong way without counting as a regression [default 0]. */
  tolerance?: number
  /** Rows listed per direction among the biggest movers [default 10]. */
  movers?: number
}

const DEFAULTS = {tolerance: 0, movers: 10} as const

/** One run to compare: its report, the rows of its scores.jsonl, and where it came from. */
export interface ComparedRun {
  file: string
  report: Report
  rows: readonly ScoreLine[]
}

/**
 * Reads two report.json files and the scores.jsonl beside each, and compares them. A report
 * that is missing or invalid is a usage error naming its file (exit 2).
 */
export async function compareReportFiles(baseFile: string, headFile: string, options: CompareOptions = {}): Promise<{comparison: Comparison; head: ComparedRun}> {
  const base = await readRun(baseFile)
  const head = await readRun(headFile)
  return {comparison: compareReports(base, head, options), head}
}

export async function readRun(file: string): Promise<ComparedRun> {
  const report = await readReport(file)
  return {file, report, rows: await readScores(join(dirname(file), FILES.scores))}
}

/** Per metric and summary number: base, head, delta and whether it regressed; per row: the biggest movers. */
export function compareReports(base: ComparedRun, head: ComparedRun, options: CompareOptions = {}): Comparison {
  const tolerance = options.tolerance ?? DEFAULTS.tolerance
  const movers = options.movers ?? DEFAULTS.movers
  if (!Number.isFinite(tolerance) || tolerance < 0) throw usageError(`--tolerance ${tolerance}: must be a number ≥ 0.`, 'For example: --tolerance 0.01')
  const match = matchRows(base.rows, head.rows)
  const ids = [...new Set([...Object.keys(base.report.metrics), ...Object.keys(head.report.metrics)])]
  const metrics: Record<string, MetricComparison> = {}
  const regressions: string[] = []
  for (const id of ids) {
    const before = base.report.metrics[id]
    const after = head.report.metrics[id]
    const stats = compareSummaries(before?.summary ?? {}, after?.summary ?? {}, tolerance)
    for (const stat of stats) if (stat.regressed) regressions.push(`${id}.${stat.stat}`)
    // A metric the head no longer reports cannot be said to have held up.
    if (before !== undefined && after === undefined) regressions.push(id)
    const entry: MetricComparison = {presence: before === undefined ? 'head-only' : after === undefined ? 'base-only' : 'both', stats}
    if (entry.presence === 'both') {
      const rows = 'note' in match ? undefined : compareRows(id, match, movers)
      if (rows !== undefined) entry.rows = rows
      else entry.rowsNote = 'note' in match ? match.note : 'neither scores.jsonl has results for this metric'
    }
    metrics[id] = entry
  }
  return {
    schema: 'alignctl.compare/v1',
    base: {file: base.file, createdAt: base.report.createdAt},
    head: {file: head.file, createdAt: head.report.createdAt},
    tolerance,
    metrics,
    regressions,
    regressed: regressions.length > 0,
  }
}

/** Every stat that is a number in either summary, in the head's order, then the base's. */
function compareSummaries(base: Record<string, unknown>, head: Record<string, unknown>, tolerance: number): StatChange[] {
  const numbers = (summary: Record<string, unknown>) =>
    new Map(flattenSummary(summary).flatMap((s) => (typeof s.value === 'number' ? [[s.path, s.value] as const] : [])))
  const before = numbers(base)
  const after = numbers(head)
  const paths = [...new Set([...after.keys(), ...before.keys()])]
  return paths.map((stat) => {
    const b = before.get(stat) ?? null
    const h = after.get(stat) ?? null
    const delta = b === null || h === null ? null : h - b
    const direction = statDirection(stat)
    const worse = delta === null || direction === 'none' ? 0 : direction === 'higher' ? -delta : delta
    // A quality stat the base had and the head lost (null, or gone) is a regression: a broken run must not pass.
    const lost = direction !== 'none' && b !== null && h === null
    return {stat, base: b, head: h, delta, direction, regressed: lost || worse > tolerance}
  })
}
