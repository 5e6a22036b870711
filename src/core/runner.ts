import {performance} from 'node:perf_hooks'

import type {Dataset, DatasetRecord} from './datasets/dataset.js'
import {inputError, isAlignctlError, runtimeError} from '../kernel/errors.js'
import type {AnyMetric, InputRow, JudgeLookup, Logger, MetricEngine, RowOutcome, ScoredRow} from '../kernel/interfaces/index.js'
import type {InputScan, RowError} from '../report/report.js'

export type {InputScan, RowError}

/** What to do with an input row that fails to parse or validate. */
export type OnError = 'fail' | 'skip'

/** Shows how far a run is; a no-op outside a TTY. */
export interface ProgressSink {
  start(label: string, total: number): void
  /** Rows done since the last call; a fraction of a row while a batch is under way (`ctx.progress`). */
  advance(n: number): void
  stop(): void
}

export interface MetricRunOptions {
  params: Record<string, unknown>
  /** The metric's datasets by input name. */
  datasets: Readonly<Record<string, Dataset>>
  onError: OnError
  /** Rows per `score` call; the metric's own default, else 32. */
  batchSize?: number
  logger: Logger
  progress: ProgressSink
  signal: AbortSignal
  /**
   * Called once the inputs are scanned: returns rows already scored by an interrupted run
   * (restored, not scored again) and where to save each new batch's results.
   */
  checkpoint?: (inputs: Readonly<Record<string, InputScan>>) => Promise<RunCheckpoint>
  /** The result cache (docs/cache.md): rows it holds are restored, not scored; new results go in after each batch. */
  cache?: RunCache
  /** `--shard i/n`: score only the i-th of n contiguous ranges of rows. */
  shard?: Shard
  /** Every row must come from the checkpoint (merging shards): a row that does not is an error. */
  restoreOnly?: boolean
  /** The ONNX engine, for metrics that declare models. */
  engine?: MetricEngine
  /** `--model`: the pack the user chose. */
  model?: string
  /** The correctness judges plugins registered, passed to the metric as `ctx.judges`. */
  judges?: JudgeLookup
  /**
   * Called for every valid row once it has a result (scored, given an error, or restored):
   * its input as read, its result's value (undefined for an error) and its input line.
   */
  onRow?: (row: number, input: InputRow, value: unknown, line: number | undefined) => void
  /** Called for every bad input row of the run's range, which never reaches the metric. */
  onSkippedRow?: (row: number) => void
  /**
   * Keep every row's result in {@link MetricRun.results} (default true). `eval` passes false:
   * the results are in the checkpoint's file, read back from there, so memory does not grow
   * with them.
   */
  keepResults?: boolean
}

/** A row's entry in `scores.jsonl` for one metric: its value, or why it has none. */
export type RowResult = {row: number; id?: unknown; value: unknown} | {row: number; id?: unknown; error: string}


/** One of `count` parts of a run (1-based `index`), as `--shard index/count`. */
export interface Shard {
  index: number
  count: number
}

/**
 * The rows of a shard: contiguous, in whole groups of `group` rows (which some references
 * process together), the last shard taking the rest.
 */
export function shardRange(shard: Shard, rows: number, group = 1): {start: number; end: number} {
  const size = Math.ceil(Math.ceil(rows / shard.count) / group) * group
  const start = Math.min(rows, (shard.index - 1) * size)
  return {start, end: shard.index === shard.count ? rows : Math.min(rows, start + size)}
}

/** What the result cache looks up: a row read (`value`) or one that could not be (`ok: false`). */
export interface CacheCandidate {
  row: number
  ok: boolean
  value?: InputRow
}

/** A row as the result cache gives it back: the key its result goes under (none when it is not cached), and the result when the cache had it. */
export interface CacheMark {
  key?: Buffer
  hit?: RowOutcome<unknown>
}

/** The result cache's hook into a run (RowCache in row-cache.ts). */
export interface RunCache {
  /** Marks the rows, as they stream by in row order, that rows `start` to `end` need and `restored` has not. */
  lookup<T extends CacheCandidate>(rows: AsyncIterable<T>, options: {start: number; end: number; restored: (row: number) => boolean}): AsyncIterable<T & CacheMark>
  /** Keeps the results of a scored batch's keyed rows. */
  save(rows: ReadonlyArray<{key: Buffer; row: number; outcome: RowOutcome<unknown>}>): void
}

