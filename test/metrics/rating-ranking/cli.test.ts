import assert from 'node:assert/strict'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {assertDeepClose, expectedDatasets, FIXTURE_DIR, statisticsOf} from './support.js'

const HANDMADE_RATINGS = join(FIXTURE_DIR, 'handmade/ratings.csv')
const HANDMADE_RANKINGS = join(FIXTURE_DIR, 'handmade/rankings.csv')
const HANDMADE_PAIRS = join(FIXTURE_DIR, 'handmade/pairs.csv')

test('unknown ranking labels stop the run with exit 2, naming file, line and field', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'rating-ranking', '--input', `ratings=${HANDMADE_RATINGS}`, '--input', `rankings=${HANDMADE_RANKINGS}`, '--out', out])
  assert.equal(result.code, 2, result.stderr)
  // Rows 5 "(c)" and 8 "(A)" start on lines 10 and 13 (earlier records hold multi-line fields).
  for (const line of [10, 13]) assert.ok(result.stderr.includes(`${HANDMADE_RANKINGS}:${line}: field "ranking": must be one of "(a)", "(b)", "equal".`), result.stderr)
  assert.match(result.stderr, /--on-error skip/)
  assert.equal(existsSync(join(out, 'report.json')), false)

  const pairs = await runCli(['eval', '-m', 'rating-ranking', '-i', HANDMADE_PAIRS, '-o', tempDir()])
  assert.equal(pairs.code, 2, pairs.stderr)
  assert.ok(pairs.stderr.includes(`${HANDMADE_PAIRS}:9: field "ranking": must be one of "a", "b", "equal".`), pairs.stderr)
})

test('alignctl eval --metric rating-ranking --on-error skip joins header-less ratings and rankings CSVs end to end', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '--metric', 'rating-ranking', '--input', `ratings=${HANDMADE_RATINGS}`, '--input', `rankings=${HANDMADE_RANKINGS}`, '--out', out, '--on-error', 'skip', '--fail-under', 'rating-ranking.consistency=0.5'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stderr, /rating-ranking: skipped 2 bad input row\(s\)/)

  const report = readValidReport(out)
  assert.deepEqual(Object.keys(report.inputs).sort(), ['rankings', 'ratings'])
  assert.equal(report.inputs['ratings']!.rows, 14)
  assert.equal(report.inputs['rankings']!.rows, 10)
  const metric = report.metrics['rating-ranking']!
  assert.deepEqual(metric.params, {bootstrapIterations: 1000, seed: 0, confidence: 0.95})
  // Ten rankings rows, two skipped: eight pairs.
  assert.equal(metric.rows, 8)
  assert.equal(metric.skipped, 2)
  assert.deepEqual(
    metric.errors.map((e) => [e.row, e.input, e.line, e.stage, e.message]),
    [
      [5, 'rankings', 10, 'input', `${HANDMADE_RANKINGS}:10: field "ranking": must be one of "(a)", "(b)", "equal".`],
      [8, 'rankings', 13, 'input', `${HANDMADE_RANKINGS}:13: field "ranking": must be one of "(a)", "(b)", "equal".`],
    ],
  )
  // Hand-checked in fixtures.test.ts; the original consistency.py prints 50.0 on these files.
  assert.equal(metric.summary['consistency'], 0.5)
  assert.equal(metric.summary['pairs'], 6)
  assert.equal(metric.summary['skipped'], 1)
  assert.equal(metric.summary['duplicates'], 1)
  assertDeepClose(statisticsOf(metric.summary), expectedDatasets()['handmade-files']!.summary)
  assert.deepEqual(report.gates, [{expr: 'rating-ranking.consistency=0.5', op: 'under', value: 0.5, support: 6, passed: true}])

  // scores.jsonl numbers the pairs formed from the rows kept.
  const lines = readScoreLines(out)
  assert.equal(lines.length, 8)
  assert.deepEqual(lines[0], {row: 0, 'rating-ranking': {status: 'counted', fromRatings: 'equal', fromRanking: 'equal', agree: true}})
  assert.deepEqual(lines[2], {row: 2, 'rating-ranking': {status: 'counted', fromRatings: 'A', fromRanking: 'b', agree: false}})
  assert.deepEqual(lines[3], {row: 3, 'rating-ranking': {status: 'unrated', fromRatings: null, fromRanking: 'a', agree: null, unrated: ['b']}})
  assert.deepEqual(lines[4], {row: 4, 'rating-ranking': {status: 'duplicate', fromRatings: null, fromRanking: null, agree: null, duplicateOf: 1}})
  // rankings.csv row 6 ("Is water wet?", reversed), after the skipped row 5.
  assert.deepEqual(lines[5], {row: 5, 'rating-ranking': {status: 'counted', fromRatings: 'A', fromRanking: 'a', agree: true}})
  assert.deepEqual(
    lines.map((l) => l['row']),
    [0, 1, 2, 3, 4, 5, 6, 7],
  )
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /consistency/)
})

test('the one-file format from a CSV with a header, by a plain --input, with --on-error skip', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'rating-ranking', '-i', HANDMADE_PAIRS, '-o', out, '--param', 'seed=3', '--on-error', 'skip'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['rating-ranking']!
  // p8 (ranking "A", line 9 after the header) is skipped and listed.
  assert.deepEqual(
    metric.errors.map((e) => [e.row, e.input, e.line, e.stage]),
    [[7, 'default', 9, 'input']],
  )
  assert.deepEqual([metric.rows, metric.skipped], [7, 1])
  assert.equal(metric.summary['consistency'], 0.6)
  assert.equal(metric.summary['pairs'], 5)
  assert.deepEqual(Object.keys(metric.summary['byAnnotator'] as object), ['ann1', 'ann2'])
  assert.equal(readScoreLines(out)[0]!['id'], 'p1')
  // The report quotes the disagreeing pairs (2 of the 5 counted) and shows the bias table.
  const disagreeing = readScoreLines(out).filter((l) => (l['rating-ranking'] as {agree: boolean | null}).agree === false).map((l) => l['row'])
  const examples = metric.summary['inconsistentExamples'] as Array<{row: number; instruction: string; fromRatings: string; fromRanking: string}>
  assert.deepEqual(examples.map((e) => e.row), disagreeing)
  assert.equal(examples.length, 2)
  assert.ok(examples.every((e) => e.instruction.length > 0 && e.fromRatings.toLowerCase() !== e.fromRanking))
  const html = readFileSync(join(out, 'report.html'), 'utf8')
  assert.match(html, /<caption>Pairs where ratings and ranking disagree \(first 2\)<\/caption>/)
  assert.match(html, /<caption>Length bias: preferred vs other response/)
})

test('a ratings file alone is a usage error (exit 2) that says what to pass', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'rating-ranking', '-i', `ratings=${HANDMADE_RATINGS}`, '-o', out])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /reads either one file of pairs, or a ratings file and a rankings file together; it was given only a ratings file/)
  assert.match(result.stderr, /--input ratings=ratings\.csv --input rankings=rankings\.csv/)
})
