import type {ChartSpec, HtmlKit, HtmlSection, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
import {countMatrix, numberAt, record} from '../../src/kernel/summary-access.js'

const FROM_RATINGS = ['equal', 'A', 'B']
const FROM_RANKING = ['equal', 'a', 'b']

/** rating-ranking: the confusion heatmap (ratings × ranking) and consistency per annotator. */
function html({summary}: MetricViewInput, kit: HtmlKit): HtmlSection {
  const charts: ChartSpec[] = []
  const confusion = countMatrix(summary['confusion'], FROM_RATINGS, FROM_RANKING)
  if (confusion !== undefined) {
    charts.push({kind: 'heatmap', title: 'Preference from ratings × from the ranking (counted pairs)', xLabels: FROM_RANKING, yLabels: FROM_RATINGS, values: confusion, xTitle: 'from ranking', yTitle: 'from ratings'})
  }
  const annotators = Object.entries(record(summary['byAnnotator']) ?? {})
  if (annotators.length >= 2) {
    charts.push({
      kind: 'bar',
      title: 'Consistency by annotator',
      labels: annotators.map(([name]) => name),
      series: [{label: 'consistency', data: annotators.map(([, stats]) => numberAt(record(stats)?.['consistency']))}],
      horizontal: annotators.length > 12,
      yTitle: 'consistency',
    })
  }
  return {charts, blocks: [biasTable(record(summary['bias']), kit), examplesTable(summary['inconsistentExamples'], kit)].filter((b) => b !== '')}
}

/** Preferred vs other response, per protocol: mean words and unique tokens with the bootstrap interval of the difference. */
function biasTable(bias: Record<string, unknown> | undefined, kit: HtmlKit): string {
  if (bias === undefined) return ''
  const rows: string[] = []
  for (const protocol of ['ratings', 'rankings']) {
    const p = record(bias[protocol])
    for (const [measure, label] of [['length', 'length (words)'], ['uniqueTokens', 'unique tokens']] as const) {
      const m = record(p?.[measure])
      if (m === undefined) continue
      const cells = [m['preferred'], m['nonPreferred'], m['difference']].map((v) => `<td>${kit.escape(kit.formatValue(v))}</td>`).join('')
      rows.push(`<tr><th scope="row">${protocol}</th><th scope="row">${label}</th>${cells}<td>${kit.escape(`${kit.formatValue(m['low'])} … ${kit.formatValue(m['high'])}`)}</td></tr>`)
    }
  }
  if (rows.length === 0) return ''
  return `<table class="keyed"><caption>Length bias: preferred vs other response (paired bootstrap interval of the difference)</caption><thead><tr><th scope="col">protocol</th><th scope="col">measure</th><th scope="col">preferred</th><th scope="col">other</th><th scope="col">difference</th><th scope="col">interval</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

/** The first pairs whose two protocols disagree, quoted. */
function examplesTable(value: unknown, kit: HtmlKit): string {
  if (!Array.isArray(value) || value.length === 0) return ''
  const rows = (value as Array<Record<string, unknown>>).map((e) => {
    const cell = (v: unknown) => `<td>${kit.escape(v === null || v === undefined ? '—' : String(v))}</td>`
    return `<tr>${cell(e['row'])}${cell(e['instruction'])}${cell(e['responseA'])}${cell(e['responseB'])}${cell(`${e['ratingA']} vs ${e['ratingB']} → ${e['fromRatings']}`)}${cell(e['fromRanking'])}</tr>`
  })
  return `<table class="keyed examples"><caption>Pairs where ratings and ranking disagree (first ${value.length})</caption><thead><tr><th scope="col">row</th><th scope="col">instruction</th><th scope="col">response A</th><th scope="col">response B</th><th scope="col">ratings</th><th scope="col">ranking</th></tr></thead><tbody>${rows.join('')}</tbody></table>`
}

export const ratingRankingViews: MetricViews = {html}
