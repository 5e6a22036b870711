import {ChartPoints, type ChartSpec} from './charts.js'
import type {Comparison} from './compare.js'
import {flattenSummary, formatValue} from './flatten.js'
import {CHART_LIBRARY, PAGE} from './html-assets.js'
import {comparisonSection} from './html-compare.js'
import {escapeHtml, jsonForScript} from './html-text.js'
import {gateBound} from './gate-result.js'
import {matchStat, valueAt} from '../kernel/stat-declarations.js'
import {metricView, pageSpans, type PageSpans, type ViewLookup} from './metric-view.js'
import type {MetricReport, Report, ScoreLine} from './report.js'
import type {RowInputs, ShownField} from './row-inputs.js'
import {DEFAULT_ROW_SELECTION, selectRows, type RowSelectionBounds} from './row-selection.js'

export {escapeHtml} from './html-text.js'

export interface HtmlOptions {
  /** Adds a baseline comparison section (`alignctl compare --format html`). */
  comparison?: Comparison
  /** The metrics' own sections and row highlights (from the registry); without them, stats and charts only. */
  views?: ViewLookup
  /** Each metric's input fields per row, as the run read them (cut to a bound): the row table shows them. */
  inputs?: RowInputs
  /**
   * The rows the page shows, already chosen (a run chooses them as its rows go by); absent:
   * chosen here from `rows`, which are then every line of scores.jsonl.
   */
  page?: PageRows
  /** Each metric's row scores and labels over every row, for its charts; absent: from `rows` and `inputs`. */
  points?: Readonly<Record<string, ChartPoints>>
}

/** The rows report.html embeds: a bounded selection (see RowSelectionBounds), or all of a small run. */
export interface PageRows {
  /** In row order. */
  rows: ScoreLine[]
  /** Each shown row's line in scores.jsonl (1-based). */
  lines: number[]
  /** Lines in scores.jsonl. */
  total: number
  /** Every row is shown. */
  complete: boolean
  bounds: RowSelectionBounds
}

/** The page's rows chosen from every line of scores.jsonl, as a run chooses them. */
export function pageRows(report: Report, lines: readonly ScoreLine[], bounds: RowSelectionBounds = DEFAULT_ROW_SELECTION): PageRows {
  const selectors = Object.values(selectRows(lines, Object.keys(report.metrics), bounds))
  const complete = selectors.every((s) => s.complete)
  const shown = complete ? undefined : new Set(selectors.flatMap((s) => [...s.rows()]))
  const page: PageRows = {rows: [], lines: [], total: lines.length, complete: shown === undefined, bounds}
  lines.forEach((line, i) => {
    if (shown !== undefined && !shown.has(line.row)) return
    page.rows.push(line)
    page.lines.push(i + 1)
  })
  return page
}

/** What the page shows of a row's input: the metrics' fields, each name once, and the input line. */
interface PageInput {
  fields: ShownField[]
  line?: number
}

/** What the page script reads from `#alignctl-data`. */
interface PageData {
  /** Chart specs by canvas id. */
  charts: Record<string, ChartSpec>
  /** Metric ids: the row table's columns after row and id. */
  metrics: string[]
  /** Per metric, the spans of each row's result to highlight, and the score below which a span is marked. */
  spans: Record<string, PageSpans[]>
}

/**
 * `report.html`: one self-contained file, no network requests. Summaries, tables and chart
 * specs are rendered here; the page draws the charts with the inlined Chart.js and the row
 * table from the embedded rows, one page at a time, so only the visible rows have DOM nodes.
 * The charts count every row; the row table embeds every row of a small run and a bounded,
 * stated selection of a large one ({@link pageRows}), so the page stays a few megabytes.
 */
