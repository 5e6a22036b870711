import type {ScoreLine} from './report.js'
import {rowScore} from './row-score.js'

// Charts are plain data that metrics' views also build, so their types live in the plugin API.
export type {BarChartSpec, ChartSpec, HeatmapSpec} from '../kernel/interfaces/index.js'
import type {BarChartSpec} from '../kernel/interfaces/index.js'

const BINS = 20

/**
 * Score distribution of a metric's rows (numbers, or objects with a numeric `score`), or
 * undefined when its rows carry none. Scores within [0, 1] get fixed bins over [0, 1] so
 * two reports' histograms line up; others span their min to max.
 */
export function scoreHistogram(metric: string, rows: readonly ScoreLine[]): BarChartSpec | undefined {
  const scores: number[] = []
  for (const line of rows) {
    const score = rowScore(line[metric])
    if (score !== undefined && Number.isFinite(score)) scores.push(score)
  }
  if (scores.length === 0) return undefined
  let min = Infinity
  let max = -Infinity
  for (const s of scores) {
    if (s < min) min = s
    if (s > max) max = s
  }
  const unit = min >= 0 && max <= 1
  const low = unit ? 0 : min
  const high = unit ? 1 : max
  const bins = high > low ? BINS : 1
  const width = (high - low) / bins || 1
  const counts: number[] = Array.from({length: bins}, () => 0)
  for (const s of scores) counts[Math.min(bins - 1, Math.floor((s - low) / width))]!++
  const digits = unit || width < 1 ? 2 : 0
  const labels = counts.map((_, i) => (bins === 1 ? low.toFixed(digits) : `${(low + i * width).toFixed(digits)}–${(low + (i + 1) * width).toFixed(digits)}`))
  return {kind: 'bar', title: `Score distribution (${scores.length} rows)`, labels, series: [{label: 'rows', data: counts}], histogram: true, xTitle: 'score', yTitle: 'rows'}
}
