import assert from 'node:assert/strict'
import {spawn} from 'node:child_process'
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import Database from 'better-sqlite3'

import {FIXTURES, ROOT, readValidReport, runCli, tempDir, tempFile} from '../../helpers/cli.js'
import type {CacheStats} from '../../../src/core/result-cache.js'

const honestyRows = readFileSync(join(FIXTURES, 'honesty/synthetic.jsonl'), 'utf8').split('\n').filter((l) => l !== '')

/** `count` distinct honesty rows (the fixture's, each with its own id). */
function honestyInput(count: number, offset = 0): string {
  const lines = Array.from({length: count}, (_, i) => JSON.stringify({...(JSON.parse(honestyRows[(i + offset) % honestyRows.length]!) as object), id: `q${i + offset}`}))
  return tempFile('answers.jsonl', lines.join('\n') + '\n')
}

const evalHonesty = (home: string, input: string, out: string, extra: string[] = [], env: Record<string, string> = {}) =>
  runCli(['eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json', ...extra], {env: {ALIGNCTL_HOME: home, ...env}})

test('a second identical run takes every row from the cache: scores.jsonl and summary byte-identical', async () => {
  const home = tempDir()
  const input = join(FIXTURES, 'honesty/synthetic.jsonl')
  const first = tempDir()
  const computed = await evalHonesty(home, input, first)
  assert.equal(computed.code, 0, computed.stderr)
  assert.match(computed.stderr, /honesty: 0 of 160 row\(s\) came from the result cache; 160 scored\./)
  assert.deepEqual(readValidReport(first).metrics['honesty']!.cache, {hits: 0, misses: 160})

  const second = tempDir()
  const cached = await evalHonesty(home, input, second)
  assert.equal(cached.code, 0, cached.stderr)
  assert.match(cached.stderr, /honesty: 160 of 160 row\(s\) came from the result cache\./)
  const report = readValidReport(second)
  assert.deepEqual(report.metrics['honesty']!.cache, {hits: 160, misses: 0})
  assert.ok(readFileSync(join(second, 'scores.jsonl')).equals(readFileSync(join(first, 'scores.jsonl'))))
  const a = readValidReport(first).metrics['honesty']!
  assert.equal(JSON.stringify(report.metrics['honesty']!.summary), JSON.stringify(a.summary))
  assert.equal(JSON.stringify(report.metrics['honesty']!.errors), JSON.stringify(a.errors))
})

test('--no-cache, ALIGNCTL_NO_CACHE and the config\'s cache: false score every row and store nothing', async () => {
  const home = tempDir()
  const input = honestyInput(20)
  const off = tempDir()
  assert.equal((await evalHonesty(home, input, off, ['--no-cache'])).code, 0)
  assert.equal(readValidReport(off).metrics['honesty']!.cache, undefined)
  assert.equal(existsSync(join(home, 'results.sqlite')), false)
  const env = tempDir()
  assert.equal((await evalHonesty(home, input, env, [], {ALIGNCTL_NO_CACHE: '1'})).code, 0)
  assert.equal(readValidReport(env).metrics['honesty']!.cache, undefined)
  assert.equal(existsSync(join(home, 'results.sqlite')), false)
  const cwd = tempDir()
  writeFileSync(join(cwd, 'alignctl.config.json'), JSON.stringify({cache: false}))
  const configured = tempDir()
  const result = await runCli(['eval', '-m', 'honesty', '-i', input, '-o', configured, '--format', 'json'], {cwd, env: {ALIGNCTL_HOME: home}})
  assert.equal(result.code, 0, result.stderr)
  assert.equal(readValidReport(configured).metrics['honesty']!.cache, undefined)
  // A flag decides over the environment.
  const flagged = tempDir()
  assert.equal((await evalHonesty(home, input, flagged, ['--cache'], {ALIGNCTL_NO_CACHE: '1'})).code, 0)
  assert.deepEqual(readValidReport(flagged).metrics['honesty']!.cache, {hits: 0, misses: 20})
})

