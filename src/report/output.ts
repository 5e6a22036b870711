import type {ViewLookup} from './metric-view.js'
import {createReadStream} from 'node:fs'
import {mkdir, writeFile, readFile} from 'node:fs/promises'
import {join} from 'node:path'
import {createInterface} from 'node:readline'

import {runtimeError, usageError} from '../kernel/errors.js'
import {writeFailure, writeFileAtomically} from '../kernel/write-files.js'
import type {ChartPoints} from './charts.js'
import {renderHtml, type PageRows} from './html.js'
import {renderMarkdown} from './markdown.js'
import type {Report, ScoreLine} from './report.js'
import type {RowInputs} from './row-inputs.js'
import {assertReport} from './validate.js'

export type ReportFormat = 'json' | 'html' | 'md'
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'html', 'md']

export const FILES = {json: 'report.json', scores: 'scores.jsonl', html: 'report.html', md: 'summary.md'} as const

/** What report.html needs besides the lines when they stream by: its rows, chosen as they went, and every row's chart numbers. */
export interface StreamedPage {
  page: () => PageRows
  points: Readonly<Record<string, ChartPoints>>
}

/**
 * Writes the run's files into `dir`. `report.json` and `scores.jsonl` are always written
 * (they are the data); `html` and `md` when asked. Each file is written beside its final
 * name and renamed into place, so a crash never leaves a half-written report; a failed write
 * (disk full) removes its temp file and names the file and the fix (exit 3). `lines` may
 * stream (an async iterable, read once); report.html then takes its rows from `streamed`.
 */
export async function writeOutputs(dir: string, report: Report, lines: readonly ScoreLine[] | AsyncIterable<ScoreLine>, formats: readonly ReportFormat[], views?: ViewLookup, inputs?: RowInputs, streamed?: StreamedPage): Promise<string[]> {
  try {
    await mkdir(dir, {recursive: true})
  } catch (error) {
    throw runtimeError(`${dir}: cannot create the output folder: ${(error as Error).message}`, {cause: error, suggestions: ['Choose another folder with --out.']})
  }
  const written: string[] = []
  const put = async (name: string, content: string | Iterable<string> | AsyncIterable<string>) => {
    const file = join(dir, name)
    await writeFileAtomically(file, content, {what: name, elsewhere: 'choose another folder with --out'})
    written.push(file)
  }
  // Line by line: one string of every row would hit V8's string limit on large runs.
  await put(
    FILES.scores,
    (async function* () {
      for await (const line of lines) yield JSON.stringify(line) + '\n'
    })(),
  )
  await put(FILES.json, JSON.stringify(report, null, 2) + '\n')
  const options = views === undefined ? {} : {views}
  if (formats.includes('md')) await put(FILES.md, renderMarkdown(report, options))
  if (formats.includes('html')) {
    const withInputs = inputs === undefined ? options : {...options, inputs}
    if (streamed !== undefined) {
      const page = streamed.page()
      await put(FILES.html, renderHtml(report, page.rows, {...withInputs, page, points: streamed.points}))
    } else {
      if (!Array.isArray(lines)) throw new Error('writeOutputs: report.html from streamed lines needs the page they chose.')
      await put(FILES.html, renderHtml(report, lines as readonly ScoreLine[], withInputs))
    }
  }
  return written
}

/** Reads and validates a `report.json`. */
export async function readReport(file: string): Promise<Report> {
  let value: unknown
  try {
    value = JSON.parse(await readFile(file, 'utf8'))
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw usageError(code === 'ENOENT' ? `${file}: no such file.` : `${file}: not valid JSON: ${(error as Error).message}`, 'Give the report.json that `alignctl eval` wrote.')
  }
  assertReport(value, file)
  return value
}

/** Reads `scores.jsonl`; a missing file gives no rows (the report renders without a row table). */
export async function readScores(file: string): Promise<ScoreLine[]> {
  const lines: ScoreLine[] = []
  let n = 0
  try {
    for await (const text of createInterface({input: createReadStream(file), crlfDelay: Infinity})) {
      n++
      if (text.trim() === '') continue
      let line: unknown
      try {
        line = JSON.parse(text)
      } catch (error) {
        throw usageError(`${file}:${n}: not valid JSON: ${(error as Error).message}`)
      }
      if (line === null || typeof line !== 'object' || !Number.isInteger((line as {row?: unknown}).row)) {
        throw usageError(`${file}:${n}: field "row": must be an integer; each line of scores.jsonl is an object with its row number.`, 'Give the scores.jsonl that `alignctl eval` wrote.')
      }
      lines.push(line as ScoreLine)
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return lines
}

/**
 * Writes a rendered text to `file`, or to stdout when `file` is undefined (`--output -`);
 * `what` names it in the error ("the report", "the comparison"). Returns the file written.
 */
export async function writeTextOutput(text: string, file: string | undefined, what: string): Promise<string | undefined> {
  if (file === undefined) {
    process.stdout.write(text)
    return undefined
  }
  try {
    await writeFile(file, text)
  } catch (error) {
    throw writeFailure(file, what, error, 'choose another file with --output')
  }
  return file
}
