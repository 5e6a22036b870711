import type {ScoreLine} from './report.js'
import type {RowInput} from './row-inputs.js'
import {rowScore} from './row-score.js'

// Charts are plain data that metrics' views also build, so their types live in the plugin API.
export type {BarChartSpec, ChartSpec, HeatmapSpec, LineChartSpec} from '../kernel/interfaces/index.js'
import type {BarChartSpec, LineChartSpec, StatDeclaration} from '../kernel/interfaces/index.js'

const BINS = 20
/** Labels beyond this many are not split out (a free-text field is no label). */
const MAX_LABELS = 8
/** Points a ROC curve keeps, whatever the row count. */
const ROC_POINTS = 400
// No green and red: the page cannot know which label is the good one.
const LABEL_COLORS = ['#bf8700', '#0969da', '#8250df', '#1b7c83', '#57606a', '#e16f24', '#bf3989', '#4d2d00']
const NO_LABEL_COLOR = '#c4c9cf'

/**
 * The span the row scores are drawn over: the declared range of the stat that is the mean of
 * the row score (`meanOf` '' or 'score'), where both ends are declared; else [0, 1] for scores
 * inside it, else the data's minimum to maximum.
 */
export function scoreRange(stats: readonly StatDeclaration[], min: number, max: number): {low: number; high: number} {
  const declared = stats.find((s) => (s.meanOf === '' || s.meanOf === 'score') && s.range?.min !== undefined && s.range.max !== undefined)?.range
  if (declared !== undefined && min >= declared.min! && max <= declared.max!) return {low: declared.min!, high: declared.max!}
  if (min >= 0 && max <= 1) return {low: 0, high: 1}
  return {low: min, high: max}
}

function scoresOf(metric: string, rows: readonly ScoreLine[]): Array<{row: number; score: number}> {
  const out: Array<{row: number; score: number}> = []
  for (const line of rows) {
    const score = rowScore(line[metric])
    if (score !== undefined && Number.isFinite(score)) out.push({row: line.row, score})
  }
  return out
}

/**
 * Score distribution of a metric's rows (numbers, or objects with a numeric `score`), or
 * undefined when its rows carry none. Bins span {@link scoreRange}, so two reports'
 * histograms line up. With labels (a few distinct values), one stacked series per label.
 */
export function scoreHistogram(metric: string, rows: readonly ScoreLine[], stats: readonly StatDeclaration[] = [], inputs?: ReadonlyMap<number, RowInput>): BarChartSpec | undefined {
  const scores = scoresOf(metric, rows)
  if (scores.length === 0) return undefined
  let min = Infinity
  let max = -Infinity
  for (const {score} of scores) {
    if (score < min) min = score
    if (score > max) max = score
  }
  const {low, high} = scoreRange(stats, min, max)
  const bins = high > low ? BINS : 1
  const width = (high - low) / bins || 1
  const labelOf = (row: number) => inputs?.get(row)?.label
  const labels = [...new Set(scores.map((s) => labelOf(s.row)).filter((l): l is string => l !== undefined))].sort()
  const split = labels.length >= 1 && labels.length <= MAX_LABELS
  const groups = split ? [...labels, ...(scores.some((s) => labelOf(s.row) === undefined) ? ['no label'] : [])] : ['rows']
  const counts = groups.map(() => Array.from({length: bins}, () => 0))
  for (const {row, score} of scores) {
    const group = split ? groups.indexOf(labelOf(row) ?? 'no label') : 0
    counts[group]![Math.min(bins - 1, Math.max(0, Math.floor((score - low) / width)))]!++
  }
  const digits = width < 1 ? 2 : 0
  const binLabels = counts[0]!.map((_, i) => (bins === 1 ? low.toFixed(digits) : `${(low + i * width).toFixed(digits)}–${(low + (i + 1) * width).toFixed(digits)}`))
  return {
    kind: 'bar',
    title: `Score distribution (${scores.length} rows${split ? ', by label' : ''})`,
    labels: binLabels,
    series: groups.map((label, i) => ({label: split && i < labels.length ? `label ${label}` : label, data: counts[i]!, ...(split ? {color: i < labels.length ? LABEL_COLORS[i % LABEL_COLORS.length]! : NO_LABEL_COLOR} : {})})),
    histogram: true,
    stacked: split,
    xTitle: 'score',
    yTitle: 'rows',
  }
}

/**
 * The ROC curve of the row score against the rows' positive/negative label, with the chance
 * line, or undefined unless both classes occur. Ties are one step (the curve goes diagonally
 * through them); the area is the trapezoid sum over every step, before the points are thinned.
 */
export function rocCurve(metric: string, rows: readonly ScoreLine[], inputs: ReadonlyMap<number, RowInput> | undefined, coverage?: string): LineChartSpec | undefined {
  if (inputs === undefined) return undefined
  const pairs: Array<{score: number; positive: boolean}> = []
  for (const {row, score} of scoresOf(metric, rows)) {
    const positive = inputs.get(row)?.positive
    if (positive !== undefined) pairs.push({score, positive})
  }
  const positives = pairs.filter((p) => p.positive).length
  const negatives = pairs.length - positives
  if (positives === 0 || negatives === 0) return undefined
  pairs.sort((a, b) => b.score - a.score)
  const points: Array<[number, number]> = [[0, 0]]
  let tp = 0
  let fp = 0
  let area = 0
  for (let i = 0; i < pairs.length; ) {
    const score = pairs[i]!.score
    let dtp = 0
    let dfp = 0
    for (; i < pairs.length && pairs[i]!.score === score; i++) pairs[i]!.positive ? dtp++ : dfp++
    area += (dfp / negatives) * ((tp + dtp / 2) / positives)
    tp += dtp
    fp += dfp
    points.push([fp / negatives, tp / positives])
  }
  const step = Math.max(1, Math.ceil(points.length / ROC_POINTS))
  const thinned = points.filter((_, i) => i % step === 0 || i === points.length - 1)
  return {
    kind: 'line',
    title: `ROC curve (${pairs.length} labelled rows${coverage === undefined ? '' : `, ${coverage}`}, AUC ${area.toFixed(4)})`,
    series: [
      {label: 'ROC', points: thinned, color: '#0969da'},
      {label: 'chance', points: [[0, 0], [1, 1]], color: '#8c959f', dashed: true},
    ],
    xTitle: 'false positive rate',
    yTitle: 'true positive rate',
    xRange: {min: 0, max: 1},
    yRange: {min: 0, max: 1},
  }
}
