import {existsSync} from 'node:fs'
import {mkdir, open, readFile, rm, type FileHandle} from 'node:fs/promises'
import {dirname, join} from 'node:path'

import {usageError} from '../kernel/errors.js'
import {writeAll, writeFileAtomically, writeFailure} from '../kernel/write-files.js'
import type {PackIdentity} from './model-identity.js'
import type {RowResult} from './runner.js'
import type {RunUsage} from './run-usage.js'

const ELSEWHERE = 'choose another folder with --out'

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
 * is the run's fingerprint; results from a different run are never mixed in. After each
 * batch's results comes a `{"usage": ...}` line: the engine's counts and the seconds spent
 * so far, over every attempt, so a resumed run reports the whole run's work.
 *
 * The file is also where the run's results are read back from, in row order, to write
 * scores.jsonl (see {@link ResultFile}): the run keeps no row results in memory.
 */
export class PartialResults {
  readonly file: string
  readonly completed: ReadonlyMap<number, RowResult>
  /** What the earlier attempts used (engine counts, seconds); undefined for a first attempt. */
  readonly usage: RunUsage | undefined

  private constructor(file: string, completed: ReadonlyMap<number, RowResult>, usage: RunUsage | undefined) {
    this.file = file
    this.completed = completed
    this.usage = usage
  }

  static async open(file: string, fingerprint: RunFingerprint, options: {resume: boolean; fresh: boolean}): Promise<PartialResults> {
    const header = JSON.stringify({fingerprint})
    const lines = existsSync(file) && !options.fresh ? (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '') : []
    // A run that stopped before its first batch saved nothing worth resuming.
    if (lines.length > 1) {
      if (!options.resume) {
        throw usageError(
          `${file} holds ${lines.filter((l) => l.startsWith('{"row"')).length} row(s) of "${fingerprint.metric}" from a run that did not finish.`,
          'Pass --resume to continue from them, or --fresh to discard them and start again.',
        )
      }
      if (lines[0] !== header) {
        throw usageError(
          `${file} was saved by a run with other inputs, params or model, so it cannot be resumed with these.`,
          'Run with the same inputs, params and --model, or pass --fresh to discard the saved rows.',
        )
      }
      // A line cut short by a crash is the last one; everything before it is whole. The
      // usage line after a batch counts the work up to it; a batch without one (cut off
      // before it) still counts its rows, not its engine work.
      const completed = new Map<number, RowResult>()
      let usage: RunUsage | undefined
      for (const line of lines.slice(1)) {
        let parsed: RowResult | {usage: RunUsage}
        try {
          parsed = JSON.parse(line) as RowResult | {usage: RunUsage}
        } catch {
          break
        }
        if ('usage' in parsed) usage = parsed.usage
        else completed.set(parsed.row, parsed)
      }
      // Rewritten in row order, so the file reads back nearly in order; replaced whole, never
      // rewritten in place: a full disk here must not lose the saved rows.
      const rows = [...completed.values()].sort((a, b) => a.row - b.row)
      const rewritten = [header + '\n', ...rows.map((r) => JSON.stringify(r) + '\n'), ...(usage === undefined ? [] : [JSON.stringify({usage}) + '\n'])]
      await writeFileAtomically(file, rewritten, {what: 'the saved rows', elsewhere: ELSEWHERE})
      return new PartialResults(file, completed, usage)
    }
    try {
      await mkdir(dirname(file), {recursive: true})
    } catch (error) {
      throw writeFailure(dirname(file), 'the folder for saved rows', error, ELSEWHERE)
    }
    await writeFileAtomically(file, header + '\n', {what: 'the saved rows', elsewhere: ELSEWHERE})
    return new PartialResults(file, new Map(), undefined)
  }

  /**
   * Appends a batch's results and, when given, the run's usage up to and including it. A
   * failed write (disk full) cuts the file back to its length before the batch, so it never
   * ends in half a line and `--resume` continues from the last whole batch once there is space.
   */
  async save(results: readonly RowResult[], usage?: RunUsage): Promise<void> {
    if (results.length === 0) return
    const lines = results.map((r) => JSON.stringify(r))
    if (usage !== undefined) lines.push(JSON.stringify({usage}))
    const bytes = Buffer.from(lines.join('\n') + '\n')
    let handle: FileHandle | undefined
    try {
      handle = await open(this.file, 'r+')
      const {size} = await handle.stat()
      try {
        await writeAll(handle, bytes, size)
      } catch (error) {
        await handle.truncate(size).catch(() => undefined)
        throw error
      }
    } catch (error) {
      throw writeFailure(this.file, 'the saved rows', error, `${ELSEWHERE}; then run with --resume to continue from the rows saved so far`)
    } finally {
      await handle?.close().catch(() => undefined)
    }
  }

  /** Called once the final outputs are written. */
  static async discard(out: string): Promise<void> {
    await rm(join(out, '.partial'), {recursive: true, force: true})
  }
}
