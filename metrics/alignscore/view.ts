import type {ChartSpec, HtmlKit, HtmlSection, MetricViewInput, MetricViews} from '../../src/kernel/interfaces/index.js'
import {numberAt, record} from '../../src/kernel/summary-access.js'

const COLUMNS = ['n', 'mean', 'rocAuc', 'balancedAccuracy', 'threshold', 'pearson', 'spearman', 'kendall']

/** alignscore: the per-dataset table (SummaC / TRUE protocols) and per-dataset AUC (or mean). */
function html({summary}: MetricViewInput, kit: HtmlKit): HtmlSection {
  const datasets = Object.entries(record(summary['byDataset']) ?? {}).flatMap(([name, stats]) => {
    const r = record(stats)
    return r === undefined ? [] : [[name, r] as [string, Record<string, unknown>]]
  })
  if (datasets.length === 0) return {}
  const stat = datasets.some(([, s]) => numberAt(s['rocAuc']) !== null) ? 'rocAuc' : 'mean'
  const chart: ChartSpec = {
    kind: 'bar',
    title: `${stat === 'rocAuc' ? 'ROC AUC' : 'Mean score'} by dataset`,
    labels: datasets.map(([name]) => name),
    series: [{label: stat, data: datasets.map(([, s]) => numberAt(s[stat]))}],
    horizontal: datasets.length > 12,
    yTitle: stat,
  }
  return {charts: [chart], blocks: [kit.keyedTable('By dataset', 'dataset', datasets, COLUMNS)]}
}

/** The report's view of alignscore: per-dataset results, and the claim sentences highlighted by support. */
export const alignscoreViews: MetricViews = {
  html,
  spans: [
    {
      path: 'sentences',
      label: 'Claim sentences',
      // The summary's threshold (given, or tuned on dev rows) when there is one, else 0.5.
      threshold: (summary) => (typeof summary['threshold'] === 'number' ? summary['threshold'] : 0.5),
    },
  ],
}
