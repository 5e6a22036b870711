import type {ScoreLine} from './report.js'
import {rowScore} from './row-score.js'

/** One row whose numeric score moved between the two runs. */
export interface RowMove {
  /** The row's `id` when rows were matched by id, else its 0-based row index. */
  key: string | number
  base: number
  head: number
  delta: number
}

/** How one metric's per-row results moved, when both runs scored the same rows. */
export interface RowComparison {
  matchedBy: 'id' | 'row'
  /** Rows both runs have a result for. */
  matched: number
  /** Of those, rows whose result differs (score or, for non-numeric results, any field). */
  changed: number
  /** Rows with a numeric score in both runs. */
  numeric: number
  /** Biggest drops, largest first. */
  down: RowMove[]
  /** Biggest gains, largest first. */
  up: RowMove[]
}

export type RowMatch = {matchedBy: 'id' | 'row'; pairs: Array<[ScoreLine, ScoreLine]>} | {note: string}

/**
 * Pairs the rows of two `scores.jsonl` files: by `id` when every row of both has a distinct
 * one and both runs have the same ids, else by row index when the runs have as many rows.
 * Anything else means the runs scored different rows, and no row is compared.
 */
export function matchRows(base: readonly ScoreLine[], head: readonly ScoreLine[]): RowMatch {
  if (base.length === 0 || head.length === 0) return {note: `no scores.jsonl rows in the ${base.length === 0 ? 'base' : 'head'} run`}
  const baseIds = idIndex(base)
  const headIds = idIndex(head)
  if (baseIds !== undefined && headIds !== undefined) {
    const onlyBase = [...baseIds.keys()].filter((id) => !headIds.has(id)).length
    const onlyHead = [...headIds.keys()].filter((id) => !baseIds.has(id)).length
    if (onlyBase > 0 || onlyHead > 0) return {note: `the runs scored different rows (${onlyBase} id(s) only in base, ${onlyHead} only in head)`}
    return {matchedBy: 'id', pairs: [...baseIds].map(([id, line]) => [line, headIds.get(id)!])}
  }
  if (base.length !== head.length) return {note: `the runs have different row counts (base ${base.length}, head ${head.length}) and no ids to match them by`}
  return {matchedBy: 'row', pairs: base.map((line, i) => [line, head[i]!])}
}

/** Lines by id (JSON-encoded, so 1 and "1" differ), or undefined when a line lacks one or ids repeat. */
function idIndex(lines: readonly ScoreLine[]): Map<string, ScoreLine> | undefined {
  const byId = new Map<string, ScoreLine>()
  for (const line of lines) {
    if (line.id === undefined || line.id === null) return undefined
    const key = JSON.stringify(line.id)
    if (byId.has(key)) return undefined
    byId.set(key, line)
  }
  return byId
}

/** Compares one metric's results over matched rows; undefined when neither run has results for it. */
export function compareRows(metric: string, match: Extract<RowMatch, {pairs: unknown}>, limit: number): RowComparison | undefined {
  const moves: RowMove[] = []
  let matched = 0
  let changed = 0
  let numeric = 0
  for (const [baseLine, headLine] of match.pairs) {
    if (!(metric in baseLine) || !(metric in headLine)) continue
    matched++
    const before = rowScore(baseLine[metric])
    const after = rowScore(headLine[metric])
    if (before !== undefined && after !== undefined) {
      numeric++
      if (before !== after) {
        changed++
        const key = match.matchedBy === 'id' ? displayId(headLine.id) : headLine.row
        moves.push({key, base: before, head: after, delta: after - before})
      }
    } else if (JSON.stringify(baseLine[metric]) !== JSON.stringify(headLine[metric])) {
      changed++
    }
  }
  if (matched === 0) return undefined
  const down = moves.filter((m) => m.delta < 0).sort((a, b) => a.delta - b.delta).slice(0, limit)
  const up = moves.filter((m) => m.delta > 0).sort((a, b) => b.delta - a.delta).slice(0, limit)
  return {matchedBy: match.matchedBy, matched, changed, numeric, down, up}
}

function displayId(id: unknown): string | number {
  return typeof id === 'string' || typeof id === 'number' ? id : JSON.stringify(id)
}
