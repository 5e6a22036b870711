import type {StatDeclaration} from './interfaces/index.js'

/** A declaration that matched a concrete summary path, with the keys its `*` segments took. */
export interface MatchedStat {
  declaration: StatDeclaration
  /** The keys matched by each `*` of the declaration's path, in order. */
  captures: string[]
}

const DIRECTIONS = new Set(['higher', 'lower', 'none'])
const KINDS = new Set(['quality', 'count', 'descriptive'])

/**
 * The declaration for a dotted summary path. An exact path wins over a pattern; among
 * patterns, the one with fewer `*` (the more specific) wins, then the first declared. A `*`
 * matches one key, which may itself contain dots (a judge called `gpt-4.1`).
 */
export function matchStat(path: string, declarations: readonly StatDeclaration[]): MatchedStat | undefined {
  const segments = path.split('.')
  let best: {match: MatchedStat; wildcards: number} | undefined
  for (const declaration of declarations) {
    const captures = matchSegments(declaration.path.split('.'), segments)
    if (captures !== undefined && (best === undefined || captures.length < best.wildcards)) best = {match: {declaration, captures}, wildcards: captures.length}
  }
  return best?.match
}

/** The keys the pattern's `*`s take, or undefined when it does not match; each `*` takes one or more segments. */
function matchSegments(pattern: readonly string[], segments: readonly string[], p = 0, s = 0): string[] | undefined {
  if (p === pattern.length) return s === segments.length ? [] : undefined
  if (pattern[p] !== '*') return pattern[p] === segments[s] ? matchSegments(pattern, segments, p + 1, s + 1) : undefined
  const after = pattern.length - p - 1
  for (let take = 1; s + take + after <= segments.length; take++) {
    const rest = matchSegments(pattern, segments, p + 1, s + take)
    if (rest !== undefined) return [segments.slice(s, s + take).join('.'), ...rest]
  }
  return undefined
}

/**
 * The value at a dotted path of a summary, or undefined when the path leads nowhere. A key
 * that itself contains dots (`gpt-4.1`) is found too.
 */
export function valueAt(summary: Readonly<Record<string, unknown>>, path: string): unknown {
  return lookup(summary, path.split('.'), 0)
}

function lookup(node: unknown, segments: readonly string[], from: number): unknown {
  if (from === segments.length) return node
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined
  for (let to = from + 1; to <= segments.length; to++) {
    const key = segments.slice(from, to).join('.')
    if (Object.hasOwn(node, key)) {
      const found = lookup((node as Record<string, unknown>)[key], segments, to)
      if (found !== undefined) return found
    }
  }
  return undefined
}

/**
 * How many rows a matched stat rests on: the number at its `support` path (its `*` filled in
 * with the keys the stat matched), else `scoredRows`. Undefined when the support path holds
 * no number (the summary lacks it).
 */
export function statSupport(match: MatchedStat, summary: Readonly<Record<string, unknown>>, scoredRows: number): number | undefined {
  const support = match.declaration.support
  if (support === undefined) return scoredRows
  let next = 0
  const path = support
    .split('.')
    .map((segment) => (segment === '*' ? (match.captures[next++] ?? '*') : segment))
    .join('.')
  const value = valueAt(summary, path)
  return typeof value === 'number' ? value : undefined
}

/** Problems with a metric's `stats` array, as short phrases (for the registry's checks). */
export function checkStatDeclarations(stats: unknown): string[] {
  if (!Array.isArray(stats)) return ['"stats" must list the summary stats the metric reports (path, direction, kind, meaning): see the plugin template']
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [i, raw] of stats.entries()) {
    const stat = raw as Partial<StatDeclaration> | null
    const where = `stats[${i}]${typeof stat?.path === 'string' ? ` ("${stat.path}")` : ''}`
    if (stat === null || typeof stat !== 'object') {
      problems.push(`${where} must be an object`)
      continue
    }
    if (typeof stat.path !== 'string' || !/^([^.\s]+)(\.[^.\s]+)*$/.test(stat.path)) problems.push(`${where} needs a dotted "path" such as "mean" or "byDataset.*.rocAuc"`)
    else if (seen.has(stat.path)) problems.push(`${where} is declared twice`)
    else seen.add(stat.path)
    if (!DIRECTIONS.has(stat.direction as string)) problems.push(`${where} needs "direction": higher, lower or none`)
    if (!KINDS.has(stat.kind as string)) problems.push(`${where} needs "kind": quality, count or descriptive`)
    if (typeof stat.meaning !== 'string' || stat.meaning.trim() === '') problems.push(`${where} needs a one-sentence "meaning"`)
    if (stat.kind === 'quality' && stat.direction === 'none') problems.push(`${where} is a quality stat, so it needs a direction (higher or lower)`)
    if (stat.support !== undefined && typeof stat.support !== 'string') problems.push(`${where} "support" must be a dotted path`)
    if (stat.meanOf !== undefined && typeof stat.meanOf !== 'string') problems.push(`${where} "meanOf" must be a dotted path ('' for the row's result itself)`)
    const range = stat.range
    if (range !== undefined && (typeof range !== 'object' || range === null || (range.min !== undefined && typeof range.min !== 'number') || (range.max !== undefined && typeof range.max !== 'number'))) {
      problems.push(`${where} "range" must be {min?: number, max?: number}`)
    }
  }
  return problems
}

/** The declared paths, for messages that list what can be gated on. */
export function gateablePaths(declarations: readonly StatDeclaration[]): string[] {
  return declarations.filter((d) => d.direction !== 'none').map((d) => d.path)
}
