/**
 * One run per output folder. A run holds `<out>/.alignctl-run.lock` (its pid, host and start
 * time) from before it reads saved rows until its outputs are written, so a second run into
 * the same folder, even with `--fresh` or `--resume`, stops with exit 2 naming the first one
 * instead of mixing its rows into the same scores.jsonl. A lock left by a process that no
 * longer runs (kill -9, a crash) is taken over with a message.
 *
 * Creation is atomic (O_EXCL). Taking over a stale lock is not: two runs that find the same
 * dead lock at the same instant could both take it; the window is the time between reading a
 * lock and replacing it, well under a millisecond.
 */
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runtimeError, usageError} from '../kernel/errors.js'
import type {Logger} from '../kernel/interfaces/logger.js'

export const LOCK_FILE = '.alignctl-run.lock'

/** What a lock file holds. */
export interface LockHolder {
  pid: number
  host: string
  startedAt: string
  /** Tells this run's lock from a later one with a reused pid. */
  token: string
}

export interface RunLock {
  readonly file: string
  readonly holder: LockHolder
  /** Removes the lock, if it is still this run's. */
  release(): Promise<void>
}

/**
 * Tokens of the locks this process holds. A lock naming this process's pid but none of these
 * tokens was left by an earlier process that had the same pid: a container restarted in a
 * fresh PID namespace (a Kubernetes Job retrying a pod killed for memory) gets the pids its
 * first attempt had, and the same hostname.
 */
const held = new Set<string>()

/** A lock that could not be read a moment after it was made is being written; older, it is debris. */
const UNREADABLE_GRACE_MS = 2000

/** Takes `<out>`'s lock, or fails with exit 2 naming the run that holds it. */
export async function acquireRunLock(out: string, logger: Pick<Logger, 'warn'>): Promise<RunLock> {
  try {
    await mkdir(out, {recursive: true})
  } catch (error) {
    throw runtimeError(`${out}: cannot create the output folder: ${(error as Error).message}`, {cause: error, suggestions: ['Choose another folder with --out.']})
  }

  const file = join(out, LOCK_FILE)
  const holder: LockHolder = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex')}
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await writeFile(file, JSON.stringify(holder) + '\n', {flag: 'wx'})
      held.add(holder.token)
      return {file, holder, release: () => releaseLock(file, holder)}
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw runtimeError(`${file}: cannot create the run's lock file: ${(error as Error).message}`, {cause: error, suggestions: ['Check that the --out folder is writable, or choose another.']})
      }
    }

    const other = await readHolder(file)
    if (other === 'gone') continue
    if (other === 'unreadable') {
      throw usageError(
        `${out} is locked by another alignctl run whose lock file (${file}) cannot be read yet.`,
        'Wait for that run to finish, or give this run another --out; if no other run is using the folder, delete the lock file.',
      )
    }

    if (isRunning(other)) {
      throw usageError(
        `${out} is in use by another alignctl run (pid ${other.pid} on ${other.host}, started ${other.startedAt}); two runs into one folder would mix their rows.`,
        `Wait for that run to finish, or give this run another --out.${other.host === hostname() ? '' : ` If that run is gone, delete ${file}.`}`,
      )
    }

    logger.warn(`${out}: taking over the lock of an earlier run (pid ${other.pid}, started ${other.startedAt}) that is no longer running.`)
    await rm(file, {force: true})
  }

  throw usageError(`${out}: could not take the output folder's lock; other runs keep taking it.`, 'Give this run another --out.')
}

async function readHolder(file: string): Promise<LockHolder | 'gone' | 'unreadable'> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }

  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string') return value as LockHolder
  } catch {
    // Fall through: empty or cut short.
  }

  // Being written this instant, or left cut short by a crash long ago.
  const {mtimeMs} = await stat(file).catch(() => ({mtimeMs: 0}))
  if (Date.now() - mtimeMs < UNREADABLE_GRACE_MS) return 'unreadable'
  return {pid: -1, host: hostname(), startedAt: 'at an unknown time', token: ''}
}

/** Whether the holder still runs. On another host this cannot be told, so it counts as running. */
function isRunning(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true
  if (holder.pid <= 0) return false
  if (holder.pid === process.pid) return held.has(holder.token)
  try {
    process.kill(holder.pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function releaseLock(file: string, holder: LockHolder): Promise<void> {
  held.delete(holder.token)
  const current = await readHolder(file).catch(() => 'gone' as const)
  if (typeof current === 'object' && current.token === holder.token) await rm(file, {force: true})
}
