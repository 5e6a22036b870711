import {Dataset, type CsvHeader} from './datasets/dataset.js'
import {usageError} from './errors.js'
import {checkGates, evaluateGates, parseGate, type GatedMetric, type GateSpec} from './gates.js'
import type {AnyMetric, Logger} from './interfaces/index.js'
import {JudgeRegistry} from './judges.js'
import {PartialResults, partialFile} from './partial-results.js'
import {resolveParams, type ParamsByMetric} from './params.js'
import type {MetricRegistry} from './registry.js'
import {runMetric, type InputScan, type OnError, type ProgressSink, type RowResult, type Shard} from './runner.js'
import type {MetricReport, Report, ScoreLine} from '../report/report.js'
import {writeOutputs, type ReportFormat} from '../report/output.js'
import {Engine} from '../engine/engine.js'
import type {Device} from '../engine/providers.js'
import type {ModelPack} from '../models/pack.js'

/** Everything `alignctl eval` needs, after the config file and flags are merged. */
export interface EvalRequest {
  metrics: string[]
  /** Input paths by input name; `default` is a plain `--input <path>`. */
  inputs: Record<string, string>
  params: ParamsByMetric
  map: Record<string, string>
  /** `--fail-under` and `--fail-over` gates, checked against the declared stats before any row is read. */
  gates: GateSpec[]
  out: string
  formats: ReportFormat[]
  onError: OnError
  csvHeader: CsvHeader
  /** `--resume`: reuse the rows an interrupted run into the same `out` saved. */
  resume?: boolean
  /** `--fresh`: discard such rows and start again. */
  fresh?: boolean
  /** `--shard i/n`: score one contiguous part of the rows; `alignctl merge` joins the parts. */
  shard?: Shard
  /** For `merge`: every metric's results, already scored by the shards, by row. */
  restored?: Record<string, ReadonlyMap<number, RowResult>>
  /** The ONNX engine's settings, used by metrics that run models. */
  engine: EngineSettings
  /** Where params came from, for messages (`--param`, or the config file's path). */
  paramsSource?: string
}

export interface EngineSettings {
  /** `--model`: a cache name or pack folder; each metric's default when absent. */
  model?: string
  device: Device
  workers?: number
  threads?: number
  /** Most requests per model batch. */
  batchSize?: number
  maxTokens?: number
}

export interface EvalServices {
  registry: MetricRegistry
  /** Correctness judges from plugins (`alignctl:judges`), for metrics with a `judgeParam`; none when absent. */
  judges?: JudgeRegistry
  logger: Logger
  progress: ProgressSink
  signal: AbortSignal
  tool: {name: string; version: string}
  /** Finds a model pack by name or folder, fetching a known one when missing. */
  resolvePack: (ref: string) => Promise<ModelPack>
}

export interface EvalResult {
  report: Report
  files: string[]
}

/**
 * Runs each requested metric over its inputs, writes the outputs, and checks the gates.
 * Everything that can be checked before scoring (metric ids, inputs, params, gate syntax)
 * is checked first, so a typo costs nothing.
 */
