import type {ChartSpec} from './charts.js'
import {formatDelta, formatP, verdict} from './compare-markdown.js'
import type {Comparison, MetricComparison, RowMove} from './compare.js'
import {formatValue} from './flatten.js'
import {escapeHtml} from './html-text.js'

const REGRESSED = '#cf222e'
const BETTER = '#2da44e'
const WORSE = '#bf8700'

/**
 * The baseline comparison section of a report written by `compare --format html` (or by
 * the GitHub Action with a baseline): per metric the judged stats and the counts that
 * moved, a chart of the judged stats' deltas, and the rows that moved most.
 */
export function comparisonSection(comparison: Comparison, chartId: (spec: ChartSpec) => string): string {
  const n = comparison.regressions.length
  const metrics = Object.entries(comparison.metrics).map(([id, metric]) => metricBlock(id, metric, chartId)).join('\n')
  return `<section id="comparison" class="comparison"><h2>Compared with the baseline — <span class="${n === 0 ? 'pass' : 'fail'}">${n === 0 ? 'no regressions' : `${n} stat${n === 1 ? '' : 's'} regressed`}</span></h2>
<p class="meta">Base <code>${escapeHtml(comparison.base.file)}</code> (${escapeHtml(comparison.base.createdAt)}) → head <code>${escapeHtml(comparison.head.file)}</code> (${escapeHtml(comparison.head.createdAt)}); tolerance ${comparison.tolerance}${comparison.significance === undefined ? '' : `; regressions count only when significant (p &lt; ${comparison.significance})`}.</p>
${differencesBlock(comparison)}
${metrics}</section>`
}

/** What differs between the runs besides their scores, stated before any number. */
function differencesBlock(comparison: Comparison): string {
  if (comparison.differences.length === 0) return '<p class="meta">The runs used the same model, inputs, params and metric versions.</p>'
  const items = comparison.differences.map((d) => `<li>${d.metric === undefined ? '' : `<code>${escapeHtml(d.metric)}</code> `}${escapeHtml(d.what)}: <code>${escapeHtml(d.base)}</code> → <code>${escapeHtml(d.head)}</code></li>`).join('')
  return `<div class="differences"><p><strong>The runs differ in more than the code under test:</strong></p><ul>${items}</ul></div>`
}

function metricBlock(id: string, metric: MetricComparison, chartId: (spec: ChartSpec) => string): string {
  const presence = metric.presence === 'both' ? '' : metric.presence === 'base-only' ? ' (only in base)' : ' (only in head)'
  const shown = metric.stats.filter((s) => s.direction !== 'none' || s.delta !== 0)
  const rows = shown
    .map((s) => `<tr class="${s.regressed ? 'fail' : ''}"><th scope="row">${escapeHtml(s.stat)}${s.direction === 'lower' ? ' <small>(lower is better)</small>' : ''}</th><td>${show(s.base)}</td><td>${show(s.head)}</td><td>${escapeHtml(formatDelta(s.delta))}</td><td>${s.significance === undefined ? '' : escapeHtml(formatP(s.significance.pValue))}</td><td>${escapeHtml(verdict(s))}</td></tr>`)
    .join('')
  const judged = metric.stats.filter((s) => s.direction !== 'none' && s.delta !== null)
  const chart =
    judged.length === 0
      ? ''
      : `<div class="chart" style="height:${Math.max(260, 60 + 22 * judged.length)}px"><canvas id="${chartId({
          kind: 'bar',
          title: `${id}: change from the baseline`,
          labels: judged.map((s) => s.stat),
          series: [{label: 'Δ', data: judged.map((s) => s.delta), colors: judged.map((s) => (s.regressed ? REGRESSED : verdict(s) === 'better' ? BETTER : WORSE))}],
          horizontal: true,
          xTitle: 'head − base',
        })}" role="img" aria-label="${escapeHtml(id)}: change from the baseline"></canvas></div>`
  const table = rows === '' ? '<p>No numbers to compare.</p>' : `<table class="stats compare"><thead><tr><th scope="col">stat</th><th scope="col">base</th><th scope="col">head</th><th scope="col">Δ</th><th scope="col" title="paired bootstrap p-value over the shared rows">p</th><th scope="col"></th></tr></thead><tbody>${rows}</tbody></table>`
  return `<div class="compare-metric" data-metric="${escapeHtml(id)}"><h3>${escapeHtml(id)}${presence}</h3><div class="charts wide">${chart}</div>${table}${moversBlock(metric)}</div>`
}

function moversBlock(metric: MetricComparison): string {
  if (metric.rows === undefined) return metric.rowsNote === undefined ? '' : `<p class="meta">No per-row comparison: ${escapeHtml(metric.rowsNote)}.</p>`
  const r = metric.rows
  const table = (title: string, moves: readonly RowMove[]) =>
    moves.length === 0
      ? ''
      : `<div><h4>${title}</h4><table class="stats movers"><thead><tr><th scope="col">row</th><th scope="col">base</th><th scope="col">head</th><th scope="col">Δ</th></tr></thead><tbody>${moves
          .map((m) => `<tr><th scope="row">${escapeHtml(String(m.key))}</th><td>${show(m.base)}</td><td>${show(m.head)}</td><td>${escapeHtml(formatDelta(m.delta))}</td></tr>`)
          .join('')}</tbody></table></div>`
  return `<p class="meta">Rows matched by ${r.matchedBy === 'id' ? 'id' : 'row index'}: ${r.matched} compared, ${r.changed} changed.</p><div class="movers">${table('Biggest drops', r.down)}${table('Biggest gains', r.up)}</div>`
}

function show(value: number | null): string {
  return value === null ? '—' : escapeHtml(formatValue(value))
}
