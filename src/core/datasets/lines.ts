import {createReadStream} from 'node:fs'

import {inputError} from '../errors.js'

/** One line of a text file, decoded. */
export interface TextLine {
  /** 1-based line number. */
  line: number
  /** The line without its line end. */
  text: string
  /** The line ended in CRLF (kept so CSV fields spanning lines keep their bytes). */
  crlf: boolean
  /**
   * Set when the line is not valid UTF-8: what is wrong, as the end of a sentence about the
   * line ("is not valid UTF-8 text (at byte 4 of the line)"); `text` is then empty. Formats
   * with one row per line report it for that row; others stop at it.
   */
  invalid?: string
}

/** The error for a line that is not UTF-8, for formats where a row may span lines. */
export function invalidLineError(file: string, line: TextLine) {
  return inputError(`${file}:${line.line}: the line ${line.invalid}.`, 'Re-save the file as UTF-8, for example with `iconv -f latin1 -t utf-8`.')
}

const NEWLINE = 0x0a

/**
 * Streams a file as UTF-8 lines. Decoding is strict and per line, so invalid UTF-8 is
 * reported with the line it is on instead of being replaced by U+FFFD and scored as text.
 * `onChunk` sees every raw chunk (the caller hashes the file in the same pass).
 */
export async function* readLines(file: string, onChunk?: (chunk: Buffer) => void): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false})
  let pending: Buffer[] = []
  let line = 0
  const decode = (bytes: Buffer): TextLine => {
    try {
      return splitLineEnd(line, decoder.decode(bytes))
    } catch {
      return {line, text: '', crlf: false, invalid: `is not valid UTF-8 text (at byte ${firstInvalidByte(bytes)} of the line)`}
    }
  }

  let stream
  try {
    stream = createReadStream(file)
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onChunk?.(chunk)
      let start = 0
      for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
        pending.push(chunk.subarray(start, i))
        line++
        yield decode(Buffer.concat(pending))
        pending = []
        start = i + 1
      }
      if (start < chunk.length) pending.push(chunk.subarray(start))
    }
  } catch (error) {
    throw rethrowFsError(file, error)
  }
  if (pending.length > 0) {
    line++
    yield decode(Buffer.concat(pending))
  }
}

function splitLineEnd(line: number, text: string): TextLine {
  const crlf = text.endsWith('\r')
  return {line, text: crlf ? text.slice(0, -1) : text, crlf}
}

function firstInvalidByte(bytes: Buffer): number {
  const strict = new TextDecoder('utf-8', {fatal: true})
  // Byte by byte through one streaming decoder: the first throw is at the first bad byte.
  for (let i = 0; i < bytes.length; i++) {
    try {
      strict.decode(bytes.subarray(i, i + 1), {stream: true})
    } catch {
      return i + 1
    }
  }
  return bytes.length
}

function rethrowFsError(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return inputError(`${file}: no such file.`, 'Check the path given to --input.')
  if (code === 'EISDIR') return inputError(`${file}: is a directory, not a file.`, 'Point --input at a .jsonl, .json or .csv file.')
  if (code === 'EACCES') return inputError(`${file}: permission denied.`)
  return error
}
