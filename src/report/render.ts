import {dirname, join} from 'node:path'

import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'
import type {ViewLookup} from './metric-view.js'
import {FILES, readReport, readScores, writeTextOutput} from './output.js'
import type {Report, ScoreLine} from './report.js'
import type {ChartPoints} from './charts.js'
import type {RowInputs} from './row-inputs.js'

/** The row inputs of the rows report.html shows, and every row's chart numbers (score, label), by metric. */
export interface RereadInputs {
  inputs: RowInputs
  points: Readonly<Record<string, ChartPoints>>
}

/** Finds the row inputs report.html shows for a report being re-rendered (from the run's input files). */
export type RowInputSource = (report: Report, lines: readonly ScoreLine[]) => Promise<RereadInputs>

/** Re-renders a report.json; writes `file`, or prints to stdout when it is undefined. */
export async function renderReport(reportFile: string, format: 'html' | 'md', file: string | undefined, views?: ViewLookup, inputs?: RowInputSource): Promise<{file: string} | undefined> {
  const report = await readReport(reportFile)
  const options = views === undefined ? {} : {views}
  let text: string
  if (format === 'md') text = renderMarkdown(report, options)
  else {
    const lines = await readScores(join(dirname(reportFile), FILES.scores))
    text = renderHtml(report, lines, inputs === undefined ? options : {...options, ...(await inputs(report, lines))})
  }
  const written = await writeTextOutput(text, file, 'the report')
  return written === undefined ? undefined : {file: written}
}
