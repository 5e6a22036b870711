import {createReadStream} from 'node:fs'

import {inputError} from '../../kernel/errors.js'

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
export async function* readLines(file: string, onChunk?: (chunk: Buffer) => void, maxLineBytes = Number.POSITIVE_INFINITY): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false})
  let pending: Buffer[] = []
  let pendingBytes = 0
  /** The current line passed `maxLineBytes`: its bytes are dropped up to its end. */
  let tooLong = false
  let line = 0
  const tooLongLine = (): TextLine => ({line, text: '', crlf: false, invalid: `is longer than the --max-row-bytes limit of ${maxLineBytes} bytes`})
  const keep = (bytes: Buffer): void => {
    if (tooLong) return
    pendingBytes += bytes.length
    if (pendingBytes > maxLineBytes) {
      tooLong = true
      pending = []
      return
    }

    pending.push(bytes)
  }

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
        keep(chunk.subarray(start, i))
        line++
        yield tooLong ? tooLongLine() : decode(Buffer.concat(pending))
        pending = []
        pendingBytes = 0
        tooLong = false
        start = i + 1
      }
      if (start < chunk.length) keep(chunk.subarray(start))
    }
  } catch (error) {
    throw rethrowFsError(file, error)
  }
  if (pending.length > 0 || tooLong) {
    line++
    yield tooLong ? tooLongLine() : decode(Buffer.concat(pending))
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

/** A run of text within one line: a whole line, or part of a long one. */
export interface TextPiece {
  /** 1-based line the piece is on. */
  line: number
  text: string
  /** The piece ends its line (the newline itself is not in `text`). */
  endsLine: boolean
}

/**
 * Streams a file as UTF-8 text in pieces that never span lines but may be shorter than one:
 * for formats where a single line can be the whole file (a JSON array written on one line),
 * so that nothing has to hold a line whole. Invalid UTF-8 stops the read at its line.
 */
export async function* readPieces(file: string, onChunk?: (chunk: Buffer) => void): AsyncGenerator<TextPiece> {
  const decoder = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false})
  let line = 1
  const decode = (bytes: Buffer, stream: boolean): string => {
    try {
      return decoder.decode(bytes, {stream})
    } catch {
      throw inputError(`${file}:${line}: the line is not valid UTF-8 text.`, 'Re-save the file as UTF-8, for example with `iconv -f latin1 -t utf-8`.')
    }
  }
  try {
    for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
      onChunk?.(chunk)
      const text = decode(chunk, true)
      let start = 0
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', start)) {
        yield {line, text: text.slice(start, i), endsLine: true}
        line++
        start = i + 1
      }
      if (start < text.length) yield {line, text: text.slice(start), endsLine: false}
    }
  } catch (error) {
    throw rethrowFsError(file, error)
  }
  const rest = decode(Buffer.alloc(0), false)
  if (rest !== '') yield {line, text: rest, endsLine: false}
}
