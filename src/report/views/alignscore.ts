import type {ChartSpec} from '../charts.js'
import type {MetricViewBuilder} from '../metric-view.js'
import {numberAt, record} from './summary-access.js'
import {keyedTable} from './tables.js'

const COLUMNS = ['n', 'mean', 'rocAuc', 'balancedAccuracy', 'threshold', 'pearson', 'spearman', 'kendall']

/** alignscore: the per-dataset table (SummaC / TRUE protocols) and per-dataset AUC (or mean). */
export const alignscoreView: MetricViewBuilder = (summary) => {
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
  return {charts: [chart], blocks: [keyedTable('By dataset', 'dataset', datasets, COLUMNS)]}
}
