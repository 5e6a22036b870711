import {join} from 'node:path'

import {usageError} from '../kernel/errors.js'
import {evaluate, type EvalResult, type EvalServices} from './evaluate.js'
import type {GateSpec} from './gates.js'
import {parseDevice} from '../engine/providers.js'
import {sha256File} from '../models/hub.js'
import {FILES, readReport, readScores, type ReportFormat} from '../report/output.js'
import type {Report, ScoreLine} from '../report/report.js'
import type {RowResult} from './runner.js'
import {addUsage, type RunUsage} from './run-usage.js'

export interface MergeRequest {
  /** Output folders of the shards, `--shard 1/n` to `n/n`, in any order. */
  dirs: string[]
  out: string
  formats: ReportFormat[]
  gates: GateSpec[]
}

/**
 * Joins the outputs of a sharded run into one report, as if it had run in one go: the shards'
 * rows are put back together (nothing is scored again), and every summary is computed anew
 * over all rows, from the same inputs; the engine's counts (requests, batches, tokens, seconds)
 * and the timing are the shards' added up. The shards must be every part of one run: same
 * metrics, versions, params and input files (checked by sha256).
 */
export async function mergeShards(request: MergeRequest, services: EvalServices): Promise<EvalResult> {
  if (request.dirs.length === 0) throw usageError('Give the output folders of the shards to merge.', 'For example: alignctl merge part1 part2 -o results')
  const shards: Array<{dir: string; report: Report; lines: ScoreLine[]}> = []
  for (const dir of request.dirs) {
    const report = await readReport(join(dir, FILES.json))
    if (report.run?.shard === undefined) throw usageError(`${join(dir, FILES.json)}: not the report of a shard (it was not run with --shard i/n).`, 'Merge only the folders of `eval --shard` runs.')
    shards.push({dir, report, lines: await readScores(join(dir, FILES.scores))})
  }
  const [first] = shards
  const count = first!.report.run!.shard!.count
  const seen = new Map<number, string>()
  for (const {dir, report} of shards) {
    const {index, count: n} = report.run!.shard!
    if (n !== count) throw usageError(`${dir} is shard ${index}/${n}, but ${first!.dir} is part of a run in ${count} shards.`, 'Merge the shards of one run.')
    if (seen.has(index)) throw usageError(`Shard ${index}/${count} is given twice: ${seen.get(index)} and ${dir}.`)
    seen.set(index, dir)
    assertSameRun(first!, {dir, report})
  }
  const missing = Array.from({length: count}, (_, i) => i + 1).filter((i) => !seen.has(i))
  if (missing.length > 0) throw usageError(`Shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing: a merged report needs every part.`, 'Run the missing shards, then merge all the folders.')

  // The inputs must still be the bytes the shards read.
  for (const [name, input] of Object.entries(first!.report.inputs)) {
    const sha = await sha256File(input.path).catch(() => undefined)
    if (sha !== input.sha256) {
      throw usageError(`${input.path} (input "${name}") ${sha === undefined ? 'cannot be read' : 'has changed'} since the shards ran.`, 'Merge where the same input files are, unchanged.')
    }
  }

  const restored: Record<string, Map<number, RowResult>> = {}
  for (const id of Object.keys(first!.report.metrics)) {
    const rows = (restored[id] = new Map<number, RowResult>())
    for (const {dir, lines} of shards) {
      for (const line of lines) {
        if (!(id in line)) continue
        if (rows.has(line.row)) throw usageError(`Row ${line.row} of "${id}" is in two shards (the second in ${dir}).`, 'Merge the shards of one run.')
        const value = line[id]
        const base = line.id === undefined ? {row: line.row} : {row: line.row, id: line.id}
        rows.set(line.row, isErrorValue(value) ? {...base, error: value.error} : {...base, value})
      }
    }
  }

  // The shards' engine counts and seconds, added up: the merged report counts the whole run's work.
  const restoredUsage: Record<string, RunUsage> = {}
  for (const id of Object.keys(first!.report.metrics)) {
    let usage: RunUsage | undefined
    for (const {report} of [...shards].sort((a, b) => a.report.run!.shard!.index - b.report.run!.shard!.index)) {
      const metric = report.metrics[id]!
      usage = addUsage(usage, {...(metric.model === undefined ? {} : {model: metric.model}), ...(metric.device === undefined ? {} : {device: metric.device}), seconds: metric.timing.seconds})
    }
    restoredUsage[id] = usage!
  }

  const run = first!.report.run!
  return evaluate(
    {
      metrics: Object.keys(first!.report.metrics),
      inputs: Object.fromEntries(Object.entries(first!.report.inputs).map(([name, input]) => [name, input.path])),
      params: Object.fromEntries(Object.entries(first!.report.metrics).map(([id, metric]) => [id, metric.params])),
      map: run.map,
      gates: request.gates,
      out: request.out,
      formats: request.formats,
      onError: run.onError as 'fail' | 'skip',
      csvHeader: run.csvHeader as 'auto' | 'present' | 'absent',
      engine: {device: parseDevice('auto'), ...(run.model === undefined ? {} : {model: run.model})},
      restored,
      restoredUsage,
      paramsSource: join(first!.dir, FILES.json),
    },
    services,
  )
}

function assertSameRun(a: {dir: string; report: Report}, b: {dir: string; report: Report}): void {
  const describe = (r: Report) =>
    JSON.stringify({
      metrics: Object.fromEntries(Object.entries(r.metrics).map(([id, m]) => [id, {version: m.version, params: m.params}])),
      inputs: Object.fromEntries(Object.entries(r.inputs).map(([name, i]) => [name, i.sha256])),
      run: {...r.run, shard: undefined},
    })
  if (describe(a.report) !== describe(b.report)) {
    throw usageError(`${b.dir} and ${a.dir} are not shards of the same run: their metrics, versions, params, inputs or settings differ.`, 'Merge the shards of one run.')
  }
}

/** A metric's entry in scores.jsonl for a row without a score: `{"error": "..."}`. */
function isErrorValue(value: unknown): value is {error: string} {
  return value !== null && typeof value === 'object' && Object.keys(value).length === 1 && typeof (value as {error?: unknown}).error === 'string'
}