export function renderHtml(report: Report, rows: readonly ScoreLine[], options: HtmlOptions = {}): string {
  const charts: Record<string, ChartSpec> = {}
  const chartId = (spec: ChartSpec) => {
    const id = `chart-${Object.keys(charts).length + 1}`
    charts[id] = spec
    return id
  }
  const title = `alignctl report — ${Object.keys(report.metrics).join(', ')}`
  const comparison = options.comparison === undefined ? '' : comparisonSection(options.comparison, chartId)
  const page = options.page ?? pageRows(report, rows)
  const metricSections = Object.entries(report.metrics)
    .map(([id, metric]) => metricSection(id, metric, options.points?.[id] ?? ChartPoints.of(id, rows, options.inputs?.[id]), chartId, options.views))
    .join('\n')
  const gates = report.gates.length === 0 ? '' : `<section><h2>Gates</h2><table class="stats"><tbody>${report.gates
    .map(
      (g) =>
        `<tr class="${g.passed ? 'pass' : 'fail'}"><th scope="row"><code>${escapeHtml(gateBound(g))}</code></th><td>${g.value === null ? '—' : escapeHtml(formatValue(g.value))}</td><td>${g.support === undefined ? '' : `${g.support} rows`}</td><td>${g.passed ? 'pass' : 'FAIL'}${g.reason === undefined ? '' : `: ${escapeHtml(g.reason)}`}</td></tr>`,
    )
    .join('')}</tbody></table></section>`
  const inputs = Object.entries(report.inputs)
    .map(([name, i]) => `<li><code>${escapeHtml(name)}</code>: ${escapeHtml(i.path)} (${i.rows} rows, sha256 ${i.sha256.slice(0, 12)}…)</li>`)
    .join('')
  const data: PageData = {
    charts,
    metrics: Object.keys(report.metrics),
    spans: Object.fromEntries(Object.entries(report.metrics).map(([id, m]) => [id, pageSpans(m, options.views?.(id)?.spans)])),
  }
  const specs = Object.values(charts)
  const libraries = [
    ...(specs.length > 0 ? [CHART_LIBRARY.chartJs()] : []),
    ...(specs.some((s) => s.kind === 'heatmap') ? [CHART_LIBRARY.matrix()] : []),
  ]
  const legend = spanLegend(page.rows, data.spans)

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE.style()}</style></head>
<body><header><h1>${escapeHtml(title)}</h1>
<p class="verdict ${report.passed ? 'pass' : 'fail'}">${report.gates.length === 0 ? 'No gates.' : report.passed ? 'All gates passed.' : 'A gate failed.'}</p>
<p class="meta">${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)} · ${escapeHtml(report.createdAt)}</p><ul class="inputs">${inputs}</ul></header>
<main>${comparison}${gates}
${metricSections}
<section id="rows-section"><h2>Rows</h2>
${shownRows(page)}
${legend}
<div class="controls"><input id="search" type="search" placeholder="Search rows (any text in the row)" aria-label="Search rows">
<label>Rows per page <select id="page-size"><option>25</option><option selected>50</option><option>100</option><option>500</option></select></label>
<button id="first" type="button" aria-label="First page">«</button><button id="prev" type="button">Previous</button><button id="next" type="button">Next</button><button id="last" type="button" aria-label="Last page">»</button>
<span id="count" aria-live="polite"></span></div>
<table id="rows"><thead></thead><tbody></tbody></table></section></main>
<script type="application/json" id="alignctl-data">${jsonForScript(data)}</script>
<script type="application/json" id="alignctl-rows">${jsonForScript(page.rows)}</script>
<script type="application/json" id="alignctl-lines">${jsonForScript(page.complete ? [] : page.lines)}</script>
<script type="application/json" id="alignctl-inputs">${jsonForScript(pageInputs(page.rows, options.inputs))}</script>
${libraries.map((source) => `<script>${source}</script>`).join('\n')}
<script>${PAGE.script()}</script></body></html>
`
}

/** Top-level numbers first; nested stats (counts, per-dataset, per-annotator) folded away when there are many. */
const STATS_SHOWN = 12

/** What the row table holds: every row, or which rows of how many, and where the rest are. */
function shownRows(page: PageRows): string {
  if (page.complete) return ''
  const b = page.bounds
  return `<p class="meta" id="rows-shown">This page shows ${page.rows.length} of the ${page.total} rows: per metric, the ${b.worst} lowest and ${b.best} highest row scores, ${b.sample} rows sampled by row number (seed ${b.seed}), and the first ${b.errors} rows without a score. <a href="scores.jsonl">scores.jsonl</a> has every row; each row below links its line there.</p>`
}

function metricSection(id: string, metric: MetricReport, points: ChartPoints, chartId: (spec: ChartSpec) => string, views: ViewLookup | undefined): string {
  const stats = flattenSummary(metric.summary)
  const declared = metric.stats ?? []
  const statRow = (s: {path: string; value: unknown}) => {
    const meaning = matchStat(s.path, declared)?.declaration
    const note = meaning === undefined ? '' : ` title="${escapeHtml(meaning.meaning + (meaning.direction === 'lower' ? ' Lower is better.' : ''))}"`
    const line = meaning === undefined ? '' : `<td class="meaning">${escapeHtml(meaning.meaning)}</td>`
    return `<tr${note}><th scope="row">${escapeHtml(s.path)}${meaning?.direction === 'lower' ? ' <small>(lower is better)</small>' : ''}</th><td>${escapeHtml(formatValue(s.value))}</td>${line}</tr>`
  }
  const top = stats.filter((s) => !s.path.includes('.'))
  const statsHtml =
    stats.length <= STATS_SHOWN
      ? `<table class="stats"><tbody>${stats.map(statRow).join('')}</tbody></table>`
      : `<table class="stats"><tbody>${top.map(statRow).join('')}</tbody></table><details><summary>All ${stats.length} stats</summary><table class="stats"><tbody>${stats.map(statRow).join('')}</tbody></table></details>`
  const view = metricView(id, metric, points, views?.(id))
  const meanings = declared.filter((d) => d.kind === 'quality')
  const glossary =
    meanings.length === 0
      ? ''
      : `<details class="glossary"><summary>What the stats mean</summary><dl>${meanings.map((d) => `<dt><code>${escapeHtml(d.path)}</code>${d.direction === 'lower' ? ' (lower is better)' : ''}</dt><dd>${escapeHtml(d.meaning)}</dd>`).join('')}</dl></details>`
  const charts = view.charts.map((spec) => `<div class="chart${spec.kind === 'heatmap' ? ' square' : ''}"><canvas id="${chartId(spec)}" role="img" aria-label="${escapeHtml(spec.title)}"></canvas></div>`).join('')
  const errors = metric.errors.length === 0 ? '' : `<details><summary>${metric.errors.length} row(s) without a score</summary><ul>${metric.errors
    .slice(0, 200)
    .map((e) => `<li>row ${e.row}${e.stage === 'input' ? ' (skipped)' : ''}: ${escapeHtml(e.message)}</li>`)
    .join('')}</ul></details>`
  return `<section class="metric" data-metric="${escapeHtml(id)}"><h2>${escapeHtml(id)} <small>${escapeHtml(metric.version)}</small></h2>