/** Results saved as a run goes (see PartialResults), and those saved by an earlier attempt. */
export interface RunCheckpoint {
  completed: ReadonlyMap<number, RowResult>
  /** Called with each batch's results, and with each bad input row's (not restored ones). */
  save(results: readonly RowResult[]): Promise<void>
}


export interface MetricRun {
  inputs: Record<string, InputScan>
  rows: number
  skipped: number
  errors: RowError[]
  /** Rows with a value (not an error). */
  scored: number
  /** One entry per row, in row order; absent with `keepResults: false`. */
  results?: RowResult[]
  summary: Record<string, unknown>
  timing: {seconds: number; rowsPerSecond: number}
}

type Batch = Array<{row: number; value: InputRow; source: {input: string; line: number} | undefined; key?: Buffer | undefined}>

const DEFAULT_BATCH_SIZE = 32
/** Most problems listed in one error message; the rest are counted. */
const LISTED_PROBLEMS = 5

/**
 * Runs one metric over its inputs: checks every input first (so a bad row stops the run
 * before any scoring, or is listed as skipped), then feeds rows to `score` in batches,
 * keeps row order, records per-row errors, and summarizes.
 */
export async function runMetric(metric: AnyMetric, options: MetricRunOptions): Promise<MetricRun> {
  const started = performance.now()
  const inputs: Record<string, InputScan> = {}
  const errors: RowError[] = []
  for (const [name, dataset] of Object.entries(options.datasets)) {
    const scan = await dataset.scan()
    inputs[name] = {path: dataset.file, rows: scan.rows, sha256: scan.sha256}
    if (scan.problems.length > 0 && options.onError === 'fail') throw problemsError(scan.problems)
    for (const problem of scan.problems) errors.push({row: problem.row, input: name, line: problem.line, stage: 'input', message: problem.message})
  }

  const batchSize = options.batchSize ?? (typeof metric.batchSize === 'function' ? metric.batchSize(options.params) : metric.batchSize) ?? DEFAULT_BATCH_SIZE
  const rowGroup = metricRowGroup(metric, options.params)
  const keep = options.keepResults !== false
  const results: RowResult[] = []
  // What the summary reads of each scored row: the metric's projection, else the whole row.
  const scored: Array<{row: number}> = []
  const summaryRow = metric.summaryRow === undefined ? (s: ScoredRow<InputRow, unknown>) => s : (s: ScoredRow<InputRow, unknown>) => metric.summaryRow!(s, options.params) as {row: number}
  let resultCount = 0
  const record = (result: RowResult) => {
    resultCount++
    if (keep) results.push(result)
  }
  const context = {
    params: options.params,
    logger: options.logger,
    signal: options.signal,
    ...(options.engine === undefined ? {} : {engine: options.engine}),
    ...(options.model === undefined ? {} : {model: options.model}),
    ...(options.judges === undefined ? {} : {judges: options.judges}),
  }
  let skipped = 0
  const checkpoint = await options.checkpoint?.(inputs)

  /** Puts back a row an earlier attempt scored (or the result cache holds); false when there is none. */
  const restore = (row: number, value: InputRow, source: Batch[number]['source'], saved = checkpoint?.completed.get(row)): boolean => {
    if (saved === undefined) {
      if (options.restoreOnly) throw inputError(`Row ${row} of "${metric.id}" is in none of the shards being merged.`, 'Merge the output folders of every shard, 1/n to n/n, of the same run.')
      return false
    }
    record(saved)
    options.onRow?.(row, value, 'error' in saved ? undefined : saved.value, source?.line)
    if ('error' in saved) errors.push({row, ...source, stage: 'score', message: saved.error})
    else scored.push(summaryRow({row, input: value, value: saved.value}))
    options.progress.advance(1)
    return true
  }

  const scoreBatch = async (batch: Batch) => {
    if (batch.length === 0) return
    options.signal.throwIfAborted()
    let outcomes: Array<RowOutcome<unknown>>
    // Rows credited to the bar so far by the metric's own progress reports, never more than the batch.
    let credited = 0
    const progress = (fraction: number) => {
      const target = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) * batch.length : 0
      if (target <= credited) return
      options.progress.advance(target - credited)
      credited = target
    }
    try {
      outcomes = await metric.score(
        batch.map((b) => b.value),
        {...context, rows: batch.map((b) => b.row), progress},
      )
    } catch (error) {
      // Errors that already say what to do (a missing model, a provider that cannot load) pass as they are.
      if (options.signal.aborted || isAlignctlError(error)) throw error
      throw runtimeError(`Metric "${metric.id}" failed on rows ${batch[0]!.row}-${batch.at(-1)!.row}: ${(error as Error).message}`, {cause: error, suggestions: ['Report the failing rows to the metric\'s authors.']})
    }
    if (!Array.isArray(outcomes) || outcomes.length !== batch.length) {
      throw runtimeError(`Metric "${metric.id}" returned ${Array.isArray(outcomes) ? outcomes.length : 'no'} results for a batch of ${batch.length} rows; a metric must return one result per row.`)
    }
    const batchResults = batch.map(({row, value, source}, i): RowResult => {
      const outcome = outcomes[i]!
      const id = value['id']
      options.onRow?.(row, value, 'error' in outcome ? undefined : outcome.value, source?.line)
      if ('error' in outcome) {
        errors.push({row, ...source, stage: 'score', message: outcome.error})
        return withId({row, error: outcome.error}, id)
      }
      scored.push(summaryRow({row, input: value, value: outcome.value}))
      return withId({row, value: outcome.value}, id)
    })
    for (const result of batchResults) record(result)
    await checkpoint?.save(batchResults)
    options.cache?.save(batch.flatMap(({row, key}, i) => (key === undefined ? [] : [{key, row, outcome: outcomes[i]!}])))
    if (batch.length > credited) options.progress.advance(batch.length - credited)
  }

  let fromCache: RowResult[] = []
  const saveFromCache = async () => {
    const done = fromCache
    fromCache = []
    if (done.length > 0) await checkpoint?.save(done)
  }

  let batch: Batch = []
  const flush = async () => {
    const full = batch
    batch = []
    await scoreBatch(full)
  }

  const source = metric.combine === undefined ? singleInputRows(options.datasets) : await combinedRows(metric, options)
  skipped += source.skippedOutsideLoop
  const range = options.shard === undefined ? {start: 0, end: source.count(inputs)} : shardRange(options.shard, source.count(inputs), rowGroup)
  options.progress.start(metric.id, range.end - range.start)
  const rows: AsyncIterable<Candidate & CacheMark> = options.cache === undefined ? source.rows : options.cache.lookup(source.rows, {...range, restored: (row) => checkpoint?.completed.has(row) ?? false})
  try {
    for await (const candidate of rows) {
      if (candidate.row < range.start || candidate.row >= range.end) continue
      if (!candidate.ok) {
        // Already listed from the scan; results are put in row order at the end.
        skipped++
        // Keep the id where the row had one, so tools that match rows by id find it.
        const result = withId({row: candidate.row, error: candidate.message}, candidate.id)
        record(result)
        // Saved with the scored rows (once: a resumed run finds it saved already), so the
        // results file holds every row.
        if (!checkpoint?.completed.has(candidate.row)) await checkpoint?.save([result])
        options.onSkippedRow?.(candidate.row)
        options.progress.advance(1)
        continue
      }
      if (checkpoint?.completed.has(candidate.row)) {
        restore(candidate.row, candidate.value, candidate.source)
        continue
      }
      if (candidate.hit !== undefined) {
        const {hit, row} = candidate
        const result = withId('error' in hit ? {row, error: hit.error} : {row, value: hit.value}, candidate.value['id'])
        restore(row, candidate.value, candidate.source, result)
        // Saved like scored rows (scores.jsonl is written from the saved rows), a batch at a time.
        fromCache.push(result)
        if (fromCache.length >= batchSize) await saveFromCache()
        continue
      }
      // A full batch ends where a row group does, so no group is split across two calls.
      if (batch.length >= batchSize && Math.floor(candidate.row / rowGroup) !== Math.floor(batch.at(-1)!.row / rowGroup)) await flush()
      batch.push({row: candidate.row, value: candidate.value, source: candidate.source, key: candidate.key})
    }
    await flush()
    await saveFromCache()
  } finally {
    options.progress.stop()
  }

  // Skipped and restored rows do not cut batches short (a metric may group rows by position),
  // so they arrive out of place: put everything back in row order.
  if (keep) results.sort((a, b) => a.row - b.row)
  if (!inRowOrder(scored)) scored.sort((a, b) => a.row - b.row)
  if (options.shard !== undefined && metric.combine === undefined) {
    // A shard reports the bad input rows of its own range; the others belong to other shards.
    errors.splice(0, errors.length, ...errors.filter((e) => e.row >= range.start && e.row < range.end))
  }
  let summary: Record<string, unknown>
  try {
    summary = await metric.summarize(scored, {params: options.params, logger: options.logger, ...(options.judges === undefined ? {} : {judges: options.judges}), ...(options.engine === undefined ? {} : {engine: options.engine}), ...(options.model === undefined ? {} : {model: options.model})})
  } catch (error) {
    throw runtimeError(`Metric "${metric.id}" failed to summarize its results: ${(error as Error).message}`, {cause: error})
  }
  const seconds = (performance.now() - started) / 1000
  return {
    inputs,
    rows: resultCount,
    skipped,
    errors: errors.sort((a, b) => a.row - b.row),
    scored: scored.length,
    ...(keep ? {results} : {}),
    summary,
    timing: {seconds: round(seconds, 4), rowsPerSecond: round(seconds > 0 ? resultCount / seconds : 0, 2)},
  }
}

