import type {PunktPatterns} from './patterns.js'
import {PunktToken} from './token.js'

/**
 * Splits text into Punkt word tokens, line by line: a token never spans a newline (the spaced
 * ellipsis `. . .` could otherwise run across lines), and blank lines yield nothing.
 */
export function wordTokens(text: string, patterns: PunktPatterns): PunktToken[] {
  const tokens: PunktToken[] = []
  for (const line of text.split('\n')) {
    for (const match of line.matchAll(patterns.wordToken)) tokens.push(new PunktToken(match[0]))
  }
  return tokens
}