export async function evaluate(request: EvalRequest, services: EvalServices): Promise<EvalResult> {
  if (request.metrics.length === 0) throw usageError('No metric given.', 'Pass --metric <id>; `alignctl metrics list` shows the ids.')
  const selected = request.metrics.map((id) => services.registry.get(id))
  const gates = request.gates.map(parseGate)
  checkGates(gates, Object.fromEntries(selected.map(({metric}) => [metric.id, metric.stats])), services.logger)
  for (const id of Object.keys(request.params)) {
    if (!request.metrics.includes(id)) throw usageError(`${request.paramsSource ?? 'params'}: params are given for metric "${id}", which is not run.`, 'Add it to --metric, or remove its params.')
  }
  const judges = services.judges ?? new JudgeRegistry()
  const plans = selected.map(({metric, source}) => {
    const params = resolveParams(metric, request.params[metric.id], request.paramsSource ?? '--param')
    return {metric, source, params, judge: chosenJudge(metric, params, judges, request.paramsSource ?? '--param'), inputs: bindInputs(metric, request.inputs)}
  })
  const used = new Set(plans.flatMap((p) => Object.values(p.inputs).map((i) => i.key)))
  for (const name of Object.keys(request.inputs)) {
    if (!used.has(name)) {
      throw usageError(
        `--input ${name === 'default' ? request.inputs[name] : `${name}=...`}: no selected metric reads an input ${name === 'default' ? 'without a name' : `named "${name}"`}.`,
        `The metrics take: ${plans.map((p) => `${p.metric.id} (${p.metric.inputs.map((i) => i.name).join(', ')})`).join('; ')}.`,
      )
    }
  }

  const reportInputs: Record<string, InputScan> = {}
  const metrics: Record<string, MetricReport> = {}
  const results: Record<string, RowResult[]> = {}
  for (const plan of plans) {
    // One engine per metric, so the report says which model and device each one used. A
    // judge may run a model pack too; the engine starts nothing until a pack is loaded.
    const engine = (plan.metric.models ?? []).length > 0 || plan.judge !== undefined ? createEngine(request.engine, services) : undefined
    try {
      const datasets: Record<string, Dataset> = {}
      for (const [name, bound] of Object.entries(plan.inputs)) {
        const input = plan.metric.inputs.find((i) => i.name === name)!
        datasets[name] = new Dataset(bound.path, {input, map: request.map, csvHeader: request.csvHeader})
      }
      const run = await runMetric(plan.metric, {
        params: plan.params,
        datasets,
        onError: request.onError,
        logger: services.logger,
        progress: services.progress,
        signal: services.signal,
        ...(engine === undefined ? {} : {engine}),
        ...(request.engine.model === undefined ? {} : {model: request.engine.model}),
        judges,
        ...(request.shard === undefined ? {} : {shard: request.shard}),
        ...(request.restored === undefined ? {} : {restoreOnly: true}),
        checkpoint: async (inputs) => {
          const restored = request.restored?.[plan.metric.id]
          if (restored !== undefined) return {completed: restored, save: async () => {}}
          const fingerprint = {
            metric: plan.metric.id,
            version: plan.metric.version,
            params: plan.params,
            inputs: Object.fromEntries(Object.entries(inputs).map(([name, scan]) => [name, scan.sha256])),
            model: request.engine.model ?? null,
            map: request.map,
            csvHeader: request.csvHeader,
            shard: request.shard ?? null,
          }
          const partial = await PartialResults.open(partialFile(request.out, plan.metric.id), fingerprint, {resume: request.resume ?? false, fresh: request.fresh ?? false})
          if (partial.completed.size > 0) services.logger.info(`${plan.metric.id}: resuming; ${partial.completed.size} row(s) were scored by the interrupted run.`)
          return partial
        },
      })
      const usage = engine === undefined ? {} : await engine.usage()
      const device = usage.device as {provider?: string; fallbacks?: Array<{provider: string; reason: string}>} | undefined
      if (device?.provider !== undefined) {
        const skipped = (device.fallbacks ?? []).map((f) => `${f.provider}: ${f.reason}`).join('; ')
        services.logger.info(`${plan.metric.id}: ran on ${device.provider}${skipped === '' ? '' : ` (not used: ${skipped})`}.`)
      }
      for (const [name, scan] of Object.entries(run.inputs)) reportInputs[plan.inputs[name]!.key] = scan
      metrics[plan.metric.id] = {
        version: plan.metric.version,
        source: plan.source,
        inputs: Object.values(plan.inputs).map((i) => i.key),
        params: plan.params,
        ...usage,
        stats: [...plan.metric.stats],
        summary: run.summary,
        rows: run.rows,
        skipped: run.skipped,
        errors: run.errors.map((e) => (e.input === undefined ? e : {...e, input: plan.inputs[e.input]!.key})),
        timing: run.timing,
      }
      results[plan.metric.id] = run.results
      if (run.skipped > 0) services.logger.warn(`${plan.metric.id}: skipped ${run.skipped} bad input row(s); each is listed in report.json under "errors".`)
    } finally {
      await engine?.close()
    }
  }

  const gated: Record<string, GatedMetric> = {}
  for (const [id, m] of Object.entries(metrics)) gated[id] = {stats: m.stats ?? [], summary: m.summary, scored: results[id]!.filter((r) => !('error' in r)).length}
  const gateResults = evaluateGates(gates, gated)
  const report: Report = {
    schema: 'alignctl.report/v1',
    tool: services.tool,
    createdAt: new Date().toISOString(),
    inputs: reportInputs,
    metrics,
    gates: gateResults,
    passed: gateResults.every((g) => g.passed),
    run: {
      map: request.map,
      csvHeader: request.csvHeader,
      onError: request.onError,
      ...(request.engine.model === undefined ? {} : {model: request.engine.model}),
      ...(request.shard === undefined ? {} : {shard: request.shard}),
    },
  }
  const files = await writeOutputs(request.out, report, mergeScoreLines(results), request.formats, (id) => services.registry.views(id))
  // Everything is in the final files now; the rows saved along the way are not needed.
  await PartialResults.discard(request.out)
  return {report, files}
}

