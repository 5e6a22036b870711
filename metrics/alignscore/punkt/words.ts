import {WORD_TOKEN} from './patterns.js'
import {PunktToken} from './token.js'

/**
 * Splits text into Punkt word tokens, line by line: a token never spans a newline (the spaced
 * ellipsis `. . .` could otherwise run across lines), and blank lines yield nothing.
 */
export function wordTokens(text: string): PunktToken[] {
  const tokens: PunktToken[] = []
  for (const line of text.split('\n')) {
    for (const match of line.matchAll(WORD_TOKEN)) tokens.push(new PunktToken(match[0]))
  }
  return tokens
}
