import {gateBound} from './gate-result.js'
import {matchStat} from '../kernel/stat-declarations.js'
import {flattenSummary, formatValue} from './flatten.js'
import type {ViewLookup} from './metric-view.js'
import {viewInput} from './metric-view.js'
import type {Report} from './report.js'
import {escapeMarkdown, MARKDOWN_KIT} from './view-kits.js'

/** Rows of a metric's summary shown in Markdown before the rest is elided. */
const MAX_STATS = 40

/** `summary.md`: GitHub-flavoured Markdown for job summaries and PR comments. */
export function renderMarkdown(report: Report, options: {views?: ViewLookup} = {}): string {
  const out: string[] = []
  const verdict = report.gates.length === 0 ? '' : report.passed ? ' — ✅ all gates passed' : ' — ❌ a gate failed'
  out.push(`## alignctl report${verdict}`, '')
  const inputs = Object.entries(report.inputs).map(([name, i]) => `${escapeMarkdown(name === 'default' ? i.path : `${name}=${i.path}`)} (${i.rows} rows)`)
  out.push(`Inputs: ${inputs.join(', ')}. ${report.tool.name} ${report.tool.version}, ${report.createdAt}.`, '')

  if (report.gates.length > 0) {
    out.push('| gate | value | rows | result |', '| --- | ---: | ---: | --- |')
    for (const gate of report.gates) {
      const result = `${gate.passed ? '✅ pass' : '❌ fail'}${gate.reason === undefined ? '' : `: ${escapeMarkdown(gate.reason)}`}`
      out.push(`| ${escapeMarkdown(gateBound(gate))} | ${gate.value === null ? '—' : formatValue(gate.value)} | ${gate.support ?? ''} | ${result} |`)
    }
    out.push('')
  }

  for (const [id, metric] of Object.entries(report.metrics)) {
    out.push(`### ${escapeMarkdown(id)} ${escapeMarkdown(metric.version)}`, '')
    const stats = flattenSummary(metric.summary)
    out.push('| stat | value |', '| --- | ---: |')
    for (const stat of stats.slice(0, MAX_STATS)) {
      const lower = matchStat(stat.path, metric.stats ?? [])?.declaration.direction === 'lower' ? ' (lower is better)' : ''
      out.push(`| ${escapeMarkdown(stat.path)}${lower} | ${escapeMarkdown(formatValue(stat.value))} |`)
    }
    if (stats.length > MAX_STATS) out.push(`| … ${stats.length - MAX_STATS} more in report.json | |`)
    out.push('')
    const own = options.views?.(id)?.markdown?.(viewInput(id, metric), MARKDOWN_KIT)
    if (own !== undefined && own.trim() !== '') out.push(own.trim(), '')
    const scoreErrors = metric.errors.filter((e) => e.stage === 'score').length
    out.push(`${metric.rows} rows, ${metric.skipped} skipped, ${scoreErrors} without a score; ${metric.timing.seconds.toFixed(2)} s (${metric.timing.rowsPerSecond} rows/s).`, '')
  }
  return out.join('\n')
}