/**
 * The judge a metric's `judgeParam` names, checked before any input is read so that a typo
 * costs nothing; undefined when the metric has no judge param or the user left it out.
 */
function chosenJudge(metric: AnyMetric, params: Readonly<Record<string, unknown>>, judges: JudgeRegistry, where: string): string | undefined {
  const id = metric.judgeParam === undefined ? undefined : params[metric.judgeParam]
  if (typeof id !== 'string') return undefined
  judges.get(id, `${where} ${metric.id}.${metric.judgeParam}`)
  return id
}

/** Input key (as named in `--input` and in the report) and path, per metric input name. */
function bindInputs(metric: AnyMetric, given: Readonly<Record<string, string>>): Record<string, {key: string; path: string}> {
  const bound: Record<string, {key: string; path: string}> = {}
  for (const input of metric.inputs) {
    const key = input.name in given ? input.name : metric.inputs.length === 1 && 'default' in given ? 'default' : undefined
    if (key === undefined) {
      if (input.optional) continue
      const how = metric.inputs.length === 1 ? `--input <path>` : `--input ${input.name}=<path>`
      throw usageError(`Metric "${metric.id}" needs its input "${input.name}" (${input.description}).`, `Pass ${how}.`)
    }
    bound[input.name] = {key, path: given[key]!}
  }
  if (Object.keys(bound).length === 0) {
    throw usageError(`Metric "${metric.id}" got none of its inputs (${metric.inputs.map((i) => i.name).join(', ')}).`, `Pass them with --input <name>=<path>; \`alignctl metrics info ${metric.id}\` describes each.`)
  }
  return bound
}

/** One `scores.jsonl` line per row, each metric's result under its id, in row order. */
function mergeScoreLines(results: Readonly<Record<string, RowResult[]>>): ScoreLine[] {
  const lines: ScoreLine[] = []
  for (const [id, rows] of Object.entries(results)) {
    for (const result of rows) {
      const line = (lines[result.row] ??= {row: result.row})
      if (result.id !== undefined) line.id = result.id
      line[id] = 'error' in result ? {error: result.error} : result.value
    }
  }
  return lines.filter((line) => line !== undefined)
}

function createEngine(settings: EngineSettings, services: EvalServices): Engine {
  return new Engine({
    device: settings.device,
    resolvePack: services.resolvePack,
    ...(settings.workers === undefined ? {} : {workers: settings.workers}),
    ...(settings.threads === undefined ? {} : {threads: settings.threads}),
    ...(settings.batchSize === undefined ? {} : {batchSize: settings.batchSize}),
    ...(settings.maxTokens === undefined ? {} : {maxTokens: settings.maxTokens}),
  })
}
