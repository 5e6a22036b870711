import {dirname, join} from 'node:path'

import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'
import type {ViewLookup} from './metric-view.js'
import {FILES, readReport, readScores, writeTextOutput} from './output.js'

/** Re-renders a report.json; writes `file`, or prints to stdout when it is undefined. */
export async function renderReport(reportFile: string, format: 'html' | 'md', file: string | undefined, views?: ViewLookup): Promise<{file: string} | undefined> {
  const report = await readReport(reportFile)
  const options = views === undefined ? {} : {views}
  const text = format === 'md' ? renderMarkdown(report, options) : renderHtml(report, await readScores(join(dirname(reportFile), FILES.scores)), options)
  const written = await writeTextOutput(text, file, 'the report')
  return written === undefined ? undefined : {file: written}
}
