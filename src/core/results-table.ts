import {describeGate} from './gates.js'
import {numberAt, record} from '../kernel/summary-access.js'
import type {MetricReport, Report} from '../report/report.js'

/**
 * The results at a glance, for the terminal after `eval` and `merge`: per metric, how many rows
 * were scored and its headline stats (the top-level `quality` stats it declares: value, which
 * way is better, and the rows each rests on), then the gates. report.json keeps everything else.
 */
export function resultsTable(report: Report): string[] {
  const lines: string[] = []
  for (const [id, metric] of Object.entries(report.metrics)) {
    lines.push(metricLine(id, metric))
    const rows = headlineRows(metric)
    if (rows.length === 0) continue
    const width = Math.max(...rows.map((r) => r.path.length))
    const valueWidth = Math.max(...rows.map((r) => r.value.length))
    for (const row of rows) lines.push(`  ${row.path.padEnd(width)}  ${row.value.padStart(valueWidth)}  ${row.note}`.trimEnd())
  }
  if (report.gates.length > 0) {
    lines.push('gates:')
    for (const gate of report.gates) lines.push(`  ${describeGate(gate)}`)
  }
  return lines
}

function metricLine(id: string, metric: MetricReport): string {
  const unscored = metric.errors.length
  const without = unscored > 0 ? ` (${unscored} without a score: see "errors" in report.json)` : ''
  return `${id}: ${metric.rows - unscored} of ${metric.rows} rows scored in ${metric.timing.seconds.toFixed(2)} s${without}`
}

interface HeadlineRow {
  path: string
  value: string
  note: string
}

// Top-level only: `byDataset.*.rocAuc` and the like stay in the report.
function headlineRows(metric: MetricReport): HeadlineRow[] {
  const rows: HeadlineRow[] = []
  for (const stat of metric.stats ?? []) {
    if (stat.kind !== 'quality' || stat.path.includes('.') || stat.path.includes('*')) continue
    if (!(stat.path in metric.summary)) continue
    const value = numberAt(metric.summary[stat.path])
    const better = stat.direction === 'higher' ? 'higher is better' : stat.direction === 'lower' ? 'lower is better' : ''
    const support = stat.support === undefined ? null : numberAt(valueAt(metric.summary, stat.support))
    const over = support === null ? '' : `over ${support} row${support === 1 ? '' : 's'}`
    rows.push({path: stat.path, value: value === null ? 'no value' : formatStat(value), note: [better, over].filter((s) => s !== '').join(', ')})
  }
  return rows
}

function valueAt(summary: Record<string, unknown>, path: string): unknown {
  let value: unknown = summary
  for (const key of path.split('.')) value = record(value)?.[key]
  return value
}

/** Four decimals for fractions and scores; integers as they are. */
export function formatStat(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(4)
}
