/**
 * One batch of rows: every align call of every aspect of every row planned first, sent to its
 * aligner together (so the engine batches them by length, and E encodes each distinct text
 * once), then put back together per row.
 */
import {inputError} from '../../src/kernel/errors.js'
import type {MetricContext, RowOutcome} from '../../src/kernel/interfaces/index.js'
import {aggregate, rescale} from './aggregate.js'
import type {AlignOutcome, AlignRequest, Aligner, TokenScore} from './aligners/types.js'
import {ASPECT_SPECS, missingField, type AlignCall} from './aspects.js'
import type {Aspect, CtcParams, CtcRow} from './schemas.js'
import type {RunSetup} from './setup.js'
import {isStopword} from './stopwords.js'

/** A token as scores.jsonl shows it: its text, its score, and whether stopword removal dropped it. */
export interface TokenResult extends TokenScore {
  stopword?: true
}

/** One align call of an aspect, for explanations. */
export interface AlignResult {
  input: string
  context: string
  value: number
  tokens?: TokenResult[]
}

export interface CtcResult {
  [aspect: string]: unknown
  /** The aligner kind that scored the row. */
  aligner: string
  /** Per aspect, the tokens of the text it scores (summary, output, response, hypothesis) with their alignment. */
  tokens?: Partial<Record<Aspect, TokenResult[]>>
  /** Per aspect, every align call in the reference's order, its aggregate, and its tokens (except those under `tokens`). */
  aligns: Partial<Record<Aspect, AlignResult[]>>
}

interface PlannedCall extends AlignCall {
  row: number
  aspect: Aspect
  outcome?: AlignOutcome
}

export async function scoreBatch(batch: readonly CtcRow[], ctx: MetricContext<CtcParams>, setup: RunSetup): Promise<Array<RowOutcome<CtcResult>>> {
  const planned: PlannedCall[] = []
  const rowErrors = new Map<number, string>()
  batch.forEach((row, i) => {
    for (const aspect of setup.aspects) {
      const missing = missingField(row, aspect)
      if (missing !== undefined) {
        const id = row.id === undefined ? '' : ` (id ${JSON.stringify(row.id)})`
        throw inputError(
          `Row ${ctx.rows[i]}${id}: field "${missing}" is missing; aspect ${aspect} (${ASPECT_SPECS[aspect].task}) needs ${ASPECT_SPECS[aspect].fields.join(', ')}.`,
          `Add "${missing}" to every row, rename a column with --map ${missing}=<column>, or leave ${aspect} out of --param aspect.`,
        )
      }
      const calls = ASPECT_SPECS[aspect].calls(row)
      if ('error' in calls) {
        if (!rowErrors.has(i)) rowErrors.set(i, `${aspect}: ${calls.error}`)
        continue
      }
      for (const call of calls) planned.push({...call, row: i, aspect})
    }
  })

  // Calls by aligner (one pack may serve several checkpoints), each group in one engine run.
  // Identical calls (consistency and relevance both align summary → document) run once.
  const byAligner = new Map<Aligner, Map<string, PlannedCall[]>>()
  for (const call of planned) {
    if (rowErrors.has(call.row)) continue
    const aligner = setup.aligners.get(call.checkpoint)!
    let calls = byAligner.get(aligner)
    if (calls === undefined) byAligner.set(aligner, (calls = new Map()))
    const key = JSON.stringify([call.input, call.context])
    calls.set(key, [...(calls.get(key) ?? []), call])
  }
  for (const [aligner, calls] of byAligner) {
    const same = [...calls.values()]
    const requests: AlignRequest[] = same.map(([c]) => ({input: c!.input, context: c!.context, inputField: c!.inputField, contextField: c!.contextField}))
    const outcomes = await aligner.align(requests, ctx.signal)
    same.forEach((group, i) => group.forEach((call) => (call.outcome = outcomes[i]!)))
  }

  return batch.map((_, i): RowOutcome<CtcResult> => {
    const error = rowErrors.get(i)
    if (error !== undefined) return {error}
    const values: Record<string, number> = {}
    const tokens: NonNullable<CtcResult['tokens']> = {}
    const aligns: CtcResult['aligns'] = {}
    for (const aspect of setup.aspects) {
      const calls = planned.filter((c) => c.row === i && c.aspect === aspect)
      const aligned = calls.map((call) => alignValue(call, setup))
      const failed = aligned.find((a): a is {error: string} => 'error' in a)
      if (failed !== undefined) return {error: `${aspect}: ${failed.error}`}
      let value = ASPECT_SPECS[aspect].combine(aligned.map((a) => (a as AlignResult).value))
      if (typeof value !== 'number') return {error: `${aspect}: ${value.error}`}
      if (aspect === 'preservation' && setup.baseline !== undefined) value = rescale(value, setup.baseline.value)
      values[aspect] = value
      const spanAt = ASPECT_SPECS[aspect].spanCall
      const parts = aligned as AlignResult[]
      const span = parts[spanAt]?.tokens
      if (span !== undefined) {
        tokens[aspect] = span
        delete parts[spanAt]!.tokens
      }
      aligns[aspect] = parts
    }
    // Aspect values first: they are what a reader of scores.jsonl looks for.
    return {value: {...values, aligner: setup.aligner, ...(Object.keys(tokens).length === 0 ? {} : {tokens}), aligns}}
  })
}

/** One call's aggregate under the aspect's settings, with its tokens marked. */
function alignValue(call: PlannedCall, setup: RunSetup): AlignResult | {error: string} {
  const outcome = call.outcome!
  if ('error' in outcome) return outcome
  const base = {input: call.inputField, context: call.contextField}
  if ('scalar' in outcome) return {...base, value: outcome.scalar}
  const settings = setup.settings[call.aspect]!
  const kept = outcome.tokens.map((t) => !(settings.stopwords && isStopword(t.text, setup.stopwordSet)))
  const value = aggregate(outcome.tokens.map((t) => t.score), kept, settings.aggregation === 'none' ? 'mean' : settings.aggregation)
  return {...base, value, tokens: outcome.tokens.map((t, j): TokenResult => (kept[j] ? {text: t.text, score: t.score} : {text: t.text, score: t.score, stopword: true}))}
}
