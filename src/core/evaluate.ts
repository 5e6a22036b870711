import {Dataset, type CsvHeader} from './datasets/dataset.js'
import {usageError} from '../kernel/errors.js'
import {checkGates, evaluateGates, parseGate, type Gate, type GatedMetric, type GateSpec} from './gates.js'
import type {AnyMetric, Logger} from '../kernel/interfaces/index.js'
import {JudgeRegistry} from './judges.js'
import {PartialResults, partialFile} from './partial-results.js'
import {ResultFile} from './result-file.js'
import {addUsage, type RunUsage} from './run-usage.js'
import {resolveParams, type ParamsByMetric} from './params.js'
import type {MetricRegistry} from './registry.js'
import {acquireRunLock} from './run-lock.js'
import {runMetric, type InputScan, type OnError, type ProgressSink, type RowResult, type RunCheckpoint, type Shard} from './runner.js'
import type {ChartPoints} from '../report/charts.js'
import type {PageRows} from '../report/html.js'
import type {MetricReport, Report, ScoreLine} from '../report/report.js'
import {writeOutputs, type ReportFormat} from '../report/output.js'
import {RowInputCollector, type RowInput} from '../report/row-inputs.js'
import {DEFAULT_ROW_SELECTION, type RowSelectionBounds} from '../report/row-selection.js'
import {Engine, type EngineUsage} from '../engine/engine.js'
import type {Device} from '../engine/providers.js'
import type {ModelPack} from '../models/pack.js'
import {runPackIdentities, type PackIdentity} from './model-identity.js'
import {ResultCache, resultCacheFile} from './result-cache.js'
import {metricRowCache} from './row-cache.js'

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
  /** `--max-row-bytes`: the largest input row read; larger ones are input errors (default 32 MiB). */
  maxRowBytes?: number
  /** `--delimiter`: the CSV field separator, when not the extension's. */
  delimiter?: string
  /** `--resume`: reuse the rows an interrupted run into the same `out` saved. */
  resume?: boolean
  /** `--fresh`: discard such rows and start again. */
  fresh?: boolean
  /** Use the result cache (docs/cache.md): the CLI's default; off unless set, and for `merge`. */
  cache?: boolean
  /** `--shard i/n`: score one contiguous part of the rows; `alignctl merge` joins the parts. */
  shard?: Shard
  /** For `merge`: every metric's results, already scored by the shards, by row. */
  restored?: Record<string, ReadonlyMap<number, RowResult>>
  /** For `merge`: what the shards used (engine counts, seconds), added up, by metric. */
  restoredUsage?: Record<string, RunUsage>
  /** How many rows report.html embeds (default DEFAULT_ROW_SELECTION). */
  reportRows?: RowSelectionBounds
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
  /** The result cache's file; default `results.sqlite` in the alignctl cache folder. */
  cacheFile?: string
  /** `--verbose`: also say which execution providers were passed over, and why (always kept in report.json). */
  verbose?: boolean
}

export interface EvalResult {
  report: Report
  files: string[]
}

/**
 * Runs each requested metric over its inputs, writes the outputs, and checks the gates, in
 * four steps: plan (everything that can be checked before scoring, so a typo costs nothing),
 * score each metric, assemble the report with its gates, write it.
 */
export async function evaluate(request: EvalRequest, services: EvalServices): Promise<EvalResult> {
  const plan = planRun(request, services)
  // One run per --out, held from before saved rows are read until the outputs are written.
  const lock = await acquireRunLock(request.out, services.logger)
  const cache = request.cache === true && request.restored === undefined ? ResultCache.open(services.cacheFile ?? resultCacheFile(), services.logger) : undefined
  try {
    const runs: MetricRunResult[] = []
    let result: EvalResult
    try {
      for (const metric of plan.metrics) runs.push(await scoreMetric(metric, plan, request, services, cache))
      const report = assembleReport(request, services, runs, plan.gates)
      const shown = runs.flatMap((r) => (r.shown === undefined ? [] : [[r.id, r.shown] as const]))
      const inputs = Object.fromEntries(shown.map(([id, c]) => [id, c.rows]))
      const points: Record<string, ChartPoints> = Object.fromEntries(shown.map(([id, c]) => [id, c.points]))
      // Only report.html needs rows kept as they are written (a bounded selection of them).
      const page = request.formats.includes('html') ? new PageCollector(shown.map(([, c]) => c), request.reportRows ?? DEFAULT_ROW_SELECTION) : undefined
      const lines = scoreLines(runs, (line, n) => page?.add(line, n))
      const files = await writeOutputs(request.out, report, lines, request.formats, (id) => services.registry.views(id), inputs, page === undefined ? undefined : {points, page: () => page.result()})
      result = {report, files}
    } finally {
      await Promise.all(runs.map((r) => r.source.close()))
    }
    // Everything is in the final files now; the rows saved along the way are not needed.
    await PartialResults.discard(request.out)
    return result
  } finally {
    cache?.close()
    await lock.release()
  }
}

