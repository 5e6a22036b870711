import {inputError} from '../../kernel/errors.js'
import {parseObject} from './jsonl.js'
import type {TextPiece} from './lines.js'
import type {RawRecord} from './records.js'

/**
 * A JSON array of row objects, streamed: a small scanner finds where each top-level element
 * starts and ends (tracking strings, escapes and nesting), and each element is parsed on its
 * own. Memory stays at one element, even when the whole array is on one line, and every
 * problem is reported at the element's line, which streaming JSON tokenizers do not expose.
 */
export async function* readJsonArray(pieces: AsyncIterable<TextPiece>, file: string, maxRowBytes = Number.POSITIVE_INFINITY): AsyncGenerator<RawRecord> {
  let state = 'before' as 'before' | 'between' | 'element' | 'after'
  let depth = 0
  let inString = false
  let escaped = false
  let element = ''
  let elementBytes = 0
  let elementLine = 0
  /** The element's index in the array and the file byte it starts at, for messages. */
  let index = -1
  let elementStart = 0
  let lastLine = 0
  /** A comma ended the last element: another must follow, not "]". */
  let afterComma = false
  /** Byte offset in the file of the current piece's first character. */
  let pieceByte = 0

  for await (const {line, text, endsLine} of pieces) {
    lastLine = line
    let from = 0
    // Byte offsets inside the piece, advanced incrementally (linear in the piece's length).
    let cursor = 0
    let cursorByte = pieceByte
    const byteAt = (i: number): number => {
      cursorByte += Buffer.byteLength(text.slice(cursor, i))
      cursor = i
      return cursorByte
    }

    const append = (part: string): void => {
      if (elementBytes > maxRowBytes) return
      elementBytes += Buffer.byteLength(part)
      element = elementBytes > maxRowBytes ? '' : element + part
    }

    const finish = (): RawRecord => {
      const position = `array index ${index}, byte ${elementStart}`
      if (elementBytes > maxRowBytes) return {line: elementLine, kind: 'problem', message: `is longer than the --max-row-bytes limit of ${maxRowBytes} bytes`, position}
      return {...parseObject(element, elementLine), position}
    }

    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false
          else if (ch === '\\') escaped = true
          else if (ch === '"') inString = false
          continue
        }
        if (ch === '"') inString = true
        else if (ch === '{' || ch === '[') depth++
        else if (ch === '}' || ch === ']') {
          if (depth === 0) {
            // The array's own closing bracket ends the last element.
            append(text.slice(from, i))
            yield finish()
            state = 'after'
            continue
          }
          depth--
        } else if (ch === ',' && depth === 0) {
          append(text.slice(from, i))
          yield finish()
          state = 'between'
          afterComma = true
        }
        continue
      }
      if (/\s/.test(ch)) continue
      if (state === 'before') {
        if (ch !== '[') throw notAnArray(file, line)
        state = 'between'
      } else if (state === 'between') {
        if (ch === ']') {
          if (afterComma) throw inputError(`${file}:${line}: a comma before the closing "]" of the JSON array (JSON allows none).`, 'Remove the trailing comma.')
          state = 'after'
          continue
        }
        afterComma = false
        state = 'element'
        element = ''
        elementBytes = 0
        elementLine = line
        index++
        elementStart = byteAt(i)
        from = i
        depth = 0
        i-- // Re-read this character as part of the element.
      } else {
        throw inputError(`${file}:${line}: unexpected text after the closing "]" of the JSON array.`)
      }
    }
    if (state === 'element') append(text.slice(from) + (endsLine ? '\n' : ''))
    pieceByte += Buffer.byteLength(text) + (endsLine ? 1 : 0)
  }
  if (state === 'before') throw inputError(`${file}: the file is empty.`, 'Give it a JSON array of row objects.')
  if (state !== 'after') {
    throw inputError(`${file}:${lastLine}: the file ends before the JSON array is closed with "]".`, 'Check for a truncated file.')
  }
}

function notAnArray(file: string, line: number) {
  return inputError(
    `${file}:${line}: a .json input must be an array of row objects.`,
    'For one JSON object per line, name the file .jsonl.',
  )
}
