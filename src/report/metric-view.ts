import {scoreHistogram, type ChartSpec} from './charts.js'
import type {MetricReport, ScoreLine} from './report.js'

/** What the HTML report shows for one metric besides its stats table. */
export interface MetricView {
  charts: ChartSpec[]
  /** HTML blocks (tables), already escaped. */
  blocks: string[]
}

/** Builds the charts and tables that fit one metric's summary; unknown shapes give nothing. */
export type MetricViewBuilder = (summary: Readonly<Record<string, unknown>>, metric: MetricReport) => Partial<MetricView>

// Open registry, keyed by metric id, so a new metric adds its view without touching the page.
const VIEWS = new Map<string, MetricViewBuilder>()

export function registerMetricView(metricId: string, builder: MetricViewBuilder): void {
  VIEWS.set(metricId, builder)
}

/** The score histogram every metric with numeric row scores gets, then the metric's own view. */
export function metricView(id: string, metric: MetricReport, rows: readonly ScoreLine[]): MetricView {
  const own = VIEWS.get(id)?.(metric.summary, metric) ?? {}
  const histogram = scoreHistogram(id, rows)
  return {charts: [...(histogram === undefined ? [] : [histogram]), ...(own.charts ?? [])], blocks: own.blocks ?? []}
}
