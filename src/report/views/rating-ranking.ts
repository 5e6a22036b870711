import type {ChartSpec} from '../charts.js'
import type {MetricViewBuilder} from '../metric-view.js'
import {countMatrix, numberAt, record} from './summary-access.js'

const FROM_RATINGS = ['equal', 'A', 'B']
const FROM_RANKING = ['equal', 'a', 'b']

/** rating-ranking: the confusion heatmap (ratings × ranking) and consistency per annotator. */
export const ratingRankingView: MetricViewBuilder = (summary) => {
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
  return {charts}
}