function inRowOrder(rows: ReadonlyArray<{row: number}>): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]!.row < rows[i - 1]!.row) return false
  return true
}

/** Consecutive rows the metric's reference processes together (`rowGroup`, default 1) with these params. */
export function metricRowGroup(metric: AnyMetric, params: Record<string, unknown>): number {
  return (typeof metric.rowGroup === 'function' ? metric.rowGroup(params) : metric.rowGroup) ?? 1
}

function withId<T extends RowResult>(result: T, id: unknown): T {
  return id === undefined ? result : {...result, id}
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

function problemsError(problems: ReadonlyArray<Extract<DatasetRecord, {ok: false}>>) {
  const listed = problems.slice(0, LISTED_PROBLEMS).map((p) => p.message)
  const more = problems.length - listed.length
  // A field misnamed in every row: skipping would skip them all, so the fix is the rename.
  const misnamed = listed.every((message) => message.includes(' read it with --map '))
  return inputError(
    listed.join('\n') + (more > 0 ? `\n... and ${more} more row(s) with problems.` : ''),
    misnamed ? 'Rename the field in the file, or read it under its name with the --map shown above.' : 'Fix the rows above, or pass --on-error skip to score the others and list these in the report.',
  )
}

/** A row on its way to `score`: its value, or the reason its input line could not be read. */
type Candidate =
  | {row: number; ok: true; value: InputRow; source: Batch[number]['source']}
  | {row: number; ok: false; message: string; id?: unknown}

/** Where a metric's rows come from: how many there are, the rows in order, and bad rows already counted. */
interface RowSource {
  count(inputs: Readonly<Record<string, InputScan>>): number
  rows: AsyncIterable<Candidate>
  /** Bad input rows counted before the loop (a join reads every input whole first). */
  skippedOutsideLoop: number
}

/** A metric with one input: its rows stream from the file, bad ones in their place. */
function singleInputRows(datasets: Readonly<Record<string, Dataset>>): RowSource {
  const [name, dataset] = Object.entries(datasets)[0]!
  return {
    count: (inputs) => inputs[name]!.rows,
    skippedOutsideLoop: 0,
    rows: (async function* () {
      for await (const record of dataset.records()) {
        if (record.ok) yield {row: record.row, ok: true, value: record.value, source: {input: name, line: record.line}}
        else yield {row: record.row, ok: false, message: record.message, id: record.id}
      }
    })(),
  }
}

/** A metric that joins its inputs: each is read whole, then `combine` makes the rows. */
async function combinedRows(metric: AnyMetric, options: MetricRunOptions): Promise<RowSource> {
  const loaded: Record<string, InputRow[]> = {}
  let skipped = 0
  for (const [name, dataset] of Object.entries(options.datasets)) {
    loaded[name] = []
    for await (const record of dataset.records()) {
      if (record.ok) loaded[name].push(record.value)
      else skipped++
    }
  }
  const rows = await metric.combine!(loaded, options.params)
  return {
    count: () => rows.length,
    skippedOutsideLoop: skipped,
    rows: (async function* () {
      for (const [row, value] of rows.entries()) yield {row, ok: true as const, value, source: undefined}
    })(),
  }
}
