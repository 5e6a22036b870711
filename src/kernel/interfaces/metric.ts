import type {MetricEngine} from './engine.js'
import type {JudgeLookup} from './judge.js'
import type {JsonSchema} from './json-schema.js'
import type {Logger} from './logger.js'
import type {StatDeclaration} from './stats.js'
import type {MetricViews} from './view.js'

/** A row as read from an input file, after `--map` renames and the metric's aliases. */
export type InputRow = Record<string, unknown>

/**
 * One named input a metric reads. Most metrics take a single input called `default`
 * (`--input file.jsonl`); metrics that join files name theirs (`--input ratings=r.csv`).
 */
export interface MetricInput {
  /** The name used in `--input <name>=<path>`; `default` for a metric's only input. */
  name: string
  /** One sentence shown by `alignctl metrics info`. */
  description: string
  /** JSON Schema (draft 2020-12 subset that ajv supports) every row must satisfy. */
  rowSchema: JsonSchema
  /** Column order for CSV files without a header row. */
  columns?: readonly string[]
  /** Other field names accepted for a field: `{premise: 'context'}` reads `premise` as `context`. */
  aliases?: Readonly<Record<string, string>>
  /**
   * An optional input may be left out; `combine` then receives only the inputs given and
   * decides whether that set is usable (a metric that reads either one joined file or two
   * separate ones declares all three as optional).
   */
  optional?: boolean
}

/** A model pack the metric needs; `alignctl models pull <name>` fetches it. */
export interface ModelRequirement {
  name: string
  description: string
  /** True when the metric can run without it (for instance an optional judge). */
  optional?: boolean
}

/** What a metric returns for one row: a value, or a reason why this row has none. */
export type RowOutcome<Result> = {value: Result} | {error: string}

/** A row the metric scored, handed to {@link Metric.summarize}. */
export interface ScoredRow<Row, Result> {
  /** 0-based index in the metric's row sequence (its input, or the rows `combine` made). */
  row: number
  input: Row
  value: Result
}

export interface MetricContext<Params> {
  /** The metric's params, validated against `paramsSchema` with its defaults filled in. */
  params: Params
  logger: Logger
  /** Aborted on Ctrl-C or when another part of the run failed: stop early when it is. */
  signal: AbortSignal
  /** The ONNX engine; present for metrics that declare `models`, and when a judge is chosen (see {@link Metric.judgeParam}). */
  engine?: MetricEngine
  /** The model the user chose with `--model` (a cache name or a pack folder), if any. */
  model?: string
  /** Global row indices of this batch, in order (for metrics whose reference groups rows). */
  rows: readonly number[]
  /**
   * Reports how much of this batch's work is done, as a fraction from 0 to 1, so the progress bar
   * moves during a long batch (a 5 MB row's thousands of pairs) rather than only when it ends.
   * Optional to call; a metric that never calls it advances the bar by whole batches.
   */
  progress?: (fraction: number) => void
  /**
   * The correctness judges plugins registered (the `alignctl:judges` hook). A metric asks for
   * one by the id the user gave (`judges.get(params.judge)`) and calls it with `engine`,
   * `logger` and `signal` from this context; absent when the caller registered none.
   */
  judges?: JudgeLookup
}

export interface SummarizeContext<Params> {
  params: Params
  logger: Logger
  /** The same judges as in {@link MetricContext.judges}, to record which one (and which version) was used. */
  judges?: JudgeLookup
  /**
   * The same engine and `--model` as in {@link MetricContext}: when every row came from the
   * result cache, `score` was never called, and a summary that records the run's setup (which
   * packs, which settings) can resolve it here.
   */
  engine?: MetricEngine
  model?: string
}

/**
 * A metric plugin (DESIGN.md §3.3). Built-in metrics live in `metrics/<id>/index.ts`;
 * third-party ones come from oclif plugins through the `alignctl:metrics` hook.
 */
export interface Metric<
  Row extends InputRow = InputRow,
  Params extends Record<string, unknown> = Record<string, unknown>,
  Result = unknown,
  Summary extends Record<string, unknown> = Record<string, unknown>,
  Kept extends {row: number} = ScoredRow<Row, Result>,