/**
 * The rows report.html shows, kept as scores.jsonl is written: those the metrics' row
 * selections chose (or every row of a small run), with their line numbers there.
 */
class PageCollector {
  readonly #shown: Set<number> | undefined
  readonly #page: PageRows

  constructor(collectors: readonly RowInputCollector[], bounds: RowSelectionBounds) {
    const complete = collectors.every((c) => c.selector.complete)
    this.#shown = complete ? undefined : new Set(collectors.flatMap((c) => [...c.selector.rows()]))
    this.#page = {rows: [], lines: [], total: 0, complete, bounds}
  }

  add(line: ScoreLine, n: number): void {
    this.#page.total = n
    if (this.#shown !== undefined && !this.#shown.has(line.row)) return
    this.#page.rows.push(line)
    this.#page.lines.push(n)
  }

  result(): PageRows {
    return this.#page
  }
}

/** One metric as it will run: its resolved params, judge and input files. */
interface MetricPlan {
  metric: AnyMetric
  source: string
  params: Record<string, unknown>
  judge: string | undefined
  inputs: Record<string, {key: string; path: string}>
}

interface RunPlan {
  metrics: MetricPlan[]
  gates: Gate[]
  judges: JudgeRegistry
}

/** Step 1: metric ids, gates against the declared stats, params, judges and inputs, before any row is read. */
function planRun(request: EvalRequest, services: EvalServices): RunPlan {
  if (request.metrics.length === 0) throw usageError('No metric given.', 'Pass --metric <id>; `alignctl metrics list` shows the ids.')
  const selected = request.metrics.map((id) => services.registry.get(id))
  const gates = request.gates.map(parseGate)
  checkGates(gates, Object.fromEntries(selected.map(({metric}) => [metric.id, metric.stats])), services.logger)
  for (const id of Object.keys(request.params)) {
    if (!request.metrics.includes(id)) throw usageError(`${request.paramsSource ?? 'params'}: params are given for metric "${id}", which is not run.`, 'Add it to --metric, or remove its params.')
  }
  const judges = services.judges ?? new JudgeRegistry()
  const where = request.paramsSource ?? '--param'
  const metrics = selected.map(({metric, source}): MetricPlan => {
    const params = resolveParams(metric, request.params[metric.id], where)
    return {metric, source, params, judge: chosenJudge(metric, params, judges, where), inputs: bindInputs(metric, request.inputs)}
  })
  const used = new Set(metrics.flatMap((p) => Object.values(p.inputs).map((i) => i.key)))
  for (const name of Object.keys(request.inputs)) {
    if (!used.has(name)) {
      throw usageError(
        `--input ${name === 'default' ? request.inputs[name] : `${name}=...`}: no selected metric reads an input ${name === 'default' ? 'without a name' : `named "${name}"`}.`,
        `The metrics take: ${metrics.map((p) => `${p.metric.id} (${p.metric.inputs.map((i) => i.name).join(', ')})`).join('; ')}.`,
      )
    }
  }
  return {metrics, gates, judges}
}

/** What scoring one metric gives: its part of report.json, its input scans, and its rows. */
interface MetricRunResult {
  id: string
  report: MetricReport
  /** Input scans by report key. */
  inputs: Record<string, InputScan>
  /** Its rows' results, read back by row. */
  source: ResultSource
  /** Rows with a value. */
  scored: number
  /** The input fields report.html shows per row, and every row's chart numbers (only when it is written). */
  shown?: RowInputCollector
}

/** A metric's results by row, from its partial file, else (merging) the shards' rows. */
interface ResultSource {
  /** One more than the largest row. */
  end: number
  get(row: number): Promise<RowResult | undefined>
  close(): Promise<void>
}

/** Step 2: one metric over its inputs, on its own engine, resuming from saved rows. */
async function scoreMetric(plan: MetricPlan, run: RunPlan, request: EvalRequest, services: EvalServices, store: ResultCache | undefined): Promise<MetricRunResult> {
  // One engine per metric, so the report says which model and device each one used. A
  // judge may run a model pack too; the engine starts nothing until a pack is loaded.
  const engine = (plan.metric.models ?? []).length > 0 || plan.judge !== undefined ? createEngine(request.engine, services) : undefined
  try {
    const datasets: Record<string, Dataset> = {}
    for (const [name, bound] of Object.entries(plan.inputs)) {
      const input = plan.metric.inputs.find((i) => i.name === name)!
      datasets[name] = new Dataset(bound.path, {
        input,
        map: request.map,
        csvHeader: request.csvHeader,
        ...(request.maxRowBytes === undefined ? {} : {maxRowBytes: request.maxRowBytes}),
        ...(request.delimiter === undefined ? {} : {delimiter: request.delimiter}),
      })
    }
    // report.html shows each row's input fields: kept, cut to a bound, only when it is written.
    const shown = request.formats.includes('html') ? new RowInputCollector(services.registry.views(plan.metric.id), plan.params, request.reportRows ?? DEFAULT_ROW_SELECTION) : undefined
    // The packs this run's numbers come from, for the cache key and the --resume fingerprint (merge restores rows instead).
    const packs = request.restored === undefined ? await runPackIdentities(plan.metric, plan.params, request.engine.model, services.resolvePack) : undefined
    const cache = metricRowCache(store, {metric: plan.metric, params: plan.params, packs, judge: plan.judge, device: request.engine.device}, services.logger)
    const started = Date.now()
    let opened: OpenedCheckpoint | undefined
    // The whole run's usage so far: the earlier attempts' and this process's.
    const usageNow = async (): Promise<RunUsage> => addUsage(opened?.prior, {...(engine === undefined ? {} : await engine.usage()), seconds: (Date.now() - started) / 1000})
    const result = await runMetric(plan.metric, {
      params: plan.params,
      datasets,
      onError: request.onError,
      logger: services.logger,
      progress: services.progress,
      signal: services.signal,
      ...(engine === undefined ? {} : {engine}),
      ...(request.engine.model === undefined ? {} : {model: request.engine.model}),
      judges: run.judges,
      ...(request.shard === undefined ? {} : {shard: request.shard}),
      ...(request.restored === undefined ? {} : {restoreOnly: true}),
      keepResults: false,
      ...(cache === undefined ? {} : {cache}),
      checkpoint: async (inputs) => {
        opened = await openCheckpoint(plan, inputs, request, services, packs)
        const partial = opened.partial
        return {completed: opened.completed, save: async (results) => partial.save(results, await usageNow())}
      },
      ...(shown === undefined ? {} : {onRow: (row: number, input: Record<string, unknown>, value: unknown, line: number | undefined) => shown.add(row, input, value, line), onSkippedRow: (row: number) => shown.skip(row)}),
    })
    const engineUsage = engine === undefined ? {} : await engine.usage()
    reportDevice(plan.metric.id, engineUsage, services)
    if (cache !== undefined) services.logger.info(`${plan.metric.id}: ${cache.hits} of ${cache.hits + cache.misses} row(s) came from the result cache${cache.misses > 0 ? `; ${cache.misses} scored` : ''}.`)
    const {seconds, ...usage} = addUsage(opened!.prior, {...engineUsage, seconds: result.timing.seconds})
    const timing = seconds === result.timing.seconds ? result.timing : {seconds: Math.round(seconds * 1e4) / 1e4, rowsPerSecond: Math.round((seconds > 0 ? result.rows / seconds : 0) * 100) / 100}
    if (result.skipped > 0) services.logger.warn(`${plan.metric.id}: skipped ${result.skipped} bad input row(s); each is listed in report.json under "errors".`)
    return {
      id: plan.metric.id,
      inputs: Object.fromEntries(Object.entries(result.inputs).map(([name, scan]) => [plan.inputs[name]!.key, scan])),
      source: await resultSource(opened!),
      scored: result.scored,
      ...(shown === undefined ? {} : {shown}),
      report: {
        version: plan.metric.version,
        source: plan.source,
        inputs: Object.values(plan.inputs).map((i) => i.key),
        params: plan.params,
        ...usage,
        stats: [...plan.metric.stats],
        summary: result.summary,
        rows: result.rows,
        skipped: result.skipped,
        errors: result.errors.map((e) => (e.input === undefined ? e : {...e, input: plan.inputs[e.input]!.key})),
        timing,
        ...(cache === undefined ? {} : {cache: {hits: cache.hits, misses: cache.misses}}),
      },
    }
  } finally {
    await engine?.close()
  }
}

/**
 * Where a metric's scored rows are saved batch by batch, fingerprinted on everything that
 * decides its numbers, so `--resume` reuses them only for the same run. `merge` restores
 * the shards' rows instead.
 */
async function openCheckpoint(plan: MetricPlan, inputs: Readonly<Record<string, InputScan>>, request: EvalRequest, services: EvalServices, packs: readonly PackIdentity[] | undefined): Promise<OpenedCheckpoint> {
  const file = partialFile(request.out, plan.metric.id)
  const fingerprint = {
    metric: plan.metric.id,
    version: plan.metric.version,
    params: plan.params,
    inputs: Object.fromEntries(Object.entries(inputs).map(([name, scan]) => [name, scan.sha256])),
    model: request.engine.model ?? null,
    // A pack converted again under the same name is another model: its rows are not resumed.
    packs: packs ?? null,
    map: request.map,
    csvHeader: request.csvHeader,
    ...(request.delimiter === undefined ? {} : {delimiter: request.delimiter}),
    shard: request.shard ?? null,
  }
  const restored = request.restored?.[plan.metric.id]
  if (restored !== undefined) {
    // Merging: the rows come from the shards; the file gets only the bad input rows.
    const partial = await PartialResults.open(file, fingerprint, {resume: false, fresh: true})
    const prior = request.restoredUsage?.[plan.metric.id]
    return {partial, completed: restored, restored, ...(prior === undefined ? {} : {prior})}
  }
  const partial = await PartialResults.open(file, fingerprint, {resume: request.resume ?? false, fresh: request.fresh ?? false})
  if (partial.completed.size > 0) services.logger.info(`${plan.metric.id}: resuming; ${partial.completed.size} row(s) were scored by the interrupted run.`)
  return {partial, completed: partial.completed, ...(partial.usage === undefined ? {} : {prior: partial.usage})}
}

interface OpenedCheckpoint {
  partial: PartialResults
  completed: RunCheckpoint['completed']
  /** Merging: the shards' rows. */
  restored?: ReadonlyMap<number, RowResult>
  /** What earlier processes used on this run. */
  prior?: RunUsage
}

/** The run's results by row: its partial file (every row it scored, restored or skipped), then the shards' rows when merging. */
async function resultSource(opened: OpenedCheckpoint): Promise<ResultSource> {
  const file = await ResultFile.index(opened.partial.file)
  const restored = opened.restored
  let end = file.end
  if (restored !== undefined) for (const row of restored.keys()) end = Math.max(end, row + 1)
  return {
    end,
    get: async (row) => (await file.get(row)) ?? restored?.get(row),
    close: () => file.close(),
  }
}

/** Says which execution provider a metric's model ran on, and why others were passed over. */
function reportDevice(id: string, usage: EngineUsage, services: EvalServices): void {
  const device = usage.device as {provider?: string; fallbacks?: Array<{provider: string; reason: string}>} | undefined
  if (device?.provider === undefined) return
  // With --device auto, CUDA failing to load on a CPU machine is expected: said only with --verbose.
  const skipped = services.verbose === true ? (device.fallbacks ?? []).map((f) => `${f.provider}: ${f.reason}`).join('; ') : ''
  services.logger.info(`${id}: ran on ${device.provider}${skipped === '' ? '' : ` (not used: ${skipped})`}.`)
}

/** Step 3: report.json's object, with every gate checked against the finished summaries. */
function assembleReport(request: EvalRequest, services: EvalServices, runs: readonly MetricRunResult[], gates: readonly Gate[]): Report {
  const metrics: Record<string, MetricReport> = {}
  const gated: Record<string, GatedMetric> = {}
  for (const run of runs) {
    metrics[run.id] = run.report
    gated[run.id] = {stats: run.report.stats ?? [], summary: run.report.summary, scored: run.scored}
  }
  const gateResults = evaluateGates(gates, gated)
  return {
    schema: 'alignctl.report/v1',
    tool: services.tool,
    createdAt: new Date().toISOString(),
    inputs: Object.assign({}, ...runs.map((r) => r.inputs)) as Record<string, InputScan>,
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

/**
 * One `scores.jsonl` line per row, each metric's result under its id, in row order, read
 * back row by row from the metrics' result files (nothing holds every row); `onLine` sees
 * each line and its 1-based number.
 */
async function* scoreLines(runs: readonly MetricRunResult[], onLine: (line: ScoreLine, n: number) => void): AsyncGenerator<ScoreLine> {
  const end = Math.max(0, ...runs.map((r) => r.source.end))
  let n = 0
  for (let row = 0; row < end; row++) {
    let line: ScoreLine | undefined
    for (const {id, source} of runs) {
      const result = await source.get(row)
      if (result === undefined) continue
      line ??= {row}
      if (result.id !== undefined) line.id = result.id
      line[id] = 'error' in result ? {error: result.error} : result.value
    }
    if (line === undefined) continue
    onLine(line, ++n)
    yield line
  }
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
