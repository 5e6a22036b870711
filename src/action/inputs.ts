import {usageError} from '../kernel/errors.js'
import {DEVICES, type Device} from '../engine/providers.js'
import {REPORT_FORMATS, type ReportFormat} from '../report/output.js'
import type {OnError} from '../core/runner.js'

/** The action's inputs (action.yml), parsed. */
export interface ActionInputs {
  metrics: string[]
  /** `path` or `name=path`, one per line, as `--input` takes them. */
  inputs: string[]
  config?: string
  model?: string
  device?: Device
  /** `<metric>.<stat>=<x>`, one per line. */
  failUnder: string[]
  /** `<metric>.<stat>=<x>`, one per line: upper bounds. */
  failOver: string[]
  params: string[]
  out: string
  /** A previous report.json, or the folder an artifact holding one was downloaded to. */
  baseline?: string
  tolerance: number
  /** Count a regression of a mean over rows only when its paired test gives p below this level. */
  significance?: number
  failOnRegression: boolean
  comment: boolean
  githubToken?: string
  cache: boolean
  /** Plugins to add before the run, one per line or comma-separated: npm names (installed) or workspace folders (linked). */
  plugins: string[]
  /** What a bad input row does: fail the run, or skip it and list it in the report. */
  onError?: OnError
  /** Report formats to write (json, html, md); every one when absent. */
  formats?: string[]
  /** Engine worker processes. */
  workers?: number
}

/**
 * An input as GitHub passes it to a JavaScript action: `INPUT_<NAME>`, upper-cased, spaces as
 * underscores and dashes kept (`INPUT_FAIL-UNDER`). `INPUT_FAIL_UNDER` is read too, for
 * shells and composite steps that cannot set a name with a dash.
 */
export function readInput(env: NodeJS.ProcessEnv, name: string): string {
  const key = `INPUT_${name.replaceAll(' ', '_').toUpperCase()}`
  return (env[key] ?? env[key.replaceAll('-', '_')] ?? '').trim()
}

/** Non-empty lines; for `metrics`, commas separate too. */
function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'))
}

function bool(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const text = readInput(env, name).toLowerCase()
  if (text === '') return fallback
  if (['true', 'yes', '1', 'on'].includes(text)) return true
  if (['false', 'no', '0', 'off'].includes(text)) return false
  throw usageError(`input "${name}": "${text}" is not true or false.`, `Set ${name}: true or ${name}: false.`)
}

export function readInputs(env: NodeJS.ProcessEnv): ActionInputs {
  const device = readInput(env, 'device')
  if (device !== '' && !DEVICES.includes(device as Device)) throw usageError(`input "device": "${device}" is not one of ${DEVICES.join(', ')}.`)
  const toleranceText = readInput(env, 'tolerance')
  const tolerance = toleranceText === '' ? 0 : Number(toleranceText)
  if (!Number.isFinite(tolerance) || tolerance < 0) throw usageError(`input "tolerance": "${toleranceText}" is not a number ≥ 0.`, 'For example: tolerance: 0.01')
  const significanceText = readInput(env, 'significance')
  const significance = significanceText === '' ? undefined : Number(significanceText)
  if (significance !== undefined && !(significance > 0 && significance < 1)) throw usageError(`input "significance": "${significanceText}" is not a level between 0 and 1.`, 'For example: significance: 0.05')
  const optional = (name: string) => {
    const value = readInput(env, name)
    return value === '' ? undefined : value
  }
  const config = optional('config')
  const model = optional('model')
  const baseline = optional('baseline')
  const githubToken = optional('github-token')
  const onError = optional('on-error')
  if (onError !== undefined && onError !== 'fail' && onError !== 'skip') throw usageError(`input "on-error": "${onError}" is not fail or skip.`, 'Set on-error: skip to skip bad rows and list them in the report, or on-error: fail (the default) to stop at the first.')
  const formatText = lines(readInput(env, 'format')).flatMap(commaList)
  checkFormats(formatText)
  const workersText = readInput(env, 'workers')
  const workers = workersText === '' ? undefined : Number(workersText)
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1)) throw usageError(`input "workers": "${workersText}" is not a whole number ≥ 1.`, 'For example: workers: 2')
  return {
    metrics: lines(readInput(env, 'metrics')).flatMap(commaList),
    plugins: lines(readInput(env, 'plugins')).flatMap(commaList),
    inputs: lines(readInput(env, 'input')),
    failUnder: lines(readInput(env, 'fail-under')),
    failOver: lines(readInput(env, 'fail-over')),
    params: lines(readInput(env, 'params')),
    out: optional('out') ?? 'alignctl-out',
    tolerance,
    ...(significance === undefined ? {} : {significance}),
    failOnRegression: bool(env, 'fail-on-regression', false),
    comment: bool(env, 'comment', true),
    cache: bool(env, 'cache', false),
    ...(config === undefined ? {} : {config}),
    ...(model === undefined ? {} : {model}),
    ...(device === '' ? {} : {device: device as Device}),
    ...(baseline === undefined ? {} : {baseline}),
    ...(githubToken === undefined ? {} : {githubToken}),
    ...(onError === undefined ? {} : {onError}),
    ...(formatText.length === 0 ? {} : {formats: formatText}),
    ...(workers === undefined ? {} : {workers}),
  }
}

function commaList(line: string): string[] {
  return line.split(',').map((m) => m.trim()).filter((m) => m !== '')
}

function checkFormats(formats: string[]): void {
  const unknown = formats.find((f) => !REPORT_FORMATS.includes(f as ReportFormat))
  if (unknown !== undefined) throw usageError(`input "format": "${unknown}" is not a report format.`, `Use one or more of ${REPORT_FORMATS.join(', ')}, comma-separated (report.json and scores.jsonl are always written).`)
}
