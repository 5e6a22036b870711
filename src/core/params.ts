import {usageError} from '../kernel/errors.js'
import type {AnyMetric} from '../kernel/interfaces/index.js'
import {compileSchema, formatProblems} from '../kernel/schema.js'

/** Params per metric id, as given in a config file or built from `--param`. */
export type ParamsByMetric = Record<string, Record<string, unknown>>

/**
 * Parses `--param k=v` and `--param <metric>.k=v`. A bare key goes to every selected metric
 * whose params schema declares it (and is an error if none does). Values are read as JSON
 * where they parse (`3`, `true`, `["a"]`), else as strings; the schema then coerces them.
 */
export function parseParamFlags(flags: readonly string[], metrics: readonly AnyMetric[]): ParamsByMetric {
  const out: ParamsByMetric = {}
  for (const flag of flags) {
    const eq = flag.indexOf('=')
    if (eq <= 0) throw usageError(`--param "${flag}" is not of the form key=value.`, 'Write it as --param mode=nli or --param alignscore.mode=nli.')
    const key = flag.slice(0, eq)
    const value = parseValue(flag.slice(eq + 1))
    const dot = key.indexOf('.')
    const scoped = dot > 0 ? metrics.find((m) => m.id === key.slice(0, dot)) : undefined
    if (scoped !== undefined) {
      ;(out[scoped.id] ??= {})[key.slice(dot + 1)] = value
      continue
    }
    const takers = metrics.filter((m) => key in (((m.paramsSchema['properties'] ?? {}) as object)))
    if (takers.length === 0) {
      throw usageError(
        `--param ${key}: no selected metric has a param "${key}".`,
        'Run `alignctl metrics info <id>` to see a metric\'s params.',
      )
    }
    for (const metric of takers) (out[metric.id] ??= {})[key] = value
  }
  return out
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Validates a metric's params against its schema and fills defaults; `where` prefixes messages. */
export function resolveParams(metric: AnyMetric, given: Record<string, unknown> | undefined, where: string): Record<string, unknown> {
  const params = structuredClone(given ?? {})
  const problems = compileSchema(metric.paramsSchema, {coerce: true}).validate(params)
  if (problems.length > 0) {
    throw usageError(
      `${where}: invalid params for metric "${metric.id}": ${formatProblems(problems)}.`,
      `Run \`alignctl metrics info ${metric.id}\` to see its params.`,
    )
  }
  return params
}