test('another --map reads other rows: misses; another param: misses', async () => {
  const home = tempDir()
  const rows = honestyRows.slice(0, 10).map((l) => {
    const row = JSON.parse(l) as Record<string, unknown>
    return JSON.stringify({...row, alt: `${row['response'] as string} I am not sure.`})
  })
  const input = tempFile('mapped.jsonl', rows.join('\n'))
  assert.equal((await evalHonesty(home, input, tempDir())).code, 0)
  const again = tempDir()
  assert.equal((await evalHonesty(home, input, again)).code, 0)
  assert.deepEqual(readValidReport(again).metrics['honesty']!.cache, {hits: 10, misses: 0})
  const mapped = tempDir()
  assert.equal((await evalHonesty(home, input, mapped, ['--map', 'response=alt'])).code, 0)
  assert.deepEqual(readValidReport(mapped).metrics['honesty']!.cache, {hits: 0, misses: 10})
  const param = tempDir()
  assert.equal((await evalHonesty(home, input, param, ['--param', 'dataset=pkqa'])).code, 0)
  assert.deepEqual(readValidReport(param).metrics['honesty']!.cache, {hits: 0, misses: 10})
})

test('a metric that joins inputs caches its joined rows (rating-ranking)', async () => {
  const home = tempDir()
  const dir = join(FIXTURES, 'rating-ranking/handmade')
  const args = (out: string) => ['eval', '-m', 'rating-ranking', '-i', `ratings=${join(dir, 'ratings.csv')}`, '-i', `rankings=${join(dir, 'rankings.csv')}`, '--on-error', 'skip', '-o', out, '--format', 'json']
  const first = tempDir()
  const computed = await runCli(args(first), {env: {ALIGNCTL_HOME: home}})
  assert.equal(computed.code, 0, computed.stderr)
  const rows = readValidReport(first).metrics['rating-ranking']!.rows
  const second = tempDir()
  assert.equal((await runCli(args(second), {env: {ALIGNCTL_HOME: home}})).code, 0)
  assert.deepEqual(readValidReport(second).metrics['rating-ranking']!.cache, {hits: rows, misses: 0})
  assert.ok(readFileSync(join(second, 'scores.jsonl')).equals(readFileSync(join(first, 'scores.jsonl'))))
  assert.equal(JSON.stringify(readValidReport(second).metrics['rating-ranking']!.summary), JSON.stringify(readValidReport(first).metrics['rating-ranking']!.summary))
})

test('cache stats and cache clear, all metrics or one', async () => {
  const home = tempDir()
  const env = {ALIGNCTL_HOME: home}
  const empty = await runCli(['cache', 'stats'], {env})
  assert.equal(empty.code, 0, empty.stderr)
  assert.match(empty.stdout, /No results are cached\./)
  assert.equal((await evalHonesty(home, honestyInput(12), tempDir())).code, 0)
  const dir = join(FIXTURES, 'rating-ranking/handmade')
  assert.equal((await runCli(['eval', '-m', 'rating-ranking', '-i', `ratings=${join(dir, 'ratings.csv')}`, '-i', `rankings=${join(dir, 'rankings.csv')}`, '--on-error', 'skip', '-o', tempDir(), '--format', 'json'], {env})).code, 0)
  const stats = JSON.parse((await runCli(['cache', 'stats', '--json'], {env})).stdout) as CacheStats
  assert.equal(stats.file, join(home, 'results.sqlite'))
  assert.deepEqual(stats.metrics.map((m) => m.metric), ['honesty', 'rating-ranking'])
  assert.equal(stats.metrics[0]!.entries, 12)
  const text = await runCli(['cache', 'stats'], {env})
  assert.match(text.stdout, /honesty\s+12\s/)
  const one = JSON.parse((await runCli(['cache', 'stats', '--metric', 'honesty', '--json'], {env})).stdout) as CacheStats
  assert.deepEqual(one.metrics.map((m) => m.metric), ['honesty'])
  const cleared = await runCli(['cache', 'clear', '--metric', 'honesty'], {env})
  assert.equal(cleared.code, 0, cleared.stderr)
  assert.match(cleared.stdout, /Removed 12 cached row result\(s\) of honesty/)
  const left = JSON.parse((await runCli(['cache', 'stats', '--json'], {env})).stdout) as CacheStats
  assert.deepEqual(left.metrics.map((m) => m.metric), ['rating-ranking'])
  assert.equal((await runCli(['cache', 'clear'], {env})).code, 0)
  assert.equal((JSON.parse((await runCli(['cache', 'stats', '--json'], {env})).stdout) as CacheStats).entries, 0)
  const help = await runCli(['cache', '--help'], {env})
  assert.match(help.stdout, /cache clear/)
  assert.match(help.stdout, /cache stats/)
})

