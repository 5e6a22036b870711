import {resolve} from 'node:path'

import type {ConfigFile} from './config.js'
import type {CsvHeader} from './datasets/dataset.js'
import {usageError} from './errors.js'
import type {EvalRequest} from './evaluate.js'
import type {AnyMetric} from './interfaces/index.js'
import {parseParamFlags} from './params.js'
import type {OnError} from './runner.js'
import {REPORT_FORMATS, type ReportFormat} from '../report/output.js'

/** The `eval` flags that can also come from a config file. */
export interface EvalFlags {
  metric?: string[] | undefined
  input?: string[] | undefined
  param?: string[] | undefined
  map?: string[] | undefined
  'fail-under'?: string[] | undefined
  out?: string | undefined
  format?: string[] | undefined
  'on-error'?: OnError | undefined
  'csv-header'?: CsvHeader | undefined
  'batch-size'?: number | undefined
  model?: string | undefined
  device?: Device | undefined
}

/** Where models run (DESIGN.md §3.1, §5): `auto` tries CUDA, then the CPU. */
export const DEVICES = ['auto', 'cpu', 'cuda', 'tensorrt', 'webgpu'] as const
export type Device = (typeof DEVICES)[number]

export const DEFAULT_OUT = 'alignctl-out'

/**
 * Merges a config file and the command line: a flag given replaces the config's value
 * (lists included), except `--param`, which is merged key by key over the config's params.
 */
export function buildEvalRequest(flags: EvalFlags, config: ConfigFile, configFile: string | undefined, lookup: (id: string) => AnyMetric): EvalRequest {
  const metrics = flags.metric?.flatMap(splitList) ?? config.metrics ?? []
  const inputs = flags.input === undefined ? (config.inputs ?? {}) : parseInputs(flags.input)
  const flagParams = flags.param === undefined ? {} : parseParamFlags(flags.param, metrics.map(lookup))
  const params = structuredClone(config.params ?? {})
  for (const [id, values] of Object.entries(flagParams)) params[id] = {...params[id], ...values}
  const formats = flags.format?.flatMap(splitList) ?? config.format ?? [...REPORT_FORMATS]
  for (const format of formats) {
    if (!REPORT_FORMATS.includes(format as ReportFormat)) throw usageError(`--format ${format}: unknown report format.`, `Use one or more of ${REPORT_FORMATS.join(', ')}.`)
  }
  const batchSize = flags['batch-size'] ?? config.batchSize
  return {
    metrics,
    inputs,
    params,
    map: flags.map === undefined ? (config.map ?? {}) : parsePairs(flags.map, '--map', 'field=column'),
    gates: flags['fail-under'] ?? config.gates ?? [],
    out: resolve(flags.out ?? config.out ?? DEFAULT_OUT),
    formats: formats as ReportFormat[],
    onError: flags['on-error'] ?? config.onError ?? 'fail',
    csvHeader: flags['csv-header'] ?? config.csvHeader ?? 'auto',
    ...(batchSize === undefined ? {} : {batchSize}),
    ...(flags.model === undefined ? {} : {model: flags.model}),
    ...(flags.device === undefined ? {} : {device: flags.device}),
    paramsSource: flags.param === undefined && configFile !== undefined ? configFile : '--param',
  }
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