> {
  /** Lower-case id used on the command line: letters, digits and dashes. */
  id: string
  /** The metric's own version, recorded in every report. */
  version: string
  /** One line for `alignctl metrics list`. */
  description: string
  /** Where the numbers come from (paper and reference implementation). */
  reference?: string
  /** The inputs the metric reads, at least one. */
  inputs: readonly MetricInput[]
  /** JSON Schema of the params object, with `default`s; `--param k=v` values are checked against it. */
  paramsSchema: JsonSchema
  /** Model packs the metric runs. */
  models?: readonly ModelRequirement[]
  /** Rows per `score` call: a number, or one computed from the params. */
  batchSize?: number | ((params: Params) => number)
  /**
   * Consecutive rows the reference processes together (AlignScore batches rows in 32s): a
   * shard (`--shard i/n`) never splits such a group. Default 1.
   */
  rowGroup?: number | ((params: Params) => number)
  /**
   * How the result cache (docs/cache.md) keeps this metric's row results, so a re-run scores
   * only new or changed rows. `row` (the default): a row's result is reused wherever the same
   * row (its fields after `--map`) comes again with the same metric version, params and model
   * packs. `group`: a result depends on the other rows of its `rowGroup` too, so a group's
   * results are reused only all together, when every row of the group is unchanged. `false`:
   * never cached (results that depend on things outside the key, such as an LLM server).
   * A metric that declares `models` is cached only when it also declares {@link Metric.packs}.
   */
  cache?: CacheScope | ((params: Params) => CacheScope)
  /**
   * The model packs a run with these params loads (each as given to `engine.load`), so the
   * cache key and the `--resume` fingerprint hold each pack's identity (manifest hash,
   * precision, quantization). `model` is `--model`, if given. Empty when this run loads none.
   */
  packs?(params: Params, model: string | undefined): readonly string[]
  /**
   * The param (declared in `paramsSchema`) whose value, when given, is the id of a correctness
   * judge. alignctl checks that id against the installed judges before reading any input (a
   * usage error lists the known ones) and gives the metric an engine for the judge to use.
   */
  judgeParam?: string
  /**
   * For metrics with several inputs: build the rows to score from all of them (a join).
   * Each input arrives whole, validated, in file order; optional inputs the user did not give
   * are absent. Throw a usage error (`usageError` from alignctl) for an unusable combination.
   */
  combine?(inputs: Readonly<Record<string, readonly InputRow[]>>, params: Params): Row[] | Promise<Row[]>
  /** Scores a batch: exactly one outcome per row, in the batch's order. */
  score(batch: readonly Row[], ctx: MetricContext<Params>): Promise<Array<RowOutcome<Result>>>
  /**
   * The stats its summary holds (DESIGN.md §3.2 names the keys), declared: gates, `compare` and
   * the report judge each stat by its declaration, and report.json records them. A stat the
   * summary holds that no declaration matches is shown, never gated or judged.
   */
  stats: readonly StatDeclaration[]
  /**
   * How the metric decides what it reports per row, shown by `alignctl metrics info` (and in
   * its `--json`): titled sections of plain sentences, such as what makes a response idk,
   * correct or wrong. Built from the values the metric uses, so they cannot drift apart.
   */
  notes?: readonly MetricNote[]
  /** Its own section of report.html and summary.md, and the row spans to highlight. */
  views?: MetricViews
  /**
   * What {@link summarize} reads of one scored row, made as the row is scored and kept, for
   * every scored row, until the run ends: the numbers and flags the summary needs, not the
   * row's text (honesty keeps whether the row has gold answers and its labels, not the
   * question). With 1,000,000 rows this is what a run's memory grows with.
   *
   * Absent: the row as scored, `{row, input, value}`, is kept whole, and `summarize` gets
   * those. That works for every metric, but a run then holds every input row and result in
   * memory until it ends (about ten times the input file's size in a JavaScript heap), so a
   * metric meant for large runs declares a projection. The rows reach `summarize` in row order.
   */
  summaryRow?(scored: ScoredRow<Row, Result>, params: Params): Kept
  /**
   * Aggregates the scored rows into the summary (DESIGN.md §3.2 names its keys): the rows as
   * {@link summaryRow} kept them, in row order.
   */
  summarize(scored: ReadonlyArray<Kept>, ctx: SummarizeContext<Params>): Summary | Promise<Summary>
}

/** What the result cache keeps for a metric: see {@link Metric.cache}. */
export type CacheScope = 'row' | 'group' | false

/** One section of a metric's {@link Metric.notes}. */
export interface MetricNote {
  title: string
  /** Sentences, each printed on its own line. */
  lines: readonly string[]
}

/** A metric whose type parameters have been forgotten: what the registry holds. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyMetric = Metric<any, any, any, any, any>
