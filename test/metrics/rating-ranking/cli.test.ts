import assert from 'node:assert/strict'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {readScoreLines, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {assertDeepClose, expectedDatasets, FIXTURE_DIR} from './support.js'

test('alignctl eval --metric rating-ranking joins header-less ratings and rankings CSVs end to end', async () => {
  const out = tempDir()
  const ratings = join(FIXTURE_DIR, 'handmade/ratings.csv')
  const rankings = join(FIXTURE_DIR, 'handmade/rankings.csv')
  const result = await runCli(['eval', '--metric', 'rating-ranking', '--input', `ratings=${ratings}`, '--input', `rankings=${rankings}`, '--out', out, '--fail-under', 'rating-ranking.consistency=0.5'])
  assert.equal(result.code, 0, result.stderr)

  const report = readValidReport(out)
  assert.deepEqual(Object.keys(report.inputs).sort(), ['rankings', 'ratings'])
  assert.equal(report.inputs['ratings']!.rows, 14)
  const metric = report.metrics['rating-ranking']!
  assert.deepEqual(metric.params, {bootstrapIterations: 1000, seed: 0, confidence: 0.95})
  assert.equal(metric.rows, 10)
  assert.equal(metric.skipped, 0)
  // Hand-checked in fixtures.test.ts; the original consistency.py prints 50.0 on these files.
  assert.equal(metric.summary['consistency'], 0.5)
  assert.equal(metric.summary['pairs'], 6)
  assert.equal(metric.summary['skipped'], 1)
  assertDeepClose(metric.summary, expectedDatasets()['handmade-files']!.summary)
  assert.deepEqual(
    metric.errors.map((e) => [e.row, e.stage]),
    [
      [5, 'score'],
      [8, 'score'],
    ],
  )
  assert.match(metric.errors[1]!.message, /^ranking "\(A\)" is not a label this input accepts/)
  assert.deepEqual(report.gates, [{expr: 'rating-ranking.consistency=0.5', value: 0.5, passed: true}])

  const lines = readScoreLines(out)
  assert.equal(lines.length, 10)
  assert.deepEqual(lines[0], {row: 0, 'rating-ranking': {status: 'counted', fromRatings: 'equal', fromRanking: 'equal', agree: true}})
  assert.deepEqual(lines[2], {row: 2, 'rating-ranking': {status: 'counted', fromRatings: 'A', fromRanking: 'b', agree: false}})
  assert.deepEqual(lines[3], {row: 3, 'rating-ranking': {status: 'unrated', fromRatings: null, fromRanking: 'a', agree: null, unrated: ['b']}})
  assert.deepEqual(lines[4], {row: 4, 'rating-ranking': {status: 'duplicate', fromRatings: null, fromRanking: null, agree: null, duplicateOf: 1}})
  assert.match(JSON.stringify(lines[5]), /"error":"ranking \\"\(c\)\\" is not/)
  assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /consistency/)
})

test('the one-file format from a CSV with a header, by a plain --input', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'rating-ranking', '-i', join(FIXTURE_DIR, 'handmade/pairs.csv'), '-o', out, '--param', 'seed=3'])
  assert.equal(result.code, 0, result.stderr)
  const metric = readValidReport(out).metrics['rating-ranking']!
  assert.equal(metric.summary['consistency'], 0.6)
  assert.deepEqual(Object.keys(metric.summary['byAnnotator'] as object), ['ann1', 'ann2'])
  assert.equal(readScoreLines(out)[0]!['id'], 'p1')
})

test('a ratings file alone is a usage error (exit 2) that says what to pass', async () => {
  const out = tempDir()
  const result = await runCli(['eval', '-m', 'rating-ranking', '-i', `ratings=${join(FIXTURE_DIR, 'handmade/ratings.csv')}`, '-o', out])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /reads either one file of pairs, or a ratings file and a rankings file together; it was given only a ratings file/)
  assert.match(result.stderr, /--input ratings=ratings\.csv --input rankings=rankings\.csv/)
})
