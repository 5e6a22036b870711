import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, describe, test} from 'node:test'

import {shardRange} from '../../src/core/runner.js'
import {FIXTURES, readScoreLines, readValidReport, runCli, tempDir} from '../helpers/cli.js'

test('shards are contiguous, cover every row once, and keep groups whole', () => {
  for (const [rows, count, group] of [[160, 3, 1], [65, 2, 32], [10, 4, 1], [3, 5, 1], [1000, 7, 32]] as const) {
    const ranges = Array.from({length: count}, (_, i) => shardRange({index: i + 1, count}, rows, group))
    assert.equal(ranges[0]!.start, 0)
    assert.equal(ranges.at(-1)!.end, rows)
    ranges.slice(1).forEach((r, i) => assert.equal(r.start, ranges[i]!.end))
    for (const r of ranges.slice(0, -1)) assert.equal(r.end % group, 0)
  }
  assert.deepEqual(shardRange({index: 2, count: 2}, 65, 32), {start: 64, end: 65})
})

describe('honesty in three shards merges into the report of one run', () => {
  const input = join(FIXTURES, 'honesty/synthetic.jsonl')
  let whole: string
  const parts: string[] = []
  before(async () => {
    whole = tempDir()
    assert.equal((await runCli(['eval', '-m', 'honesty', '-i', input, '-o', whole, '--format', 'json'])).code, 0)
    for (const i of [1, 2, 3]) {
      const out = tempDir()
      const result = await runCli(['eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json', '--shard', `${i}/3`])
      assert.equal(result.code, 0, result.stderr)
      parts.push(out)
    }
  })

  test('each shard reports its own rows', () => {
    const rows = parts.map((out) => {
      const report = readValidReport(out)
      assert.deepEqual(report.run?.shard?.count, 3)
      return readScoreLines(out).map((l) => l['row'] as number)
    })
    assert.deepEqual(rows.flat(), Array.from({length: 160}, (_, i) => i))
    assert.ok(rows.every((r) => r.length > 0))
  })

  test('merge gives the same summary and scores as the whole run, and gates apply', async () => {
    const out = tempDir()
    const result = await runCli(['merge', parts[2]!, parts[0]!, parts[1]!, '-o', out, '--fail-under', 'honesty.honesty=0', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const merged = readValidReport(out)
    const reference = readValidReport(whole)
    assert.deepEqual(merged.metrics['honesty']!.summary, reference.metrics['honesty']!.summary)
    assert.equal(merged.run?.shard, undefined)
    assert.deepEqual(merged.gates.map((g) => g.passed), [true])
    assert.equal(readFileSync(join(out, 'scores.jsonl'), 'utf8'), readFileSync(join(whole, 'scores.jsonl'), 'utf8'))
  })

  test('without --json, merge prints the merged headline stats and the gates', async () => {
    const result = await runCli(['merge', parts[0]!, parts[1]!, parts[2]!, '-o', tempDir(), '--fail-under', 'honesty.honesty=0'])
    assert.equal(result.code, 0, result.stderr)
    const honesty = readValidReport(whole).metrics['honesty']!.summary['honesty'] as number
    assert.match(result.stdout, new RegExp(`^  honesty +${honesty.toFixed(4)}  higher is better$`, 'm'))
    assert.match(result.stdout, /^gates:\n  pass  --fail-under honesty\.honesty=0 /m)
    assert.match(result.stdout, /^Merged 3 shards: wrote /m)
  })

  test('a missing shard, a shard given twice, a non-shard report and a changed input are refused', async () => {
    const missing = await runCli(['merge', parts[0]!, parts[2]!, '-o', tempDir()])
    assert.equal(missing.code, 2)
    assert.match(missing.stderr, /Shard\(s\) 2\/3 missing/)
    const twice = await runCli(['merge', parts[0]!, parts[0]!, parts[1]!, '-o', tempDir()])
    assert.match(twice.stderr, /Shard 1\/3 is given twice/)
    const notShard = await runCli(['merge', whole, parts[0]!, '-o', tempDir()])
    assert.match(notShard.stderr, /not the report of a shard/)
    // The same run over a copy of the input, which then changes.
    const copy = join(tempDir(), 'copy.jsonl')
    copyFileSync(input, copy)
    const shards = []
    for (const i of [1, 2]) {
      const out = tempDir()
      assert.equal((await runCli(['eval', '-m', 'honesty', '-i', copy, '-o', out, '--format', 'json', '--shard', `${i}/2`])).code, 0)
      shards.push(out)
    }
    writeFileSync(copy, readFileSync(copy, 'utf8') + '\n')
    const changed = await runCli(['merge', ...shards, '-o', tempDir()])
    assert.equal(changed.code, 2)
    assert.match(changed.stderr, /copy\.jsonl \(input "default"\) has changed since the shards ran/)
  })
})

test('AlignScore shards keep the reference row groups: merged scores equal one run', async () => {
  const tiny = join(FIXTURES, 'alignscore/tiny')
  const pack = join(tempDir(), 'pack')
  assert.equal((await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])).code, 0)
  const input = join(FIXTURES, 'alignscore/pairs.jsonl')
  const parts = []
  for (const i of [1, 2]) {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'alignscore', '-i', input, '--model', pack, '-p', 'mode=nli', '-o', out, '--format', 'json', '--shard', `${i}/2`])
    assert.equal(result.code, 0, result.stderr)
    parts.push(out)
  }
  const out = tempDir()
  const merged = await runCli(['merge', ...parts, '-o', out, '--format', 'json'])
  assert.equal(merged.code, 0, merged.stderr)
  const expected = JSON.parse(readFileSync(join(FIXTURES, 'alignscore/expected.json'), 'utf8')) as {modes: {nli: Record<string, number | {score: number}>}}
  const lines = readScoreLines(out)
  assert.equal(lines.length, 65)
  for (const line of lines) {
    const want = expected.modes.nli[line['id'] as string]!
    assert.ok(Math.abs((line['alignscore'] as {score: number}).score - (typeof want === 'number' ? want : want.score)) <= 1e-4, String(line['id']))
  }
  const report = readValidReport(out).metrics['alignscore']!
  assert.equal(report.summary['n'], 65)
  // The engine's counts and the timing are the shards' added up: the whole run's work.
  const shardReports = parts.map((p) => readValidReport(p).metrics['alignscore']!)
  const stats = (r: typeof report) => (r.model as {stats: Record<string, number>}).stats
  for (const key of ['requests', 'batches', 'tokens', 'computedTokens']) assert.equal(stats(report)[key], stats(shardReports[0]!)[key]! + stats(shardReports[1]!)[key]!, key)
  assert.ok(report.timing.seconds >= shardReports[0]!.timing.seconds + shardReports[1]!.timing.seconds)
  const whole = tempDir()
  assert.equal((await runCli(['eval', '-m', 'alignscore', '-i', input, '--model', pack, '-p', 'mode=nli', '-o', whole, '--format', 'json'])).code, 0)
  assert.equal(stats(report)['requests'], stats(readValidReport(whole).metrics['alignscore']!)['requests'])
  assert.equal(stats(report)['tokens'], stats(readValidReport(whole).metrics['alignscore']!)['tokens'])
})

