import type {MetricViewInput, MetricViews, RowSpans} from '../kernel/interfaces/index.js'
import {histogramOf, rocOf, type ChartPoints, type ChartSpec} from './charts.js'
import type {MetricReport} from './report.js'
import {HTML_KIT} from './view-kits.js'

/** The views of the metrics in a report, by id: from the registry when the metric is installed. */
export type ViewLookup = (metricId: string) => MetricViews | undefined

/** What the HTML report shows for one metric besides its stats table. */
export interface MetricView {
  charts: ChartSpec[]
  /** HTML blocks (tables), already escaped. */
  blocks: string[]
}

/** A metric's part of report.json as its views see it. */
export function viewInput(id: string, metric: MetricReport): MetricViewInput {
  return {id, summary: metric.summary, params: metric.params, stats: metric.stats ?? [], rows: metric.rows, skipped: metric.skipped}
}

/**
 * The score histogram (over every row: `points`) every metric with numeric row scores gets (split by label where its
 * rows carry one), the ROC curve where labels are positive/negative, then the metric's own view.
 */
export function metricView(id: string, metric: MetricReport, points: ChartPoints, views: MetricViews | undefined): MetricView {
  const own = views?.html?.(viewInput(id, metric), HTML_KIT) ?? {}
  const histogram = histogramOf(points, metric.stats ?? [])
  const roc = rocOf(points, views?.rowLabel?.coverage)
  return {charts: [...(histogram === undefined ? [] : [histogram]), ...(roc === undefined ? [] : [roc]), ...(own.charts ?? [])], blocks: own.blocks ?? []}
}

/** The row spans a metric highlights, with their thresholds resolved against its summary. */
export interface PageSpans {
  path: string
  label: string
  /** null: mark nothing (the metric gave no finite threshold). */
  threshold: number | null
  separator: string
}

export function pageSpans(metric: MetricReport, spans: readonly RowSpans[] | undefined): PageSpans[] {
  return (spans ?? []).map((s) => {
    const threshold = typeof s.threshold === 'number' ? s.threshold : s.threshold(metric.summary)
    const separator = s.separator === undefined ? ' ' : typeof s.separator === 'string' ? s.separator : s.separator(metric.summary)
    return {path: s.path, label: s.label, threshold: Number.isFinite(threshold) ? threshold : null, separator}
  })
}
