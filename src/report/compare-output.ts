import {renderCompareMarkdown} from './compare-markdown.js'
import type {ComparedRun, Comparison} from './compare.js'
import {renderHtml} from './html.js'
import type {ViewLookup} from './metric-view.js'
import {writeTextOutput} from './output.js'

export type CompareFormat = 'md' | 'json' | 'html'

/** The comparison in one format; `html` is the head report's page with a baseline comparison section. */
export function renderComparison(comparison: Comparison, head: ComparedRun, format: CompareFormat, views?: ViewLookup): string {
  switch (format) {
    case 'md':
      return renderCompareMarkdown(comparison)
    case 'json':
      return JSON.stringify(comparison, null, 2) + '\n'
    case 'html':
      return renderHtml(head.report, head.rows, {comparison, ...(views === undefined ? {} : {views})})
  }
}

/** Writes the comparison to `file`, or to stdout when it is undefined; returns the file written. */
export async function writeComparison(comparison: Comparison, head: ComparedRun, format: CompareFormat, file: string | undefined, views?: ViewLookup): Promise<string | undefined> {
  return writeTextOutput(renderComparison(comparison, head, format, views), file, 'the comparison')
}