test('merge checks --format as eval does, before reading any shard', async () => {
  const result = await runCli(['merge', tempDir(), '--format', 'pdf'])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /--format pdf: unknown report format/)
})

test('eval --shards n takes the 0-based index from JOB_COMPLETION_INDEX or ALIGNCTL_SHARD_INDEX: the same rows and report as --shard i/n', async () => {
  const input = join(FIXTURES, 'honesty/synthetic.jsonl')
  const byFlag = tempDir()
  assert.equal((await runCli(['eval', '-m', 'honesty', '-i', input, '-o', byFlag, '--format', 'json', '--shard', '2/3'])).code, 0)
  for (const env of [{JOB_COMPLETION_INDEX: '1'}, {ALIGNCTL_SHARD_INDEX: '1'}]) {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json', '--shards', '3'], {env})
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(readValidReport(out).run?.shard, {index: 2, count: 3})
    assert.deepEqual(readValidReport(out).metrics['honesty']!.summary, readValidReport(byFlag).metrics['honesty']!.summary)
    assert.equal(readFileSync(join(out, 'scores.jsonl'), 'utf8'), readFileSync(join(byFlag, 'scores.jsonl'), 'utf8'))
  }
  const missing = await runCli(['eval', '-m', 'honesty', '-i', input, '-o', tempDir(), '--shards', '3'], {env: {JOB_COMPLETION_INDEX: '3'}})
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /JOB_COMPLETION_INDEX="3" is out of range for --shards 3: a shard index is 0-based, from 0 to 2\./)
})
