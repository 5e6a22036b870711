/**
 * One run per output folder. A run holds `<out>/.alignctl-run.lock` (its pid, host and start
 * time) from before it reads saved rows until its outputs are written, so a second run into
 * the same folder, even with `--fresh` or `--resume`, stops with exit 2 naming the first one
 * instead of mixing its rows into the same scores.jsonl. A lock left by a process that no
 * longer runs (kill -9, a crash) is taken over with a message.
 *
 * Creation is atomic (O_EXCL), and so is taking over: a run removes a dead lock only while it
 * holds `<out>/.alignctl-run.lock.takeover` (also O_EXCL) and only if the lock still has the
 * bytes it judged dead, then creates its own with O_EXCL. Of runs that find the same dead lock
 * at once, one takes it; the others then find its live lock and stop with exit 2. A takeover
 * file is held for a few milliseconds; one left by a process killed inside that window is
 * removed once it is older than a few seconds.
 */
import {randomBytes} from 'node:crypto'
import {hostname} from 'node:os'
import {mkdir, readFile, rm, stat, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {runtimeError, usageError} from '../kernel/errors.js'
import type {Logger} from '../kernel/interfaces/logger.js'

export const LOCK_FILE = '.alignctl-run.lock'
const TAKEOVER_SUFFIX = '.takeover'

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
 * Tokens of the locks this process holds or is taking. A lock naming this process's pid but
 * none of these tokens was left by an earlier process that had the same pid: a container
 * restarted in a fresh PID namespace (a Kubernetes Job retrying a pod killed for memory) gets
 * the pids its first attempt had, and the same hostname.
 */
const held = new Set<string>()

/** A lock that could not be read a moment after it was made is being written; older, it is debris. */
const UNREADABLE_GRACE_MS = 2000

export interface RunLockOptions {
  /** Called when a dead holder's lock has been found, before it is taken over (tests pause two runs here). */
  onStale?: () => Promise<void>
}

/** Takes `<out>`'s lock, or fails with exit 2 naming the run that holds it. */
export async function acquireRunLock(out: string, logger: Pick<Logger, 'warn'>, options: RunLockOptions = {}): Promise<RunLock> {
  try {
    await mkdir(out, {recursive: true})
  } catch (error) {
    throw runtimeError(`${out}: cannot create the output folder: ${(error as Error).message}`, {cause: error, suggestions: ['Choose another folder with --out.']})
  }

  const file = join(out, LOCK_FILE)
  const holder: LockHolder = {pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex')}
  // Registered before the file exists, so a run of this process that reads the new lock at once
  // already sees it as live.
  held.add(holder.token)
  try {
    return await takeLock(out, file, holder, logger, options)
  } catch (error) {
    held.delete(holder.token)
    throw error
  }
}

async function takeLock(out: string, file: string, holder: LockHolder, logger: Pick<Logger, 'warn'>, options: RunLockOptions): Promise<RunLock> {
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(file, holder)) return {file, holder, release: () => releaseLock(file, holder)}

    const read = await readHolder(file)
    if (read === 'gone') continue
    if (read === 'unreadable') {
      throw usageError(
        `${out} is locked by another alignctl run whose lock file (${file}) cannot be read yet.`,
        'Wait for that run to finish, or give this run another --out; if no other run is using the folder, delete the lock file.',
      )
    }

    const other = read.holder
    if (isRunning(other)) {
      throw usageError(
        `${out} is in use by another alignctl run (pid ${other.pid} on ${other.host}, started ${other.startedAt}); two runs into one folder would mix their rows.`,
        `Wait for that run to finish, or give this run another --out.${other.host === hostname() ? '' : ` If that run is gone, delete ${file}.`}`,
      )
    }

    await options.onStale?.()
    if (await takeOver(file, read.text, holder)) {
      logger.warn(`${out}: taking over the lock of an earlier run (pid ${other.pid}, started ${other.startedAt}) that is no longer running.`)
      return {file, holder, release: () => releaseLock(file, holder)}
    }
  }

  throw usageError(`${out}: could not take the output folder's lock; other runs keep taking it.`, 'Give this run another --out.')
}

/** Creates `file` holding `holder` if no such file exists (O_EXCL); false when one does. */
async function createExclusive(file: string, holder: LockHolder): Promise<boolean> {
  try {
    await writeFile(file, JSON.stringify(holder) + '\n', {flag: 'wx'})
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw runtimeError(`${file}: cannot create the run's lock file: ${(error as Error).message}`, {cause: error, suggestions: ['Check that the --out folder is writable, or choose another.']})
  }
}

/**
 * Replaces the lock at `file` with this run's if it still holds `deadText`, under the takeover
 * file, so that of runs that judged the same lock dead only one removes it (a later one finds
 * other bytes, the winner's live lock, and leaves them). True when this run now holds the lock.
 */
async function takeOver(file: string, deadText: string, holder: LockHolder): Promise<boolean> {
  const takeover = file + TAKEOVER_SUFFIX
  if (!(await createExclusive(takeover, holder))) {
    await waitForTakeover(takeover)
    return false
  }
  try {
    const now = await readFile(file, 'utf8').catch(() => undefined)
    if (now !== deadText) return false
    await rm(file, {force: true})
    // A run that found no lock at all may create one first; O_EXCL decides.
    return await createExclusive(file, holder)
  } finally {
    await rm(takeover, {force: true})
  }
}

/** How long a takeover file may stand before it counts as left by a killed process. */
const TAKEOVER_STALE_MS = 5000

/** Another run is taking over: wait until it is done (milliseconds), or clear what a killed one left. */
async function waitForTakeover(takeover: string): Promise<void> {
  for (let waited = 0; waited < TAKEOVER_STALE_MS; waited += 10) {
    const info = await stat(takeover).catch(() => undefined)
    if (info === undefined) return
    if (Date.now() - info.mtimeMs > TAKEOVER_STALE_MS) {
      // Its process was killed within the milliseconds it holds the file.
      await rm(takeover, {force: true})
      return
    }
    await new Promise((done) => setTimeout(done, 10))
  }
}

async function readHolder(file: string): Promise<{holder: LockHolder; text: string} | 'gone' | 'unreadable'> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone'
    throw error
  }

  try {
    const value = JSON.parse(text) as Partial<LockHolder>
    if (Number.isInteger(value.pid) && typeof value.host === 'string' && typeof value.startedAt === 'string') return {holder: value as LockHolder, text}
  } catch {
    // Fall through: empty or cut short.
  }

  // Being written this instant, or left cut short by a crash long ago.
  const {mtimeMs} = await stat(file).catch(() => ({mtimeMs: 0}))
  if (Date.now() - mtimeMs < UNREADABLE_GRACE_MS) return 'unreadable'
  return {holder: {pid: -1, host: hostname(), startedAt: 'at an unknown time', token: ''}, text}
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
  if (typeof current === 'object' && current.holder.token === holder.token) await rm(file, {force: true})
}
