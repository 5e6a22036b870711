import type {AnyMetric, InputRow, RowOutcome} from '../../src/kernel/interfaces/index.js'
import {resolveParams} from '../../src/core/params.js'
import {checkMetric} from '../../src/core/registry.js'

export const silentLogger = {info() {}, warn() {}, debug() {}}

/**
 * Scores rows with a metric directly (no CLI), the way the runner does: params validated
 * with their defaults, one batch. Fails if the metric object itself is invalid.
 */
export async function scoreRows(metric: AnyMetric, rows: readonly InputRow[], params: Record<string, unknown> = {}): Promise<{outcomes: Array<RowOutcome<unknown>>; summary: Record<string, unknown>}> {
  const problems = checkMetric(metric)
  if (problems.length > 0) throw new Error(`invalid metric: ${problems.join('; ')}`)
  const resolved = resolveParams(metric, params, 'test')
  const outcomes = await metric.score(rows, {params: resolved, logger: silentLogger, signal: new AbortController().signal, rows: rows.map((_, i) => i)})
  const scored = outcomes.flatMap((o, row) => ('value' in o ? [keptRow(metric, {row, input: rows[row]!, value: o.value}, resolved)] : []))
  const summary = await metric.summarize(scored, {params: resolved, logger: silentLogger})
  return {outcomes, summary}
}

/** What the runner keeps of a scored row for the summary: the metric's `summaryRow`, else the row. */
export function keptRow(metric: AnyMetric, scored: {row: number; input: InputRow; value: unknown}, params: Record<string, unknown>): {row: number} {
  return metric.summaryRow === undefined ? scored : (metric.summaryRow(scored, params) as {row: number})
}
