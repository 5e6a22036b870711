import type {ScoredRow} from '../../src/kernel/interfaces/index.js'
import type {CtcResult} from './score.js'
import type {CtcParams, CtcRow} from './schemas.js'
import {parseAspects, type RunSetup} from './setup.js'

export interface CtcSummary {
  [key: string]: unknown
  n: number
  /** What ran: the aligner, the pack per checkpoint, each aspect's aggregation and stopword setting, the variants. */
  settings: Record<string, unknown>
  /** Per aspect, the token score under which the report marks a token (absent for R). */
  tokenThresholds: Record<string, number>
}

/** Share of the lowest token scores the report marks for E aligners, which have no natural cut-off. */
export const E_MARKED_SHARE = 0.1

/**
 * What the summary keeps of a scored row: its aspect scores, the aligner, and (E aligners) the
 * scores of its tokens that are not stopwords, as numbers; no text, no align calls.
 */
export interface KeptCtcRow {
  row: number
  value: {aligner: string; [aspect: string]: unknown}
  tokenScores: Record<string, Float64Array>
}

export function keptCtcRow({row, value}: ScoredRow<CtcRow, CtcResult>): KeptCtcRow {
  const kept: KeptCtcRow['value'] = {aligner: value.aligner}
  for (const [key, v] of Object.entries(value)) if (typeof v === 'number' || v === null) kept[key] = v
  const tokenScores: Record<string, Float64Array> = {}
  for (const [aspect, tokens] of Object.entries(value.tokens ?? {})) tokenScores[aspect] = Float64Array.from((tokens ?? []).filter((t) => t.stopword !== true).map((t) => t.score))
  return {row, value: kept, tokenScores}
}

export function summarizeCtc(rows: ReadonlyArray<ScoredRow<CtcRow, CtcResult> | KeptCtcRow>, params: CtcParams, setup: RunSetup | undefined): CtcSummary {
  const scored = rows.map((r) => ('tokenScores' in r ? r : keptCtcRow(r)))
  const aspects = setup?.aspects ?? parseAspects(params.aspect)
  const kind = setup?.kind ?? kindOfRows(scored)
  // Aspect means first: they are what a reader of the summary looks for.
  const means: Record<string, number | null> = {}
  const tokenThresholds: Record<string, number> = {}
  for (const aspect of aspects) {
    const values = scored.map((s) => s.value[aspect] as number)
    means[aspect] = values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length
    if (kind === 'D') tokenThresholds[aspect] = 0.5
    else if (kind === 'E') {
      const scores = scored.flatMap((s) => [...(s.tokenScores[aspect] ?? [])]).sort((a, b) => a - b)
      if (scores.length > 0) tokenThresholds[aspect] = scores[Math.floor((scores.length - 1) * E_MARKED_SHARE)]!
    }
  }
  return {...means, n: scored.length, settings: settingsOf(params, setup), tokenThresholds}
}

function kindOfRows(scored: readonly KeptCtcRow[]): 'E' | 'D' | 'R' | undefined {
  const aligner = scored[0]?.value.aligner
  return aligner === undefined ? undefined : aligner.startsWith('E') ? 'E' : (aligner[0] as 'D' | 'R')
}

function settingsOf(params: CtcParams, setup: RunSetup | undefined): Record<string, unknown> {
  const variants = {prefixSpace: params.prefixSpace, cleantext: params.cleantext, decodeCleanup: params.decodeCleanup, stopwordList: params.stopwordList}
  if (setup === undefined) return {variants}
  return {
    aligner: setup.aligner,
    kind: setup.kind,
    packs: setup.packs,
    aspects: setup.settings,
    ...(setup.baseline === undefined ? {} : {rescale: {baseline: setup.baseline.value, source: setup.baseline.source}}),
    // The variants that touch this aligner's numbers.
    variants: setup.kind === 'E' ? {prefixSpace: params.prefixSpace, decodeCleanup: params.decodeCleanup, stopwordList: params.stopwordList} : setup.kind === 'D' ? {cleantext: params.cleantext, decodeCleanup: params.decodeCleanup, stopwordList: params.stopwordList} : {},
  }
}
