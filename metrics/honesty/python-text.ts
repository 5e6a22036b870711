import {PYTHON_WHITESPACE} from './normalize.js'

/**
 * The few Python string and number rules the reference's LLM steps rely on, reproduced
 * exactly: `str.strip()` (Unicode whitespace, as `str.isspace()`), `str.strip(chars)`, and
 * `float(str)`, which also reads non-ASCII decimal digits, `_` between digits, `inf` and `nan`.
 */

const WHITESPACE_CHAR = new RegExp(`^${PYTHON_WHITESPACE.source.replace(/\+$/, '')}$`, 'u')

/** Python's `s.strip()` with no argument, or `s.strip(chars)` with one. */
export function pyStrip(text: string, chars?: string): string {
  const strip = chars === undefined ? (c: string) => WHITESPACE_CHAR.test(c) : (c: string) => chars.includes(c)
  const units = [...text]
  let start = 0
  let end = units.length
  while (start < end && strip(units[start]!)) start++
  while (end > start && strip(units[end - 1]!)) end--
  return units.slice(start, end).join('')
}

const DECIMAL_DIGIT = /\p{Nd}/u

/**
 * The value of a Unicode decimal digit (category Nd). Unicode puts every decimal digit in a
 * run of ten consecutive code points from 0 to 9 (runs can touch, as the mathematical digits
 * do), so the value is the distance from the start of the run of digits, modulo 10.
 */
function digitValue(char: string): number {
  const code = char.codePointAt(0)!
  let start = code
  while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--
  return (code - start) % 10
}

function asciiDigits(text: string): string {
  return text.replace(/\p{Nd}/gu, (d) => (d >= '0' && d <= '9' ? d : String(digitValue(d))))
}

const FLOAT = /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/
const SPECIAL = /^([+-]?)(inf|infinity|nan)$/i

/** Python's `float(text)`, or undefined where Python raises ValueError. */
export function pythonFloat(text: string): number | undefined {
  const t = asciiDigits(pyStrip(text))
  const special = SPECIAL.exec(t)
  if (special !== null) {
    if (special[2]!.toLowerCase() === 'nan') return Number.NaN
    return special[1] === '-' ? -Infinity : Infinity
  }
  if (!FLOAT.test(t)) return undefined
  return Number(t.replaceAll('_', ''))
}
