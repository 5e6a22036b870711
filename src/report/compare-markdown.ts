import type {Comparison, MetricComparison, RowMove, StatChange} from './compare.js'
import {formatValue} from './flatten.js'

/** Stat rows per metric before the rest is left to compare.json. */
const MAX_STATS = 40

/** The comparison as GitHub-flavoured Markdown: job summaries, PR comments, `compare --format md`. */
export function renderCompareMarkdown(comparison: Comparison): string {
  const n = comparison.regressions.length
  const out: string[] = []
  out.push(`## alignctl compare — ${n === 0 ? '✅ no regressions' : `❌ ${n} stat${n === 1 ? '' : 's'} regressed`}`, '')
  out.push(`Base \`${comparison.base.file}\` (${comparison.base.createdAt}) → head \`${comparison.head.file}\` (${comparison.head.createdAt}); tolerance ${comparison.tolerance}.`, '')
  for (const [id, metric] of Object.entries(comparison.metrics)) out.push(...metricSection(id, metric))
  return out.join('\n')
}

function metricSection(id: string, metric: MetricComparison): string[] {
  const out = [`### ${id}${metric.presence === 'both' ? '' : metric.presence === 'base-only' ? ' (only in base)' : ' (only in head)'}`, '']
  // Descriptive stats (counts, shares) only when they moved: the judged ones are what a reader wants.
  const shown = metric.stats.filter((s) => s.direction !== 'none' || s.delta !== 0)
  if (shown.length > 0) {
    out.push('| stat | base | head | Δ | |', '| --- | ---: | ---: | ---: | --- |')
    for (const stat of shown.slice(0, MAX_STATS)) out.push(statRow(stat))
    const hidden = metric.stats.length - Math.min(shown.length, MAX_STATS)
    if (hidden > 0) out.push(`| … ${hidden} more (unchanged counts, or past the first ${MAX_STATS}) in the JSON output | | | | |`)
    out.push('')
  }
  if (metric.rows !== undefined) {
    const r = metric.rows
    out.push(`Rows matched by ${r.matchedBy === 'id' ? 'id' : 'row index'}: ${r.matched} compared, ${r.changed} changed.`, '')
    if (r.down.length > 0) out.push(...moversTable('Biggest drops', r.down))
    if (r.up.length > 0) out.push(...moversTable('Biggest gains', r.up))
  } else if (metric.rowsNote !== undefined) {
    out.push(`No per-row comparison: ${metric.rowsNote}.`, '')
  }
  return out
}

function statRow(stat: StatChange): string {
  const name = stat.direction === 'lower' ? `${stat.stat} (lower is better)` : stat.stat
  const word = verdict(stat)
  return `| ${escapeCell(name)} | ${show(stat.base)} | ${show(stat.head)} | ${formatDelta(stat.delta)} | ${word === 'regressed' ? '❌ regressed' : word} |`
}

/** How a move reads: regressed, better, or worse but within the tolerance. */
export function verdict(stat: StatChange): string {
  if (stat.regressed) return 'regressed'
  if (stat.direction === 'none' || stat.delta === null || stat.delta === 0) return ''
  return (stat.direction === 'higher') === stat.delta > 0 ? 'better' : 'worse, within tolerance'
}

function moversTable(title: string, moves: readonly RowMove[]): string[] {
  return [`${title}:`, '', '| row | base | head | Δ |', '| --- | ---: | ---: | ---: |', ...moves.map((m) => `| ${escapeCell(String(m.key))} | ${show(m.base)} | ${show(m.head)} | ${formatDelta(m.delta)} |`), '']
}

function show(value: number | null): string {
  return value === null ? '—' : formatValue(value)
}

/** A signed change: +0.0125, −3; — when one side is missing. */
export function formatDelta(delta: number | null): string {
  if (delta === null) return '—'
  if (delta === 0) return '0'
  return `${delta > 0 ? '+' : '−'}${formatValue(Math.abs(delta))}`
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ')
}
