import type {TextLine} from './lines.js'
import type {RawRecord} from './records.js'

/** JSON Lines: one JSON object per line; blank lines are allowed and ignored. */
export async function* readJsonl(lines: AsyncIterable<TextLine>): AsyncGenerator<RawRecord> {
  for await (const {line, text, invalid} of lines) {
    // One row per line: a line that is not UTF-8 is that row's problem, not the file's.
    if (invalid !== undefined) {
      yield {line, kind: 'problem', message: invalid}
      continue
    }
    if (text.trim() === '') continue
    yield parseObject(text, line)
  }
}

/** Parses one row's JSON text into an object record, or a located problem. */
export function parseObject(text: string, line: number): RawRecord {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return {line, kind: 'problem', message: `is not valid JSON (${(error as Error).message})`}
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return {line, kind: 'problem', message: `must be a JSON object with one field per column, found ${describe(value)}`}
  }
  return {line, kind: 'object', value: value as Record<string, unknown>}
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return `a ${typeof value}`
}
