import {asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects} from 'hyparquet'

import {inputError} from '../../kernel/errors.js'
import type {RawRecord} from './records.js'

/**
 * Parquet through hyparquet (pure JavaScript), one row group at a time, so memory stays at a
 * row group. Parquet has no lines: a record's `line` is its 1-based row number, which is what
 * messages (`data.parquet:5: ...`) then point at.
 */
export async function* readParquet(file: string): AsyncGenerator<RawRecord> {
  let buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>
  try {
    buffer = await asyncBufferFromFile(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw inputError(`${file}: no such file.`, 'Check the path given to --input.')
    throw inputError(`${file}: cannot read the file: ${(error as Error).message}`)
  }
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>
  try {
    metadata = await parquetMetadataAsync(buffer)
  } catch (error) {
    throw inputError(`${file}: not a readable Parquet file (${(error as Error).message}).`, 'Check the file, or give the data as JSONL or CSV.')
  }
  let row = 0
  for (const group of metadata.row_groups) {
    const count = Number(group.num_rows)
    const rows = await parquetReadObjects({file: buffer, metadata, rowStart: row, rowEnd: row + count})
    for (const value of rows) {
      row++
      yield {line: row, kind: 'object', value: plainValues(value as Record<string, unknown>)}
    }
  }
}

/** JSON-like values: 64-bit integers become numbers (strings if too large to be exact). */
function plainValues(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') out[key] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
    else if (value === null) continue
    else out[key] = value
  }
  return out
}