<div class="summary">${statsHtml}${glossary}${view.blocks.join('')}</div>
${charts === '' ? '' : `<div class="charts">${charts}</div>`}
<p class="meta">${metric.rows} rows, ${metric.skipped} skipped · ${metric.timing.seconds.toFixed(2)} s (${metric.timing.rowsPerSecond} rows/s) · params <code>${escapeHtml(JSON.stringify(metric.params))}</code></p>${errors}</section>`
}

/**
 * Per row of the table, in its order, the input fields to show: every metric's, a field name
 * shown once (metrics reading the same input share its fields); null for rows without any.
 */
function pageInputs(rows: readonly ScoreLine[], inputs: RowInputs | undefined): Array<PageInput | null> {
  if (inputs === undefined || Object.keys(inputs).length === 0) return []
  const metrics = Object.values(inputs)
  return rows.map((line) => {
    const fields: ShownField[] = []
    let source: number | undefined
    for (const kept of metrics) {
      const input = kept.get(line.row)
      if (input === undefined) continue
      source ??= input.line
      for (const field of input.fields) if (!fields.some((f) => f.name === field.name)) fields.push(field)
    }
    if (fields.length === 0 && source === undefined) return null
    return source === undefined ? {fields} : {fields, line: source}
  })
}

/** One sentence per highlighted kind of span that some row carries, saying what a mark means. */
function spanLegend(rows: readonly ScoreLine[], spans: Readonly<Record<string, PageSpans[]>>): string {
  const shown = Object.entries(spans).flatMap(([id, list]) => list.filter((s) => s.threshold !== null && rows.some((line) => Array.isArray(valueAt(line, `${id}.${s.path}`)))).map((s) => ({id, ...s})))
  return shown
    .map((s) => `<p class="meta">${escapeHtml(s.id)}: ${escapeHtml(s.label)} <mark class="unsupported">marked like this</mark> score below ${escapeHtml(formatValue(s.threshold))}. Hover one for its score.</p>`)
    .join('\n')
}
