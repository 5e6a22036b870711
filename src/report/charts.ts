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

/**
 * A metric's row scores as the charts read them, for every row (not only those the page
 * shows): the score, the row's label as an index into `labelNames` (-1: none), and whether
 * the label is positive for the ROC curve (1, 0; -1: not covered). Numbers only, so a run of
 * 1,000,000 rows keeps a few megabytes.
 */
export class ChartPoints {
  #scores = new Float64Array(1024)
  #labels = new Int32Array(1024)
  #positive = new Int8Array(1024)
  #length = 0
  readonly labelNames: string[] = []
  readonly #labelIndex = new Map<string, number>()

  get length(): number {
    return this.#length
  }

  add(score: number, label: string | undefined, positive: boolean | undefined): void {
    if (this.#length === this.#scores.length) {
      const grow = <T extends Float64Array | Int32Array | Int8Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2)
        b.set(a)
        return b
      }
      this.#scores = grow(this.#scores, (n) => new Float64Array(n))
      this.#labels = grow(this.#labels, (n) => new Int32Array(n))
      this.#positive = grow(this.#positive, (n) => new Int8Array(n))
    }
    let index = -1
    if (label !== undefined) {
      index = this.#labelIndex.get(label) ?? -1
      if (index === -1) {
        index = this.labelNames.length
        this.labelNames.push(label)
        this.#labelIndex.set(label, index)
      }
    }
    this.#scores[this.#length] = score
    this.#labels[this.#length] = index
    this.#positive[this.#length] = positive === undefined ? -1 : positive ? 1 : 0
    this.#length++
  }

  score(i: number): number {
    return this.#scores[i]!
  }

  label(i: number): string | undefined {
    const index = this.#labels[i]!
    return index === -1 ? undefined : this.labelNames[index]
  }

  positive(i: number): boolean | undefined {
    const p = this.#positive[i]!
    return p === -1 ? undefined : p === 1
  }

  /** From scores.jsonl lines, with labels from the kept inputs where there are any. */
  static of(metric: string, rows: readonly ScoreLine[], inputs?: ReadonlyMap<number, RowInput>): ChartPoints {
    const points = new ChartPoints()
    for (const line of rows) {
      const score = rowScore(line[metric])
      if (score === undefined || !Number.isFinite(score)) continue
      const input = inputs?.get(line.row)
      points.add(score, input?.label, input?.positive)
    }
    return points
  }
}

/**
 * Score distribution of a metric's rows (numbers, or objects with a numeric `score`), or
 * undefined when its rows carry none. Bins span {@link scoreRange}, so two reports'
 * histograms line up. With labels (a few distinct values), one stacked series per label.
 */
export function scoreHistogram(metric: string, rows: readonly ScoreLine[], stats: readonly StatDeclaration[] = [], inputs?: ReadonlyMap<number, RowInput>): BarChartSpec | undefined {
  return histogramOf(ChartPoints.of(metric, rows, inputs), stats)
}

/** {@link scoreHistogram} over a metric's points. */
export function histogramOf(points: ChartPoints, stats: readonly StatDeclaration[] = []): BarChartSpec | undefined {
  const n = points.length
  if (n === 0) return undefined
  let min = Infinity
  let max = -Infinity
  for (let i = 0; i < n; i++) {
    const score = points.score(i)
    if (score < min) min = score
    if (score > max) max = score
  }
  const {low, high} = scoreRange(stats, min, max)
  const bins = high > low ? BINS : 1
  const width = (high - low) / bins || 1
  const labels = [...points.labelNames].sort()
  let unlabelled = false
  for (let i = 0; i < n && !unlabelled; i++) if (points.label(i) === undefined) unlabelled = true
  const split = labels.length >= 1 && labels.length <= MAX_LABELS
  const groups = split ? [...labels, ...(unlabelled ? ['no label'] : [])] : ['rows']
  const counts = groups.map(() => Array.from({length: bins}, () => 0))
  for (let i = 0; i < n; i++) {
    const score = points.score(i)
    const group = split ? groups.indexOf(points.label(i) ?? 'no label') : 0
    counts[group]![Math.min(bins - 1, Math.max(0, Math.floor((score - low) / width)))]!++
  }
  const digits = width < 1 ? 2 : 0
  const binLabels = counts[0]!.map((_, i) => (bins === 1 ? low.toFixed(digits) : `${(low + i * width).toFixed(digits)}–${(low + (i + 1) * width).toFixed(digits)}`))
  return {
    kind: 'bar',
    title: `Score distribution (${n} rows${split ? ', by label' : ''})`,
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
  return rocOf(ChartPoints.of(metric, rows, inputs), coverage)
}

/** {@link rocCurve} over a metric's points. */
export function rocOf(points: ChartPoints, coverage?: string): LineChartSpec | undefined {
  const pairs: Array<{score: number; positive: boolean}> = []
  for (let i = 0; i < points.length; i++) {
    const positive = points.positive(i)
    if (positive !== undefined) pairs.push({score: points.score(i), positive})
  }
  const positives = pairs.filter((p) => p.positive).length
  const negatives = pairs.length - positives
  if (positives === 0 || negatives === 0) return undefined
  pairs.sort((a, b) => b.score - a.score)
  const curve: Array<[number, number]> = [[0, 0]]
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
    curve.push([fp / negatives, tp / positives])
  }
  const step = Math.max(1, Math.ceil(curve.length / ROC_POINTS))
  const thinned = curve.filter((_, i) => i % step === 0 || i === curve.length - 1)
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
