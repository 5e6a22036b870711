import {availableParallelism} from 'node:os'
import {resolve} from 'node:path'

import type {ConfigFile} from './config.js'
import type {CsvHeader} from './datasets/dataset.js'
import {parseDelimiter} from './datasets/sniff.js'
import {usageError} from '../kernel/errors.js'
import type {EngineSettings, EvalRequest} from './evaluate.js'
import {parseDevice} from '../engine/providers.js'
import type {AnyMetric} from '../kernel/interfaces/index.js'
import {gateSpecs} from './gates.js'
import {cacheDisabledByEnv} from './result-cache.js'
import {parseParamFlags} from './params.js'
import {resolveShard} from './shard-source.js'
import type {OnError} from './runner.js'
import {REPORT_FORMATS, type ReportFormat} from '../report/output.js'

/** The `eval` flags that can also come from a config file. */
export interface EvalFlags {
  metric?: string[] | undefined
  input?: string[] | undefined
  param?: string[] | undefined
  map?: string[] | undefined
  'fail-under'?: string[] | undefined
  'fail-over'?: string[] | undefined
  out?: string | undefined
  format?: string[] | undefined
  'on-error'?: OnError | undefined
  'csv-header'?: CsvHeader | undefined
  'max-row-bytes'?: number | undefined
  delimiter?: string | undefined
  'batch-size'?: number | undefined
  model?: string | undefined
  device?: string | undefined
  workers?: number | undefined
  threads?: number | undefined
  'max-tokens'?: number | undefined
  resume?: boolean | undefined
  fresh?: boolean | undefined
  shard?: string | undefined
  shards?: number | undefined
  'shard-index'?: string | undefined
  /** `--cache` / `--no-cache`. */
  cache?: boolean | undefined
}

export const DEFAULT_OUT = 'alignctl-out'

/**
 * Merges a config file and the command line: a flag given replaces the config's value
 * (lists included), except `--param`, which is merged key by key over the config's params.
 * `env` is read only for `--shards n`, whose shard index may come from the scheduler.
 */
export function buildEvalRequest(
  flags: EvalFlags,
  config: ConfigFile,
  configFile: string | undefined,
  lookup: (id: string) => AnyMetric,
  env: Readonly<Record<string, string | undefined>> = process.env,
): EvalRequest {
  const metrics = flags.metric?.flatMap(splitList) ?? config.metrics ?? []
  const inputs = flags.input === undefined ? (config.inputs ?? {}) : parseInputs(flags.input)
  const flagParams = flags.param === undefined ? {} : parseParamFlags(flags.param, metrics.map(lookup))
  // A config may hold params for metrics this run does not select (--metric narrows it).
  const params = Object.fromEntries(Object.entries(structuredClone(config.params ?? {})).filter(([id]) => metrics.includes(id)))
  for (const [id, values] of Object.entries(flagParams)) params[id] = {...params[id], ...values}
  const formats = parseFormats(flags.format ?? config.format)
  const engine: EngineSettings = {device: parseDevice(flags.device ?? config.device ?? 'auto')}
  const model = flags.model ?? config.model
  if (model !== undefined) engine.model = model
  const workers = flags.workers ?? config.workers
  if (workers !== undefined) engine.workers = workers
  const threads = flags.threads ?? config.threads
  if (threads !== undefined) engine.threads = threads
  const batchSize = flags['batch-size'] ?? config.batchSize
  if (batchSize !== undefined) engine.batchSize = batchSize
  if (flags.resume && flags.fresh) throw usageError('--resume and --fresh contradict each other.', 'Pass --resume to continue an interrupted run, or --fresh to start it again.')
  const cores = availableParallelism()
  if ((workers ?? 1) * (threads ?? 1) > cores) {
    throw usageError(`--workers ${workers ?? 1} × --threads ${threads ?? 1} is more than the ${cores} cores of this machine.`, 'Lower --workers or --threads; by default the cores are shared out for you.')
  }
  const shard = resolveShard(flags, env)
  const maxTokens = flags['max-tokens'] ?? config.maxTokens
  if (maxTokens !== undefined) engine.maxTokens = maxTokens
  return {
    metrics,
    inputs,
    params,
    map: flags.map === undefined ? (config.map ?? {}) : parsePairs(flags.map, '--map', 'field=column'),
    // A gate flag given replaces the config's gates of that kind.
    gates: gateSpecs(flags['fail-under'] ?? config.gates ?? [], flags['fail-over'] ?? config.failOver ?? []),
    out: resolve(flags.out ?? config.out ?? DEFAULT_OUT),
    formats,
    onError: flags['on-error'] ?? config.onError ?? 'fail',
    csvHeader: flags['csv-header'] ?? config.csvHeader ?? 'auto',
    ...(flags['max-row-bytes'] === undefined ? {} : {maxRowBytes: flags['max-row-bytes']}),
    ...(flags.delimiter === undefined ? {} : {delimiter: parseDelimiter(flags.delimiter)}),
    engine,
    ...(shard === undefined ? {} : {shard}),
    resume: flags.resume ?? false,
    fresh: flags.fresh ?? false,
    // On by default; ALIGNCTL_NO_CACHE or the config's `cache: false` turn it off, and a flag decides over both.
    cache: flags.cache ?? (cacheDisabledByEnv() ? false : (config.cache ?? true)),
    paramsSource: flags.param === undefined && configFile !== undefined ? configFile : '--param',
  }
}

/** `--format json,html` (comma-separated or repeated); every format when absent. */
export function parseFormats(values: readonly string[] | undefined): ReportFormat[] {
  const formats = values?.flatMap(splitList) ?? [...REPORT_FORMATS]
  for (const format of formats) {
    if (!REPORT_FORMATS.includes(format as ReportFormat)) throw usageError(`--format ${format}: unknown report format.`, `Use one or more of ${REPORT_FORMATS.join(', ')}.`)
  }
  return formats as ReportFormat[]
}

function splitList(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '')
}

/** `--input path` (the default input) and `--input name=path`. */
function parseInputs(values: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {}
  for (const value of values) {
    const match = /^([A-Za-z][\w-]*)=(.+)$/.exec(value)
    const [name, path] = match === null ? ['default', value] : [match[1]!, match[2]!]
    if (name in inputs) throw usageError(`--input ${name === 'default' ? value : `${name}=`}: the input ${name === 'default' ? 'without a name' : `"${name}"`} is given twice.`, 'Give each input once; name them with --input <name>=<path> when a metric takes several.')
    inputs[name] = resolve(path)
  }
  return inputs
}

function parsePairs(values: readonly string[], flag: string, form: string): Record<string, string> {
  const pairs: Record<string, string> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0 || eq === value.length - 1) throw usageError(`${flag} "${value}" is not of the form ${form}.`, `For example: ${flag} claim=summary`)
    pairs[value.slice(0, eq)] = value.slice(eq + 1)
  }
  return pairs
}
