// One run per output folder: the lock file, a live holder refused with exit 2, a dead one taken
// over with a message, and only one of two racing runs getting the folder.
import assert from 'node:assert/strict'
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'
import {describe, test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import {acquireRunLock, LOCK_FILE} from '../../src/core/run-lock.js'
import {tempDir} from '../helpers/cli.js'

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
