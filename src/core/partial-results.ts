import {existsSync} from 'node:fs'
import {appendFile, mkdir, readFile, rm, writeFile} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {usageError} from '../kernel/errors.js'
import type {PackIdentity} from './model-identity.js'
import type {RowResult} from './runner.js'

/** Where a run keeps each metric's results while it runs: `<out>/.partial/<metric>.jsonl`. */
export function partialFile(out: string, metric: string): string {
  return join(out, '.partial', `${metric}.jsonl`)
}

/** What must be equal for saved results to be reused: the metric, its params, the inputs' bytes, the model. */
export interface RunFingerprint {
  metric: string
  version: string
  params: Record<string, unknown>
  /** sha256 of each input, by input name. */
  inputs: Record<string, string>
  model: string | null
  /** The identity of each pack the metric runs (as the result cache keys them); null when unknown. */
  packs: readonly PackIdentity[] | null
  /** How the input's columns were read: a different mapping scores different rows. */
  map: Record<string, string>
  csvHeader: string
  shard: {index: number; count: number} | null
}

/**
 * A metric's results saved batch by batch as they are scored, so a crash or Ctrl-C loses
 * nothing: `--resume` reads them back and only the remaining rows are scored. The first line
 * is the run's fingerprint; results from a different run are never mixed in.
 */
export class PartialResults {
  readonly file: string
  readonly completed: ReadonlyMap<number, RowResult>

  private constructor(file: string, completed: ReadonlyMap<number, RowResult>) {
    this.file = file
    this.completed = completed
  }

  static async open(file: string, fingerprint: RunFingerprint, options: {resume: boolean; fresh: boolean}): Promise<PartialResults> {
    const header = JSON.stringify({fingerprint})
    const lines = existsSync(file) && !options.fresh ? (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '') : []
    // A run that stopped before its first batch saved nothing worth resuming.
    if (lines.length > 1) {
      const saved = lines.length - 1
      if (!options.resume) {
        throw usageError(
          `${file} holds ${saved} row(s) of "${fingerprint.metric}" from a run that did not finish.`,
          'Pass --resume to continue from them, or --fresh to discard them and start again.',
        )
      }
      if (lines[0] !== header) {
        throw usageError(
          `${file} was saved by a run with other inputs, params or model, so it cannot be resumed with these.`,
          'Run with the same inputs, params and --model, or pass --fresh to discard the saved rows.',
        )
      }
      // A line cut short by a crash is the last one; everything before it is whole.
      const completed = new Map<number, RowResult>()
      for (const line of lines.slice(1)) {
        try {
          const result = JSON.parse(line) as RowResult
          completed.set(result.row, result)
        } catch {
          break
        }
      }
      await writeFile(file, [header, ...[...completed.values()].map((r) => JSON.stringify(r))].join('\n') + '\n')
      return new PartialResults(file, completed)
    }
    await mkdir(dirname(file), {recursive: true})
    await writeFile(file, header + '\n')
    return new PartialResults(file, new Map())
  }

  async save(results: readonly RowResult[]): Promise<void> {
    if (results.length === 0) return
    await appendFile(this.file, results.map((r) => JSON.stringify(r)).join('\n') + '\n')
  }

  /** Called once the final outputs are written. */
  static async discard(out: string): Promise<void> {
    await rm(join(out, '.partial'), {recursive: true, force: true})
  }
}
