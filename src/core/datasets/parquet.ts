import {asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects} from 'hyparquet'

import {inputError} from '../../kernel/errors.js'
import {setField, type RawRecord} from './records.js'

/** A string column value that is not UTF-8: kept aside so the row reports it like other formats do. */
class InvalidUtf8 {
  constructor(readonly byte: number) {}
}

const utf8 = new TextDecoder('utf-8', {fatal: true})

/** hyparquet's string decoding, but strict: invalid UTF-8 is not silently turned into U+FFFD. */
function strictString(bytes: Uint8Array | undefined): string | InvalidUtf8 | undefined {
  if (bytes === undefined || bytes === null) return bytes
  try {
    return utf8.decode(bytes)
  } catch {
    const stream = new TextDecoder('utf-8', {fatal: true})
    for (let i = 0; i < bytes.length; i++) {
      try {
        stream.decode(bytes.subarray(i, i + 1), {stream: true})
      } catch {
        return new InvalidUtf8(i + 1)
      }
    }

    return new InvalidUtf8(bytes.length)
  }
}

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
    const rows = await parquetReadObjects({file: buffer, metadata, rowStart: row, rowEnd: row + count, parsers: {stringFromBytes: strictString as (bytes: Uint8Array) => string}})
    for (const value of rows) {
      row++
      const invalid = invalidField(value as Record<string, unknown>)
      yield invalid === undefined
        ? {line: row, kind: 'object', value: plainValues(value as Record<string, unknown>)}
        : {line: row, kind: 'problem', message: `has text that is not valid UTF-8 in field "${invalid.field}" (at byte ${invalid.byte} of the value)`, field: invalid.field}
    }
  }
}

/** The first field holding invalid UTF-8 (directly, or in a list of strings). */
function invalidField(row: Record<string, unknown>): {field: string; byte: number} | undefined {
  for (const [field, value] of Object.entries(row)) {
    if (value instanceof InvalidUtf8) return {field, byte: value.byte}
    if (Array.isArray(value)) {
      const bad = value.find((item): item is InvalidUtf8 => item instanceof InvalidUtf8)
      if (bad) return {field, byte: bad.byte}
    }
  }

  return undefined
}

/** JSON-like values: 64-bit integers become numbers (strings if too large to be exact). */
function plainValues(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') setField(out, key, Number.isSafeInteger(Number(value)) ? Number(value) : value.toString())
    else if (value === null) continue
    else setField(out, key, value)
  }
  return out
}
