import {Readable} from 'node:stream'

import {CsvError, parse} from 'csv-parse'

import {inputError} from '../../kernel/errors.js'
import {invalidLineError, type TextLine} from './lines.js'
import type {RawRecord} from './records.js'

/**
 * CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) through csv-parse.
 * Yields every record as cells with the line it starts on; deciding whether the first one is
 * a header is the caller's job, since that depends on the metric's columns.
 */
export async function* readCsv(lines: AsyncIterable<TextLine>, file: string, delimiter = ','): AsyncGenerator<RawRecord> {
  // Where each line starts, in bytes of the text fed to the parser; a record's line is found
  // from the byte offset where the previous record ended. (csv-parse's own line count and raw
  // text disagree with readLines on CRLF inside quoted fields.) Lines already behind the
  // parser are dropped, so this stays small.
  const starts: Array<{offset: number; line: number; blank: boolean}> = []
  let fed = 0
  async function* text() {
    for await (const entry of lines) {
      if (entry.invalid !== undefined) throw invalidLineError(file, entry)
      const {line, text, crlf} = entry
      const chunk = text + (crlf ? '\r\n' : '\n')
      starts.push({offset: fed, line, blank: text === ''})
      fed += Buffer.byteLength(chunk)
      yield chunk
    }
  }
  const source = Readable.from(text())
  const parser = parse({delimiter, info: true, relax_column_count: true, skip_empty_lines: true})
  // pipe() does not forward a source's errors (a missing file, invalid UTF-8): hand them on,
  // so they reach the reader below instead of crashing the process.
  source.on('error', (error) => parser.destroy(error))
  source.pipe(parser)
  let ended = 0
  try {
    for await (const {record, info} of parser as AsyncIterable<{record: string[]; info: {bytes: number}}>) {
      while (starts.length > 1 && (starts[0]!.offset < ended || starts[0]!.blank)) starts.shift()
      yield {line: starts[0]?.line ?? 1, kind: 'cells', cells: record}
      ended = info.bytes
    }
  } catch (error) {
    if (error instanceof CsvError) {
      // The line holding the byte where the parser stopped (csv-parse's own line count is off
      // with CRLF line ends).
      const at = (error as CsvError & {bytes?: number}).bytes ?? ended
      const line = starts.findLast((s) => s.offset <= Math.max(0, at - 1))?.line ?? 1
      throw inputError(
        `${file}:${line}: ${error.message.replace(/^Invalid (Opening|Closing) Quote: /, '').replace(/ at line \d+/, '')}`,
        'Quote fields that contain commas, quotes or newlines, and double any quote inside a quoted field.',
      )
    }
    throw error
  } finally {
    source.destroy()
  }
}

