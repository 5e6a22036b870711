import {dirname, join} from 'node:path'

import {usageError} from '../kernel/errors.js'
import type {StatDeclaration, StatDirection, StatKind} from '../kernel/interfaces/index.js'
import {matchStat} from '../kernel/stat-declarations.js'
import {compareRows, matchRows, type RowMatch, type RowComparison} from './compare-rows.js'
import {flattenSummary} from './flatten.js'
import {FILES, readReport, readScores} from './output.js'
import type {Report, ScoreLine} from './report.js'
import {runDifferences, type RunDifference} from './run-differences.js'
import {pairedBootstrap, type SignificanceTest} from './significance.js'

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
  /** From the metric's declaration (the head report's, else the base's); `none` when undeclared. */
  direction: StatDirection
  /** Undefined for a stat no declaration matches. */
  kind?: StatKind
  /** The declaration's sentence, for readers of the comparison. */
  meaning?: string
  /** For quality stats that are means over rows, when both runs scored the same rows. */
  significance?: SignificanceTest
  /** The stat moved the wrong way by more than the tolerance (and, with `--significance`, significantly). */
  regressed: boolean
  /** The stat moved the right way by more than the tolerance. */
  improved: boolean
  /** It moved the wrong way past the tolerance, but its test gave p ≥ the `--significance` level. */
  notSignificant?: true
}

export interface MetricComparison {
  /** Whether the metric was run in both reports or only one. */
  presence: 'both' | 'base-only' | 'head-only'
  stats: StatChange[]
  /** Per-row comparison, when both runs scored the same rows. */
  rows?: RowComparison
  /** Why there is no per-row comparison. */
  rowsNote?: string
  /** Where the stats' directions came from: the reports' recorded declarations, or none (older reports). */
  declarations: 'head' | 'base' | 'none'
}

/** What `alignctl compare` returns: its `--json` output and `--format json`. */
export interface Comparison {
  schema: 'alignctl.compare/v1'
  base: {file: string; createdAt: string}
  head: {file: string; createdAt: string}
  /** Largest move in the wrong direction that is not a regression. */
  tolerance: number
  /** With `--significance α`: a regression on a stat with a test counts only when p < α. */
  significance?: number
  /** What differs between the runs besides their scores (model, inputs, params, versions). */
  differences: RunDifference[]
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
  /** Count a regression only when its paired test gives p < this (stats without a test count as before). */
  significance?: number
  /** Bootstrap resamples and seed of the significance test [default 1000, 0]. */
  iterations?: number
  seed?: number
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
  const alpha = options.significance
  if (alpha !== undefined && !(alpha > 0 && alpha < 1)) throw usageError(`--significance ${alpha}: must be a number between 0 and 1.`, 'For example: --significance 0.05')
  const match = matchRows(base.rows, head.rows)
  const ids = [...new Set([...Object.keys(base.report.metrics), ...Object.keys(head.report.metrics)])]
  const metrics: Record<string, MetricComparison> = {}
  const regressions: string[] = []
  for (const id of ids) {
    const before = base.report.metrics[id]
    const after = head.report.metrics[id]
    const declarations = after?.stats ?? before?.stats
    const tests = {match, metric: id, iterations: options.iterations, seed: options.seed}
    const stats = compareSummaries(before?.summary ?? {}, after?.summary ?? {}, declarations ?? [], tolerance, alpha, tests)
    for (const stat of stats) if (stat.regressed) regressions.push(`${id}.${stat.stat}`)
    // A metric the head no longer reports cannot be said to have held up.
    if (before !== undefined && after === undefined) regressions.push(id)
    const entry: MetricComparison = {
      presence: before === undefined ? 'head-only' : after === undefined ? 'base-only' : 'both',
      stats,
      declarations: after?.stats !== undefined ? 'head' : before?.stats !== undefined ? 'base' : 'none',
    }
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
    ...(alpha === undefined ? {} : {significance: alpha}),
    differences: runDifferences(base.report, head.report),
    metrics,
    regressions,
    regressed: regressions.length > 0,
  }
}

interface TestSettings {
  match: RowMatch
  metric: string
  iterations: number | undefined
  seed: number | undefined
}

/**
 * Every stat that is a number in either summary, in the head's order, then the base's, judged
 * by its declaration: only quality stats with a direction can regress or improve.
 */
function compareSummaries(
  base: Record<string, unknown>,
  head: Record<string, unknown>,
  declarations: readonly StatDeclaration[],
  tolerance: number,
  alpha: number | undefined,
  tests: TestSettings,
): StatChange[] {
  const numbers = (summary: Record<string, unknown>) =>
    new Map(flattenSummary(summary).flatMap((s) => (typeof s.value === 'number' ? [[s.path, s.value] as const] : [])))
  const before = numbers(base)
  const after = numbers(head)
  const paths = [...new Set([...after.keys(), ...before.keys()])]
  return paths.map((stat) => {
    const b = before.get(stat) ?? null
    const h = after.get(stat) ?? null
    const delta = b === null || h === null ? null : h - b
    const matched = matchStat(stat, declarations)
    const declaration = matched?.declaration
    const judged = declaration?.kind === 'quality' && declaration.direction !== 'none'
    const direction: StatDirection = judged ? declaration.direction : 'none'
    const worse = delta === null || !judged ? 0 : direction === 'higher' ? -delta : delta
    const significance =
      // Over all shared rows: so only for a stat over all rows, not one per group (`byDataset.*.mean`).
      judged && declaration.meanOf !== undefined && matched!.captures.length === 0 && !('note' in tests.match)
        ? pairedBootstrap(tests.metric, declaration.meanOf, tests.match.pairs, {...(tests.iterations === undefined ? {} : {iterations: tests.iterations}), ...(tests.seed === undefined ? {} : {seed: tests.seed})})
        : undefined
    const noise = alpha !== undefined && significance !== undefined && significance.pValue >= alpha
    // A quality stat the base had and the head lost (null, or gone) is a regression: a broken run must not pass.
    const lost = judged && b !== null && h === null
    const change: StatChange = {
      stat,
      base: b,
      head: h,
      delta,
      direction,
      regressed: lost || (worse > tolerance && !noise),
      improved: judged && -worse > tolerance && !noise,
    }
    if (declaration !== undefined) Object.assign(change, {kind: declaration.kind, meaning: declaration.meaning})
    if (significance !== undefined) change.significance = significance
    if (noise && worse > tolerance && !lost) change.notSignificant = true
    return change
  })
}
