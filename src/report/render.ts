import {dirname, join} from 'node:path'

import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'
import {FILES, readReport, readScores, writeTextOutput} from './output.js'

/** Re-renders a report.json; writes `file`, or prints to stdout when it is undefined. */
export async function renderReport(reportFile: string, format: 'html' | 'md', file: string | undefined): Promise<{file: string} | undefined> {
  const report = await readReport(reportFile)
  const text = format === 'md' ? renderMarkdown(report) : renderHtml(report, await readScores(join(dirname(reportFile), FILES.scores)))
  const written = await writeTextOutput(text, file, 'the report')
  return written === undefined ? undefined : {file: written}
}
