import {flattenSummary, formatValue} from './flatten.js'
import type {Report} from './report.js'

/** Rows of a metric's summary shown in Markdown before the rest is elided. */
const MAX_STATS = 40

/** `summary.md`: GitHub-flavoured Markdown for job summaries and PR comments. */
export function renderMarkdown(report: Report): string {
  const out: string[] = []
  const verdict = report.gates.length === 0 ? '' : report.passed ? ' — ✅ all gates passed' : ' — ❌ a gate failed'
  out.push(`## alignctl report${verdict}`, '')
  const inputs = Object.entries(report.inputs).map(([name, i]) => `\`${name === 'default' ? i.path : `${name}=${i.path}`}\` (${i.rows} rows)`)
  out.push(`Inputs: ${inputs.join(', ')}. ${report.tool.name} ${report.tool.version}, ${report.createdAt}.`, '')

  if (report.gates.length > 0) {
    out.push('| gate | value | result |', '| --- | ---: | --- |')
    for (const gate of report.gates) out.push(`| \`${gate.expr}\` | ${gate.value === null ? '—' : formatValue(gate.value)} | ${gate.passed ? '✅ pass' : '❌ fail'} |`)
    out.push('')
  }

  for (const [id, metric] of Object.entries(report.metrics)) {
    out.push(`### ${id} ${metric.version}`, '')
    const stats = flattenSummary(metric.summary)
    out.push('| stat | value |', '| --- | ---: |')
    for (const stat of stats.slice(0, MAX_STATS)) out.push(`| ${escapeCell(stat.path)} | ${escapeCell(formatValue(stat.value))} |`)
    if (stats.length > MAX_STATS) out.push(`| … ${stats.length - MAX_STATS} more in report.json | |`)
    out.push('')
    const scoreErrors = metric.errors.filter((e) => e.stage === 'score').length
    out.push(`${metric.rows} rows, ${metric.skipped} skipped, ${scoreErrors} without a score; ${metric.timing.seconds.toFixed(2)} s (${metric.timing.rowsPerSecond} rows/s).`, '')
  }
  return out.join('\n')
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
