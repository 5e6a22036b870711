// One run per output folder: the lock file, a live holder refused with exit 2, a dead one taken
// over with a message, and only one of two racing runs getting the folder.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {acquireRunLock, LOCK_FILE} from '../../src/core/run-lock.js'
import {pathToFileURL} from 'node:url'

import {ROOT, runNode, tempDir} from '../helpers/cli.js'

const quiet = {warn: () => undefined}

/** The pid of a process that has exited (and so is not running). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {encoding: 'utf8'})
  return Number(child.stdout)
}

const refused = (out: string, pid: number) => (error: AlignctlError) =>
  error.exitCode === ExitCode.usage && error.message.includes(`${out} is in use by another alignctl run (pid ${pid} on ${hostname()}, started `)

describe('run lock', () => {
  test('holds pid, host and start time, and is removed on release', async () => {
    const out = join(tempDir(), 'out')
    const lock = await acquireRunLock(out, quiet)
    const held = JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as Record<string, unknown>
    assert.equal(held['pid'], process.pid)
    assert.equal(held['host'], hostname())
    assert.ok(!Number.isNaN(Date.parse(held['startedAt'] as string)))
    await lock.release()
    assert.equal(existsSync(join(out, LOCK_FILE)), false)
  })

  test('a second run into a held folder exits 2 naming the first', async () => {
    const out = tempDir()
    const lock = await acquireRunLock(out, quiet)
    await assert.rejects(acquireRunLock(out, quiet), refused(out, process.pid))
    await lock.release()
    await (await acquireRunLock(out, quiet)).release()
  })

  test('of two runs racing for one folder, exactly one gets it', async () => {
    const out = tempDir()
    const results = await Promise.allSettled(Array.from({length: 8}, () => acquireRunLock(out, quiet)))
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1)
    for (const r of results) if (r.status === 'rejected') assert.ok(refused(out, process.pid)(r.reason as AlignctlError))
  })

  test('a lock left by a dead process is taken over, with a message', async () => {
    const out = tempDir()
    const pid = deadPid()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old'}))
    const warnings: string[] = []
    const lock = await acquireRunLock(out, {warn: (m) => warnings.push(m)})
    assert.deepEqual(warnings, [`${out}: taking over the lock of an earlier run (pid ${pid}, started 2026-01-01T00:00:00.000Z) that is no longer running.`])
    assert.equal((JSON.parse(readFileSync(lock.file, 'utf8')) as {pid: number}).pid, process.pid)
    await lock.release()
  })

  test('a lock naming this pid with a token this process never held is an earlier process\'s (a restarted container) and taken over', async () => {
    const out = tempDir()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid: process.pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'first-attempt'}))
    const warnings: string[] = []
    const lock = await acquireRunLock(out, {warn: (m) => warnings.push(m)})
    assert.match(warnings.join('\n'), new RegExp(`taking over the lock of an earlier run \\(pid ${process.pid}, `))
    // The lock this process now holds is its own: a second acquire is still refused.
    await assert.rejects(acquireRunLock(out, quiet), refused(out, process.pid))
    await lock.release()
  })

  test('of two runs that both judged the same lock dead, exactly one takes it over', async () => {
    const out = tempDir()
    const pid = deadPid()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid, host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old'}))
    // Both runs have read the dead lock before either acts on it: the race a takeover must survive.
    let arrived = 0
    let releaseBoth!: () => void
    const barrier = new Promise<void>((done) => (releaseBoth = done))
    const onStale = async () => {
      if (++arrived === 2) releaseBoth()
      await barrier
    }
    const warnings: string[] = []
    const logger = {warn: (m: string) => warnings.push(m)}
    const results = await Promise.allSettled([acquireRunLock(out, logger, {onStale}), acquireRunLock(out, logger, {onStale})])
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    assert.equal(won.length, 1, results.map((r) => r.status).join(', '))
    const lost = results.find((r) => r.status === 'rejected')!
    assert.ok(refused(out, process.pid)(lost.reason as AlignctlError), String(lost.reason))
    assert.equal(warnings.length, 1, 'only the run that took over says so')
    assert.equal((JSON.parse(readFileSync(join(out, LOCK_FILE), 'utf8')) as {token: string}).token, won[0]!.holder.token)
    await won[0]!.release()
    assert.deepEqual(readdirSync(out), [], 'no takeover file left')
  })

  test('a takeover file left by a run killed while it held it is cleared once old', async () => {
    const out = tempDir()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old'}))
    const takeover = join(out, `${LOCK_FILE}.takeover`)
    writeFileSync(takeover, '{}')
    utimesSync(takeover, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    const lock = await acquireRunLock(out, quiet)
    await lock.release()
    assert.deepEqual(readdirSync(out), [])
  })

  test('of processes that all find the same dead lock at once, exactly one takes it over', async () => {
    const out = tempDir()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid: deadPid(), host: hostname(), startedAt: '2026-01-01T00:00:00.000Z', token: 'old'}))
    // Each child waits for the same instant, tries, and holds what it got until all have tried.
    const start = Date.now() + 1500
    const script = `
      import {acquireRunLock} from ${JSON.stringify(pathToFileURL(join(ROOT, 'src/core/run-lock.ts')).href)}
      while (Date.now() < ${start}) {}
      try { await acquireRunLock(${JSON.stringify(out)}, {warn: () => {}}); console.log('won') } catch (e) { console.log(e.exitCode === 2 ? 'refused' : 'error ' + e.message) }
      await new Promise((r) => setTimeout(r, 1500))`
    const children = Array.from({length: 3}, () => runNode(['--import', 'tsx', '--input-type=module', '-e', script], {cwd: ROOT, env: process.env}))
    const outcomes = (await Promise.all(children)).map((r) => r.stdout.trim() || r.stderr)
    assert.deepEqual(outcomes.filter((o) => o === 'won').length, 1, outcomes.join('; '))
    assert.deepEqual(outcomes.filter((o) => o !== 'won'), ['refused', 'refused'])
  })

  test('a lock cut short long ago is debris and taken over; one being written right now is respected', async () => {
    const out = tempDir()
    const file = join(out, LOCK_FILE)
    writeFileSync(file, '{"pid": 12')
    await assert.rejects(acquireRunLock(out, quiet), /cannot be read yet/)
    utimesSync(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000))
    await (await acquireRunLock(out, quiet)).release()
  })

  test('a lock from another host counts as held, and says how to clear it', async () => {
    const out = tempDir()
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({pid: 1, host: 'elsewhere.example', startedAt: '2026-01-01T00:00:00.000Z', token: 'x'}))
    await assert.rejects(acquireRunLock(out, quiet), (e: AlignctlError) => /pid 1 on elsewhere\.example/.test(e.message) && e.suggestions.some((s) => s.includes(`delete ${join(out, LOCK_FILE)}`)))
  })

  test('release leaves a lock that another run has since taken', async () => {
    const out = tempDir()
    const lock = await acquireRunLock(out, quiet)
    writeFileSync(lock.file, JSON.stringify({pid: process.pid, host: hostname(), startedAt: 'later', token: 'someone-else'}))
    await lock.release()
    assert.equal(existsSync(lock.file), true)
  })
})
