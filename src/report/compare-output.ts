import {writeFile} from 'node:fs/promises'

import {runtimeError} from '../core/errors.js'
import {renderCompareMarkdown} from './compare-markdown.js'
import type {ComparedRun, Comparison} from './compare.js'
import {renderHtml} from './html.js'

export type CompareFormat = 'md' | 'json' | 'html'

/** The comparison in one format; `html` is the head report's page with a baseline comparison section. */
export function renderComparison(comparison: Comparison, head: ComparedRun, format: CompareFormat): string {
  switch (format) {
    case 'md':
      return renderCompareMarkdown(comparison)
    case 'json':
      return JSON.stringify(comparison, null, 2) + '\n'
    case 'html':
      return renderHtml(head.report, head.rows, {comparison})
  }
}

/** Writes the comparison to `file`, or to stdout when it is undefined; returns the file written. */
export async function writeComparison(comparison: Comparison, head: ComparedRun, format: CompareFormat, file: string | undefined): Promise<string | undefined> {
  const text = renderComparison(comparison, head, format)
  if (file === undefined) {
    process.stdout.write(text)
    return undefined
  }
  try {
    await writeFile(file, text)
  } catch (error) {
    throw runtimeError(`${file}: cannot write the comparison: ${(error as Error).message}`, error, 'Choose another file with --output.')
  }
  return file
}
