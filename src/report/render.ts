import {writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {runtimeError} from '../core/errors.js'
import {renderHtml} from './html.js'
import {renderMarkdown} from './markdown.js'
import {FILES, readReport, readScores} from './output.js'

/** Re-renders a report.json; writes `file`, or prints to stdout when it is undefined. */
export async function renderReport(reportFile: string, format: 'html' | 'md', file: string | undefined): Promise<{file: string} | undefined> {
  const report = await readReport(reportFile)
  const text = format === 'md' ? renderMarkdown(report) : renderHtml(report, await readScores(join(dirname(reportFile), FILES.scores)))
  if (file === undefined) {
    process.stdout.write(text)
    return undefined
  }
  try {
    await writeFile(file, text)
  } catch (error) {
    throw runtimeError(`${file}: cannot write the report: ${(error as Error).message}`, error, 'Choose another file with --output.')
  }
  return {file}
}