/** Runs the CLI in a child process without waiting, for runs that must overlap. */
function start(args: string[], env: Record<string, string>): Promise<{code: number | null; stderr: string}> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/run.js'), ...args], {stdio: ['ignore', 'ignore', 'pipe'], env: {...process.env, CI: 'true', NO_COLOR: '1', XDG_DATA_HOME: tempDir(), ...env}})
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((done) => child.on('close', (code) => done({code, stderr})))
}

test('two runs writing one cache at the same time: no corruption, both reports right', async () => {
  const home = tempDir()
  // Overlapping halves, so both runs write many of the same keys and many of their own.
  const a = honestyInput(6000, 0)
  const b = honestyInput(6000, 3000)
  const outs = [tempDir(), tempDir()]
  const runs = await Promise.all([start(['eval', '-m', 'honesty', '-i', a, '-o', outs[0]!, '--format', 'json'], {ALIGNCTL_HOME: home}), start(['eval', '-m', 'honesty', '-i', b, '-o', outs[1]!, '--format', 'json'], {ALIGNCTL_HOME: home})])
  for (const run of runs) {
    assert.equal(run.code, 0, run.stderr)
    assert.doesNotMatch(run.stderr, /Warning: The result cache/)
  }
  const db = new Database(join(home, 'results.sqlite'), {readonly: true})
  assert.equal(db.pragma('integrity_check', {simple: true}), 'ok')
  // 9000 distinct rows; a row with an error is kept once per row number it had.
  assert.equal((db.prepare('SELECT count(DISTINCT key) AS n FROM results').get() as {n: number}).n, 9000)
  db.close()
  for (const [i, input] of [a, b].entries()) {
    const fresh = tempDir()
    assert.equal((await evalHonesty(tempDir(), input, fresh, ['--no-cache'])).code, 0)
    assert.ok(readFileSync(join(outs[i]!, 'scores.jsonl')).equals(readFileSync(join(fresh, 'scores.jsonl'))), `run ${i + 1}: scores`)
    assert.equal(JSON.stringify(readValidReport(outs[i]!).metrics['honesty']!.summary), JSON.stringify(readValidReport(fresh).metrics['honesty']!.summary))
    const cache = readValidReport(outs[i]!).metrics['honesty']!.cache!
    assert.equal(cache.hits + cache.misses, 6000)
  }
  // Everything either run scored is there for the next one.
  const third = tempDir()
  assert.equal((await evalHonesty(home, a, third)).code, 0)
  assert.deepEqual(readValidReport(third).metrics['honesty']!.cache, {hits: 6000, misses: 0})
})

test('a corrupt cache file is set aside with a warning and the run goes on', async () => {
  const home = tempDir()
  writeFileSync(join(home, 'results.sqlite'), Buffer.alloc(8192, 0x5a))
  const out = tempDir()
  const result = await evalHonesty(home, honestyInput(10), out)
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /Warning: The result cache .*results\.sqlite is damaged .*; it was set aside as .*results\.sqlite\.corrupt-[\dT-]+Z and a new cache started\./)
  assert.deepEqual(readValidReport(out).metrics['honesty']!.cache, {hits: 0, misses: 10})
  assert.ok(readdirSync(home).some((f) => f.startsWith('results.sqlite.corrupt-')))
  const db = new Database(join(home, 'results.sqlite'), {readonly: true})
  assert.equal(db.pragma('integrity_check', {simple: true}), 'ok')
  db.close()
})

test('a cache folder that cannot be written: one warning, and the run goes on without the cache', async () => {
  const blocker = tempFile('home', 'not a folder')
  const out = tempDir()
  const result = await evalHonesty(join(blocker, 'alignctl'), honestyInput(10), out)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr.match(/Warning/g)?.length, 1, result.stderr)
  assert.match(result.stderr, /The result cache folder .* cannot be created .*this run scores every row and caches nothing/)
  assert.equal(readValidReport(out).metrics['honesty']!.cache, undefined)
})
