import type {Comparison, MetricComparison, RowMove, StatChange} from './compare.js'
import {formatValue} from './flatten.js'

/** Stat rows per metric before the rest is left to compare.json. */
const MAX_STATS = 40

/** The comparison as GitHub-flavoured Markdown: job summaries, PR comments, `compare --format md`. */
export function renderCompareMarkdown(comparison: Comparison): string {
  const n = comparison.regressions.length
  const out: string[] = []
  out.push(`## alignctl compare — ${n === 0 ? '✅ no regressions' : `❌ ${n} stat${n === 1 ? '' : 's'} regressed`}`, '')
  out.push(`Base \`${comparison.base.file}\` (${comparison.base.createdAt}) → head \`${comparison.head.file}\` (${comparison.head.createdAt}); tolerance ${comparison.tolerance}${comparison.significance === undefined ? '' : `; regressions count only when significant (p < ${comparison.significance})`}.`, '')
  out.push(...differencesSection(comparison), '')
  for (const [id, metric] of Object.entries(comparison.metrics)) out.push(...metricSection(id, metric))
  return out.join('\n')
}

/** What differs between the runs besides the scores, before any number: the reader needs the cause in view. */
export function differencesSection(comparison: Comparison): string[] {
  if (comparison.differences.length === 0) return ['The runs used the same model, inputs, params and metric versions.']
  return [
    '**The runs differ in more than the code under test:**',
    '',
    ...comparison.differences.map((d) => `- ${d.metric === undefined ? '' : `${escapeCell(d.metric)} `}${d.what}: ${escapeCell(d.base)} → ${escapeCell(d.head)}`),
  ]
}

function metricSection(id: string, metric: MetricComparison): string[] {
  const out = [`### ${id}${metric.presence === 'both' ? '' : metric.presence === 'base-only' ? ' (only in base)' : ' (only in head)'}`, '']
  if (metric.declarations === 'none') out.push('Neither report records its stat declarations (written by an older alignctl), so no stat is judged better or worse.', '')
  // Descriptive stats (counts, shares) only when they moved: the judged ones are what a reader wants.
  const shown = metric.stats.filter((s) => s.direction !== 'none' || s.delta !== 0)
  if (shown.length > 0) {
    out.push('| stat | base | head | Δ | p | |', '| --- | ---: | ---: | ---: | ---: | --- |')
    for (const stat of shown.slice(0, MAX_STATS)) out.push(statRow(stat))
    const hidden = metric.stats.length - Math.min(shown.length, MAX_STATS)
    if (hidden > 0) out.push(`| … ${hidden} more (unchanged counts, or past the first ${MAX_STATS}) in the JSON output | | | | | |`)
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
  const p = stat.significance === undefined ? '' : formatP(stat.significance.pValue)
  return `| ${escapeCell(name)} | ${show(stat.base)} | ${show(stat.head)} | ${formatDelta(stat.delta)} | ${p} | ${word === 'regressed' ? '❌ regressed' : word} |`
}

/** How a move reads: regressed, better, or worse but within the tolerance (or not significant). */
export function verdict(stat: StatChange): string {
  if (stat.regressed) return 'regressed'
  if (stat.direction === 'none' || stat.delta === null || stat.delta === 0) return ''
  if ((stat.direction === 'higher') === stat.delta > 0) return 'better'
  return stat.notSignificant === true ? 'worse, not significant' : 'worse, within tolerance'
}

/** A p-value to 3 decimals, or `< 0.001`. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
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
