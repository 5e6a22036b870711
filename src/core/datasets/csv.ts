import {Readable} from 'node:stream'

import {parse, type CsvError} from 'csv-parse'

import {inputError} from '../errors.js'
import type {TextLine} from './lines.js'
import type {RawRecord} from './records.js'

/**
 * CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) through csv-parse.
 * Yields every record as cells with the line it starts on; deciding whether the first one is
 * a header is the caller's job, since that depends on the metric's columns.
 */
export async function* readCsv(lines: AsyncIterable<TextLine>, file: string, delimiter = ','): AsyncGenerator<RawRecord> {
  async function* text() {
    for await (const {text} of lines) yield text + '\n'
  }
  const parser = Readable.from(text()).pipe(
    parse({delimiter, info: true, raw: true, relax_column_count: true, skip_empty_lines: true}),
  )
  try {
    for await (const {record, info, raw} of parser as AsyncIterable<{record: string[]; raw: string; info: {lines: number}}>) {
      yield {line: info.lines - countNewlines(raw), kind: 'cells', cells: record}
    }
  } catch (error) {
    const csv = error as CsvError & {lines?: number}
    if (typeof csv.code === 'string' && csv.code.startsWith('CSV_')) {
      throw inputError(
        `${file}:${csv.lines ?? '?'}: ${csv.message.replace(/^Invalid Opening Quote: |^Invalid Closing Quote: /, '')}`,
        'Quote fields that contain commas, quotes or newlines, and double any quote inside a quoted field.',
      )
    }
    throw error
  }
}

/** Newlines inside a record's raw text, not counting blank lines before it or its own line end. */
function countNewlines(raw: string): number {
  const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '')
  let n = 0
  for (const ch of body) if (ch === '\n') n++
  return n
}
