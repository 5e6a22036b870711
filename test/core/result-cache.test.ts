import assert from 'node:assert/strict'
import {existsSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import Database from 'better-sqlite3'

import {cacheDisabledByEnv, ResultCache, resultCacheFile} from '../../src/core/result-cache.js'
import {tempDir, tempFile} from '../helpers/cli.js'

function recordingLogger() {
  const warnings: string[] = []
  return {warnings, logger: {info() {}, debug() {}, warn: (m: string) => void warnings.push(m)}}
}

const key = (n: number) => Buffer.alloc(32, n)

test('the cache file is results.sqlite in the alignctl cache folder', () => {
  assert.equal(resultCacheFile({ALIGNCTL_HOME: '/x'}), '/x/results.sqlite')
  assert.equal(resultCacheFile({XDG_CACHE_HOME: '/c'}), '/c/alignctl/results.sqlite')
  assert.equal(cacheDisabledByEnv({ALIGNCTL_NO_CACHE: '1'}), true)
  for (const off of [undefined, '', '0', 'false', 'FALSE']) assert.equal(cacheDisabledByEnv(off === undefined ? {} : {ALIGNCTL_NO_CACHE: off}), false, String(off))
})

test('values come back as they were stored (NaN, -0, undefined fields, nested), errors with their row; WAL mode', () => {
  const file = join(tempDir(), 'results.sqlite')
  const {logger, warnings} = recordingLogger()
  const cache = ResultCache.open(file, logger)!
  const value = {score: NaN, zero: -0, missing: undefined, list: [1.5, {deep: 'x'}], big: 2n ** 70n}
  cache.putMany([
    {key: key(1), metric: 'm', result: {value}},
    {key: key(2), metric: 'm', result: {error: 'row 7 has no claim', row: 7}},
    {key: key(3), metric: 'other', result: {value: null}},
  ])
  const [a, b, c, d, e] = cache.getMany([{key: key(1), row: 0}, {key: key(2), row: 7}, {key: key(3), row: 5}, {key: key(4), row: 0}, {key: key(2), row: 8}])
  assert.ok(a !== undefined && 'value' in a)
  const got = a.value as typeof value
  assert.ok(Number.isNaN(got.score))
  assert.ok(Object.is(got.zero, -0))
  assert.ok('missing' in got && got.missing === undefined)
  assert.deepEqual(got.list, value.list)
  assert.equal(got.big, value.big)
  assert.deepEqual(b, {error: 'row 7 has no claim', row: 7})
  assert.deepEqual(c, {value: null})
  assert.equal(d, undefined)
  assert.equal(e, undefined, 'an error is reused only at its own row')
  cache.close()
  const db = new Database(file, {readonly: true})
  assert.equal(db.pragma('journal_mode', {simple: true}), 'wal')
  db.close()
  assert.deepEqual(warnings, [])
})

test('stats count entries per metric; clear removes all or one metric\'s', () => {
  const file = join(tempDir(), 'results.sqlite')
  const cache = ResultCache.open(file, recordingLogger().logger)!
  cache.putMany([1, 2, 3].map((n) => ({key: key(n), metric: 'a', result: {value: n}})))
  cache.putMany([{key: key(9), metric: 'b', result: {value: 'x'}}])
  // The same key again replaces its entry.
  cache.putMany([{key: key(1), metric: 'a', result: {value: 10}}])
  const stats = cache.stats()
  assert.equal(stats.entries, 4)
  assert.deepEqual(stats.metrics.map((m) => [m.metric, m.entries]), [['a', 3], ['b', 1]])
  assert.ok(stats.fileBytes > 0 && stats.metrics[0]!.bytes > 0)
  assert.deepEqual(cache.stats('b').metrics.map((m) => m.metric), ['b'])
  assert.equal(cache.clear('a'), 3)
  assert.deepEqual(cache.stats().metrics.map((m) => m.metric), ['b'])
  assert.equal(cache.clear(), 1)
  assert.equal(cache.stats().entries, 0)
  cache.close()
})

test('a file that is not a database is set aside with a warning, and a new cache starts', () => {
  const dir = tempDir()
  const file = join(dir, 'results.sqlite')
  writeFileSync(file, Buffer.from('this is not an SQLite database, just garbage bytes '.repeat(200)))
  const {logger, warnings} = recordingLogger()
  const cache = ResultCache.open(file, logger)
  assert.ok(cache !== undefined)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /results\.sqlite is damaged \(file is not a database\); it was set aside as .*results\.sqlite\.corrupt-\d{4}-\d\d-\d\dT[\d-]+Z and a new cache started/)
  assert.ok(readdirSync(dir).some((f) => /^results\.sqlite\.corrupt-/.test(f)))
  cache.putMany([{key: key(1), metric: 'm', result: {value: 1}}])
  assert.deepEqual(cache.getMany([{key: key(1), row: 3}]), [{value: 1}])
  cache.close()
})

test('a folder that cannot be written: one warning, no cache', () => {
  // A regular file where the folder should be: no folder can be made there, even as root.
  const blocker = tempFile('not-a-folder', 'x')
  const {logger, warnings} = recordingLogger()
  assert.equal(ResultCache.open(join(blocker, 'sub', 'results.sqlite'), logger), undefined)
  assert.equal(warnings.length, 1)
  assert.match(warnings[0]!, /The result cache folder .*not-a-folder\/sub cannot be created .*; this run scores every row and caches nothing\. Set ALIGNCTL_HOME to a writable folder, or pass --no-cache\./)
  assert.equal(existsSync(join(blocker, 'sub')), false)
})

test('a cache written by a newer alignctl is left alone', () => {
  const file = join(tempDir(), 'results.sqlite')
  const db = new Database(file)
  db.pragma('user_version = 99')
  db.close()
  const {logger, warnings} = recordingLogger()
  assert.equal(ResultCache.open(file, logger), undefined)
  assert.match(warnings[0]!, /written by a newer alignctl \(layout 99\)/)
})
