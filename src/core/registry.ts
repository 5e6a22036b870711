import {readdir} from 'node:fs/promises'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {join} from 'node:path'
import {existsSync} from 'node:fs'

import {runtimeError} from '../kernel/errors.js'
import {PluginRegistry, type HookOutcome} from './plugin-registry.js'
import type {AnyMetric, MetricViews} from '../kernel/interfaces/index.js'
import {schemaError} from '../kernel/schema.js'
import {checkStatDeclarations} from '../kernel/stat-declarations.js'

/** The oclif hook through which installed plugins contribute metrics. */
export const METRICS_HOOK = 'alignctl:metrics' as const

/** What a plugin's `alignctl:metrics` hook returns. */
export type MetricsHookResult = AnyMetric | readonly AnyMetric[]

export interface RegisteredMetric {
  metric: AnyMetric
  /** `built-in`, or the name of the plugin package that contributed it. */
  source: string
}

/** Ids of metrics (and judges): lower-case letters, digits and dashes. */
export const ID = /^[a-z][a-z0-9-]*$/

/**
 * Every metric this process can run. Open: built-ins and plugins register the same way, and
 * a metric is checked once, here, before anything runs it.
 */
export class MetricRegistry {
  readonly #registry = new PluginRegistry<AnyMetric>({
    kind: 'metric',
    check: checkMetric,
    unknownHint: 'Run `alignctl metrics list` to see them, or install a plugin with `alignctl plugins install <package>`.',
  })

  register(metric: AnyMetric, source: string): void {
    this.#registry.register(metric, source)
  }

  get(id: string): RegisteredMetric {
    const {item, source} = this.#registry.get(id)
    return {metric: item, source}
  }

  /** The report views of a registered metric; undefined for an id not registered (a report from a plugin not installed here). */
  views(id: string): MetricViews | undefined {
    return this.list().find((r) => r.metric.id === id)?.metric.views
  }

  list(): RegisteredMetric[] {
    return this.#registry.list().map(({item, source}) => ({metric: item, source}))
  }

  /** Registers what plugins returned from the `alignctl:metrics` hook. */
  registerHookOutcome(outcome: HookOutcome): void {
    this.#registry.registerHookOutcome(outcome)
  }
}

/** Everything wrong with a metric object, as short phrases. */
export function checkMetric(metric: AnyMetric): string[] {
  if (metric === null || typeof metric !== 'object') return ['it is not an object']
  const problems: string[] = []
  if (typeof metric.id !== 'string' || !ID.test(metric.id)) problems.push('"id" must be lower-case letters, digits and dashes')
  if (typeof metric.version !== 'string' || metric.version === '') problems.push('"version" must be a non-empty string')
  if (typeof metric.description !== 'string') problems.push('"description" must be a string')
  if (typeof metric.score !== 'function') problems.push('"score" must be a function')
  if (typeof metric.summarize !== 'function') problems.push('"summarize" must be a function')
  problems.push(...checkStatDeclarations(metric.stats))
  const paramsProblem = schemaError(metric.paramsSchema ?? {})
  if (paramsProblem !== undefined) problems.push(`"paramsSchema" is not a valid JSON Schema (${paramsProblem})`)
  if (metric.judgeParam !== undefined && (typeof metric.judgeParam !== 'string' || !(metric.judgeParam in ((metric.paramsSchema?.['properties'] ?? {}) as object)))) {
    problems.push('"judgeParam" must name a param declared in "paramsSchema"')
  }
  if (metric.cache !== undefined && !['row', 'group', false].includes(metric.cache as string | false) && typeof metric.cache !== 'function') {
    problems.push('"cache" must be "row", "group", false, or a function of the params returning one of them')
  }
  if (metric.packs !== undefined && typeof metric.packs !== 'function') problems.push('"packs" must be a function of the params and --model')
  if (!Array.isArray(metric.inputs) || metric.inputs.length === 0) {
    problems.push('"inputs" must list at least one input')
    return problems
  }
  const names = new Set<string>()
  for (const input of metric.inputs) {
    if (typeof input.name !== 'string' || input.name === '') problems.push('every input needs a "name"')
    else if (names.has(input.name)) problems.push(`input "${input.name}" is declared twice`)
    names.add(input.name)
    const rowProblem = schemaError(input.rowSchema ?? {})
    if (rowProblem !== undefined) problems.push(`input "${input.name}" has an invalid rowSchema (${rowProblem})`)
  }
  if (metric.inputs.length > 1 && typeof metric.combine !== 'function') {
    problems.push('a metric with several inputs must define "combine" to join them into rows')
  }
  return problems
}

/** Folder of the built-in metrics: `dist/metrics` when built, `metrics` when run from sources. */
export const BUILTIN_METRICS_DIR = fileURLToPath(new URL('../../metrics/', import.meta.url))

/** Imports every `metrics/<id>/index.(js|ts)` and registers its default export. */
export async function registerBuiltinMetrics(registry: MetricRegistry, dir = BUILTIN_METRICS_DIR): Promise<void> {
  const entries = await readdir(dir, {withFileTypes: true}).catch(() => [])
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const file = ['index.js', 'index.ts'].map((name) => join(dir, entry.name, name)).find((f) => existsSync(f))
    if (file === undefined) continue
    const module = (await import(pathToFileURL(file).href)) as {default?: AnyMetric}
    if (module.default === undefined) {
      throw runtimeError(`${file}: a built-in metric module must export its metric as the default export.`)
    }
    registry.register(module.default, 'built-in')
  }
}

/** Registers what plugins returned from the `alignctl:metrics` hook. */
export function registerPluginMetrics(registry: MetricRegistry, outcome: HookOutcome): void {
  registry.registerHookOutcome(outcome)
}

export type {HookOutcome}
