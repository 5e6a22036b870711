import {createHash} from 'node:crypto'
import {existsSync} from 'node:fs'
import {isAbsolute, resolve} from 'node:path'

import {Dataset, type CsvHeader} from './datasets/dataset.js'
import type {MetricRegistry} from './registry.js'
import type {Logger} from '../kernel/interfaces/index.js'
import type {ChartPoints} from '../report/charts.js'
import type {Report, ScoreLine} from '../report/report.js'
import {RowInputCollector, type RowInput} from '../report/row-inputs.js'
import type {RereadInputs} from '../report/render.js'
import {DEFAULT_ROW_SELECTION, type RowSelectionBounds} from '../report/row-selection.js'

/**
 * For `alignctl report --format html`: the row inputs report.html shows, read again from the
 * run's input files. scores.jsonl holds results only, so the inputs come from the files the
 * run read, and only from those still there with the same sha256 (a changed file would show
 * other rows' text). Metrics that join several inputs, or that are not installed, show none.
 * As in the run, only the inputs of the rows the page shows are kept (the same selection,
 * RowSelector), and every row's chart numbers (score, label).
 */
export async function rereadRowInputs(report: Report, lines: readonly ScoreLine[], registry: MetricRegistry, logger: Logger, cwd = process.cwd(), bounds: RowSelectionBounds = DEFAULT_ROW_SELECTION): Promise<RereadInputs> {
  const out: Record<string, ReadonlyMap<number, RowInput>> = {}
  const points: Record<string, ChartPoints> = {}
  const scored = new Set(lines.map((l) => l.row))
  for (const [id, metric] of Object.entries(report.metrics)) {
    let registered
    try {
      registered = registry.get(id)
    } catch {
      continue
    }
    if (registered.metric.inputs.length !== 1 || registered.metric.combine !== undefined || metric.inputs.length !== 1) continue
    const key = metric.inputs[0]!
    const scan = report.inputs[key]
    if (scan === undefined) continue
    const path = isAbsolute(scan.path) ? scan.path : resolve(cwd, scan.path)
    if (!existsSync(path)) {
      logger.warn(`${id}: ${scan.path} is gone, so the row table shows no inputs for it.`)
      continue
    }
    const views = registry.views(id)
    const collector = new RowInputCollector(views, metric.params, bounds)
    const results = new Map(lines.flatMap((l) => (id in l ? [[l.row, l[id]] as const] : [])))
    const hash = createHash('sha256')
    const dataset = new Dataset(path, {input: registered.metric.inputs[0]!, map: report.run?.map ?? {}, csvHeader: (report.run?.csvHeader ?? 'auto') as CsvHeader})
    try {
      for await (const record of dataset.records((chunk) => hash.update(chunk))) {
        if (!scored.has(record.row) || !results.has(record.row)) continue
        // A bad input row has no input to show, but counts for the selection as in the run.
        if (!record.ok) {
          collector.skip(record.row)
          continue
        }
        const result = results.get(record.row)
        const failed = result !== null && typeof result === 'object' && typeof (result as {error?: unknown}).error === 'string'
        collector.add(record.row, record.value, failed ? undefined : result, record.line)
      }
    } catch (error) {
      logger.warn(`${id}: cannot read ${scan.path} again (${(error as Error).message}), so the row table shows no inputs for it.`)
      continue
    }
    if (hash.digest('hex') !== scan.sha256) {
      logger.warn(`${id}: ${scan.path} changed since the run (sha256 differs), so the row table shows no inputs for it.`)
      continue
    }
    out[id] = collector.rows
    points[id] = collector.points
  }
  return {inputs: out, points}
}
