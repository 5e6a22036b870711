/**
 * Which whitespace word each token of a text belongs to, without offsets (the JS port has
 * none). A word's tokens are found by encoding the text one piece at a time, a piece being
 * a word with the whitespace before it (words.ts): for tokenizers whose pre-tokenizer splits
 * at whitespace the pieces encode to exactly the tokens of the whole text.
 *
 * Where they do not, the tokenizer has joined words across a character that Python's
 * `split()` counts as space but the tokenizer does not (BERT deletes U+0085 and U+001C..
 * U+001F as control characters, so "a\x85b" is one word to it). Then adjacent pieces that
 * encode differently together than apart are grouped, and inside a group a word's tokens
 * end where encoding the text up to that word stops agreeing with the group's tokens. A
 * token that straddles two joined words goes to the word its first character is in, so the
 * later word may get no token. Joins across an ordinary space, tab or newline mean the
 * tokenizer does not split at whitespace at all, and no map is made.
 */
import {cutAtWords, leadingSpaceLength} from './words.js'

// Whitespace every tokenizer that splits at whitespace splits at.
const ORDINARY_SPACE = /[ \t\n\r]/

/** What word mapping needs from a tokenizer. */
export interface PieceEncoder {
  /** Token ids of a text alone, no special tokens. */
  tokenIds(text: string): number[]
  /** How many of `ids`, the tokens of `piece`, cover only the whitespace before its word. */
  leadingSpaceTokens(piece: string, ids: readonly number[]): number
}

export interface TokensWithWords {
  /** The whole text's token ids. */
  ids: number[]
  words: string[]
  /** Per token, its word's index, or -1 for a token of whitespace only. */
  tokenWords: number[]
}

/** Maps the tokens of `text` to its words; undefined when the pieces cannot reproduce the whole text's tokens. */
export function tokensWithWords(text: string, encoder: PieceEncoder): TokensWithWords | undefined {
  const ids = encoder.tokenIds(text)
  const {words, pieces} = cutAtWords(text)
  const pieceIds = pieces.map((piece) => encoder.tokenIds(piece))
  const groups = sameTokens(ids, pieceIds.flat()) ? pieces.map((_, i) => [i]) : joinedGroups(pieces, pieceIds, encoder)
  if (!groups) return undefined

  const tokenWords: number[] = []
  for (const group of groups) {
    const groupIds = group.length === 1 ? pieceIds[group[0]!]! : encoder.tokenIds(group.map((p) => pieces[p]).join(''))
    if (!sameTokens(groupIds, ids.slice(tokenWords.length, tokenWords.length + groupIds.length))) return undefined
    const bounds = pieceBounds(group.map((p) => pieces[p]!), groupIds, encoder)
    group.forEach((piece, k) => {
      const [start, end] = bounds[k]!
      // The piece after the last word holds trailing whitespace only.
      const lead = piece < words.length ? encoder.leadingSpaceTokens(pieces[piece]!, groupIds.slice(start, end)) : end - start
      for (let t = start; t < end; t++) tokenWords.push(t - start < lead ? -1 : piece)
    })
  }
  return tokenWords.length === ids.length ? {ids, words, tokenWords} : undefined
}

// Runs of pieces joined wherever two neighbours encode differently together than apart.
function joinedGroups(pieces: readonly string[], pieceIds: readonly number[][], encoder: PieceEncoder): number[][] | undefined {
  if (pieces.length === 0) return []
  const groups: number[][] = [[0]]
  for (let p = 1; p < pieces.length; p++) {
    const apart = [...pieceIds[p - 1]!, ...pieceIds[p]!]
    const together = encoder.tokenIds(pieces[p - 1]! + pieces[p]!)
    if (sameTokens(apart, together)) groups.push([p])
    else if (ORDINARY_SPACE.test(pieces[p]!.slice(0, leadingSpaceLength(pieces[p]!)))) return undefined
    else groups.at(-1)!.push(p)
  }
  return groups
}

// [start, end) of each piece's tokens within its group's tokens.
function pieceBounds(pieces: readonly string[], groupIds: readonly number[], encoder: PieceEncoder): Array<[number, number]> {
  if (pieces.length === 1) return [[0, groupIds.length]]
  const bounds: Array<[number, number]> = []
  let start = 0
  let prefix = ''
  for (const piece of pieces.slice(0, -1)) {
    prefix += piece
    const prefixIds = encoder.tokenIds(prefix)
    let agree = 0
    while (agree < prefixIds.length && agree < groupIds.length && prefixIds[agree] === groupIds[agree]) agree++
    // The first token that differs starts where the prefix's token does, inside this piece:
    // it straddles into the next word and belongs to this one.
    const end = Math.min(groupIds.length, Math.max(start, agree < prefixIds.length ? agree + 1 : agree))
    bounds.push([start, end])
    start = end
  }
  bounds.push([start, groupIds.length])
  return bounds
}

function sameTokens(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i])
}
