import {closeSync, openSync, readdirSync, readSync, statSync} from 'node:fs'
import {extname, join} from 'node:path'

import {inputError, usageError} from '../../kernel/errors.js'

/**
 * Checks made before an input file is parsed, so that a wrong kind of file gets a sentence
 * naming the real problem (a folder, a UTF-16 file) instead of a parser's complaint about row 1.
 */

/** A folder given as `--input`: says so, and names the data files inside it. */
export function assertNotFolder(file: string, extensions: readonly string[]): void {
  const info = statSync(file, {throwIfNoEntry: false})
  if (info === undefined || !info.isDirectory()) return
  const inside = readdirSync(file).filter((name) => extensions.includes(extname(name).toLowerCase())).sort()
  const shown = inside.slice(0, 3).map((name) => join(file, name))
  throw usageError(
    `${file}: is a folder; --input takes one file.`,
    inside.length === 0
      ? `Give a ${extensions.join(', ')} file with --input; this folder holds none.`
      : `Give one of its files, for example --input ${shown[0]}${inside.length > 1 ? ` (${inside.length} data files there: ${shown.join(', ')}${inside.length > 3 ? ', ...' : ''})` : ''}.`,
  )
}

/** The first bytes of a file (fewer when it is shorter); empty when it cannot be opened. */
function head(file: string, bytes: number): Buffer {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return Buffer.alloc(0)
  }
  try {
    const buffer = Buffer.alloc(bytes)
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0))
  } finally {
    closeSync(fd)
  }
}

/**
 * UTF-16 text, told by its byte-order mark or, without one, by NUL bytes in every other
 * position (ASCII characters stored as two bytes). Such a file must be converted, not read as
 * UTF-8 or Latin-1.
 */
export function utf16Kind(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE'
  const pairs = Math.floor(bytes.length / 2)
  if (pairs < 2) return undefined
  let evenNul = 0
  let oddNul = 0
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++
    if (bytes[i + 1] === 0) oddNul++
  }
  // Most of one half NUL, almost none of the other: text of two-byte ASCII code units.
  if (oddNul >= pairs * 0.6 && evenNul <= pairs * 0.05) return 'UTF-16LE'
  if (evenNul >= pairs * 0.6 && oddNul <= pairs * 0.05) return 'UTF-16BE'
  return undefined
}

/** A UTF-16 text file given where UTF-8 is read: an input error with the `iconv` line that converts it. */
export function assertNotUtf16(file: string): void {
  const bytes = head(file, 4096)
  const kind = utf16Kind(bytes)
  if (kind === undefined) return
  // With a byte-order mark iconv's UTF-16 finds the byte order itself; without one it would assume big-endian.
  const from = bytes[0] === 0xff || bytes[0] === 0xfe ? 'UTF-16' : kind
  throw inputError(
    `${file}: the file is ${kind} text (${kind === 'UTF-16LE' ? 'as Windows tools often save it' : 'two bytes per character'}); alignctl reads UTF-8.`,
    `Convert it: iconv -f ${from} -t UTF-8 '${file}' > '${file.replace(/(\.[^./]+)?$/, '.utf8$1')}', and give that file.`,
  )
}

const DELIMITERS: ReadonlyArray<{char: string; name: string; flag: string}> = [
  {char: ';', name: 'semicolon', flag: '--delimiter ";"'},
  {char: '\t', name: 'tab', flag: '--delimiter tab'},
  {char: '|', name: 'pipe', flag: '--delimiter "|"'},
]

/**
 * When a CSV record read with `delimiter` came out as one field where `expected` are wanted,
 * the delimiter that splits it into that many (or, with no count known, more than one), if any.
 */
export function otherDelimiter(cell: string, delimiter: string, expected: number | undefined): {char: string; name: string; flag: string} | undefined {
  for (const candidate of DELIMITERS) {
    if (candidate.char === delimiter) continue
    const parts = cell.split(candidate.char).length
    if (expected === undefined || expected <= 1 ? parts > 1 : parts === expected) return candidate
  }
  return undefined
}

/** The `--delimiter` value as a character: `tab` (or `\t`) for a tab, else one character. */
export function parseDelimiter(value: string): string {
  if (value === 'tab' || value === '\\t' || value === '\t') return '\t'
  if ([...value].length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw usageError(`--delimiter ${JSON.stringify(value)}: a delimiter is one character (or "tab").`, 'Use, for example, --delimiter ";" or --delimiter tab.')
  }
  return value
}
