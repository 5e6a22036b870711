import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, test} from 'node:test'

import {runCli, tempDir, tempFile} from '../helpers/cli.js'
import {writeSyntheticRun} from '../helpers/synthetic-run.js'

let base: string
let head: string
let same: string
before(() => {
  base = join(tempDir(), 'base')
  head = join(tempDir(), 'head')
  same = join(tempDir(), 'same')
  writeSyntheticRun(base, {rows: 40, ids: true})
  writeSyntheticRun(same, {rows: 40, ids: true})
  // Every 5th row drops by 0.25; the summary's AUC drops by 0.03.
  writeSyntheticRun(head, {rows: 40, ids: true, shift: -0.25, shiftEvery: 5, summary: {rocAuc: 0.78}})
})

const report = (dir: string) => join(dir, 'report.json')

test('compare prints Markdown with regressions and the biggest row drops (exit 0 without --fail-on-regression)', async () => {
  const result = await runCli(['compare', report(base), report(head)])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^## alignctl compare — ❌ \d+ stats regressed$/m)
  assert.match(result.stdout, /^\| rocAuc \| 0\.8100 \| 0\.7800 \| −0\.0300 \|  \| ❌ regressed \|$/m)
  // The mean over rows gets a paired test over the 40 shared rows.
  assert.match(result.stdout, /^\| mean \| [\d.]+ \| [\d.]+ \| −0\.\d+ \| (< )?0\.\d+ \| ❌ regressed \|$/m)
  assert.match(result.stdout, /^Rows matched by id: 40 compared, \d+ changed\.$/m)
  assert.match(result.stdout, /^Biggest drops:$/m)
  assert.match(result.stdout, /^\| r0000\d\d \| [\d.]+ \| [\d.]+ \| −0\.\d+ \|$/m)
})

test('--fail-on-regression exits 1 when something regressed, 0 when nothing did or within --tolerance', async () => {
  assert.equal((await runCli(['compare', report(base), report(head), '--fail-on-regression'])).code, 1)
  assert.equal((await runCli(['compare', report(base), report(same), '--fail-on-regression'])).code, 0)
  const tolerant = await runCli(['compare', report(base), report(head), '--fail-on-regression', '--tolerance', '0.25'])
  assert.equal(tolerant.code, 0, tolerant.stdout)
  assert.match(tolerant.stdout, /✅ no regressions/)
})

test('--format json and --json give the comparison object; --json keeps exit 1 on regression', async () => {
  const json = await runCli(['compare', report(base), report(head), '--format', 'json'])
  assert.equal(json.code, 0, json.stderr)
  const comparison = JSON.parse(json.stdout) as {schema: string; regressions: string[]; metrics: Record<string, {rows: {matchedBy: string}}>}
  assert.equal(comparison.schema, 'alignctl.compare/v1')
  assert.ok(comparison.regressions.includes('alignscore.rocAuc'))
  assert.equal(comparison.metrics['alignscore']!.rows.matchedBy, 'id')
  const flag = await runCli(['compare', report(base), report(head), '--json', '--fail-on-regression'])
  assert.equal(flag.code, 1)
  assert.deepEqual((JSON.parse(flag.stdout) as {regressions: string[]}).regressions, comparison.regressions)
})

test('--format html writes the head report with a comparison section; --output writes Markdown to a file', async () => {
  const html = await runCli(['compare', report(base), report(head), '--format', 'html'])
  assert.equal(html.code, 0, html.stderr)
  assert.match(html.stdout, /Wrote .*head\/compare\.html/)
  assert.match(readFileSync(join(head, 'compare.html'), 'utf8'), /<section id="comparison" class="comparison">/)
  const file = join(tempDir(), 'compare.md')
  assert.equal((await runCli(['compare', report(base), report(head), '--output', file])).code, 0)
  assert.match(readFileSync(file, 'utf8'), /^## alignctl compare/)
})

test('a missing or invalid report, or a bad --tolerance, exits 2 naming the problem', async () => {
  const missing = await runCli(['compare', join(tempDir(), 'none.json'), report(head)])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /none\.json: no such file\./)
  const invalid = tempFile('report.json', JSON.stringify({schema: 'alignctl.report/v1'}))
  const bad = await runCli(['compare', report(base), invalid])
  assert.equal(bad.code, 2)
  assert.ok(bad.stderr.includes(`${invalid}: not an alignctl v1 report`), bad.stderr)
  const scores = join(tempDir(), 'broken')
  writeSyntheticRun(scores, {rows: 2})
  writeFileSync(join(scores, 'scores.jsonl'), '{"row": 0}\n{oops\n')
  const broken = await runCli(['compare', report(base), report(scores)])
  assert.equal(broken.code, 2)
  assert.match(broken.stderr, /broken\/scores\.jsonl:2: not valid JSON/)
  const tolerance = await runCli(['compare', report(base), report(head), '--tolerance', 'lots'])
  assert.equal(tolerance.code, 2)
  assert.match(tolerance.stderr, /--tolerance "lots" is not a number\./)
})
