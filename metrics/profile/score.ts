import type {RowOutcome} from '../../src/kernel/interfaces/index.js'
import {extractors} from './factors/builtins.js'
import {listParam, type ExtractContext, type FactorExtractor, type FactorItem} from './factors/registry.js'
import type {FactorValues, ProfileParams, ProfileResult, ProfileRow} from './types.js'

/** The extractors `--param factors` selects, checked (a usage error for unknown ids or unusable params). */
export function selectedExtractors(params: ProfileParams): FactorExtractor[] {
  const chosen = [...new Set(listParam(params.factors))].map((id) => extractors.get(id))
  for (const extractor of chosen) extractor.check?.(params)
  return chosen
}

/**
 * The factor values of a batch of pairs: supplied values first (`factors_a`, `factors_b`),
 * then every selected extractor for the responses that lack any of its factors; a supplied
 * value is never overwritten. A response an extractor cannot measure makes its row an error.
 */
export async function scoreBatch(batch: readonly ProfileRow[], ctx: ExtractContext): Promise<Array<RowOutcome<ProfileResult>>> {
  const chosen = selectedExtractors(ctx.params)
  const values = batch.map((row) => ({a: {...(row.factors_a ?? {})} as FactorValues, b: {...(row.factors_b ?? {})} as FactorValues}))
  const supplied = batch.map((row) => new Set([...Object.keys(row.factors_a ?? {}), ...Object.keys(row.factors_b ?? {})]))
  const errors = batch.map(() => [] as string[])
  const llm = batch.map(() => ({requests: 0, cached: 0}))

  for (const extractor of chosen) {
    const names = extractor.names(ctx.params)
    const items: Array<FactorItem & {index: number}> = []
    batch.forEach((row, index) => {
      for (const side of ['a', 'b'] as const) {
        if (names.some((n) => values[index]![side][n] === undefined)) items.push({row, side, response: side === 'a' ? row.response_a : row.response_b, index})
      }
    })
    if (items.length === 0) continue
    const outcomes = await extractor.extract(items, ctx)
    items.forEach((item, i) => {
      const outcome = outcomes[i]!
      if ('error' in outcome) {
        errors[item.index]!.push(`${extractor.id}: ${outcome.error}`)
        return
      }
      const own = values[item.index]![item.side]
      for (const [name, value] of Object.entries(outcome.values)) own[name] ??= value
      if (outcome.llm !== undefined) {
        llm[item.index]!.requests++
        if (outcome.llm.cached) llm[item.index]!.cached++
      }
    })
  }

  return batch.map((_, index) => {
    if (errors[index]!.length > 0) return {error: errors[index]!.join(' ')}
    return {
      value: {
        factors_a: values[index]!.a,
        factors_b: values[index]!.b,
        supplied: [...supplied[index]!],
        ...(llm[index]!.requests === 0 ? {} : {llm: llm[index]!}),
      },
    }
  })
}
