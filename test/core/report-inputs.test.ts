import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {FIXTURES, runCli, tempDir} from '../helpers/cli.js'

const embedded = (file: string) => JSON.parse(/<script type="application\/json" id="alignctl-inputs">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'))![1]!) as Array<{fields: Array<{name: string; text: string}>; line?: number} | null>

test('report --format html reads the row inputs again from the unchanged input file, and none from a changed one', async () => {
  const dir = tempDir()
  const input = join(dir, 'rows.jsonl')
  copyFileSync(join(FIXTURES, 'honesty/synthetic.jsonl'), input)
  const out = join(dir, 'out')
  assert.equal((await runCli(['eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json,html'])).code, 0)
  const fromRun = embedded(join(out, 'report.html'))
  assert.equal(fromRun.length, 160)
  assert.equal(fromRun[0]!.fields[0]!.name, 'question')
  rmSync(join(out, 'report.html'))

  const again = await runCli(['report', join(out, 'report.json'), '--format', 'html'])
  assert.equal(again.code, 0, again.stderr)
  assert.deepEqual(embedded(join(out, 'report.html')), fromRun)

  writeFileSync(input, readFileSync(input, 'utf8').replace('?', '!'))
  const changed = await runCli(['report', join(out, 'report.json'), '--format', 'html'])
  assert.equal(changed.code, 0, changed.stderr)
  assert.match(changed.stderr, /honesty: .*rows\.jsonl changed since the run \(sha256 differs\), so the row table shows no inputs for it\./)
  assert.deepEqual(embedded(join(out, 'report.html')), [])
})

const embeddedJson = (file: string, id: string) => JSON.parse(new RegExp(`<script type="application/json" id="${id}">(.*?)</script>`, 's').exec(readFileSync(file, 'utf8'))![1]!) as unknown

test('5,000 rows: report.html embeds the stated selection with each row\'s scores.jsonl line and input; report --format html picks the same rows', async () => {
  const dir = tempDir()
  const input = join(dir, 'rows.jsonl')
  const rows = readFileSync(join(FIXTURES, 'honesty/synthetic.jsonl'), 'utf8').split('\n').filter((l) => l !== '')
  writeFileSync(input, Array.from({length: 5000}, (_, i) => rows[i % rows.length]).join('\n') + '\n')
  const out = join(dir, 'out')
  assert.equal((await runCli(['eval', '-m', 'honesty', '-i', input, '-o', out, '--format', 'json,html'])).code, 0)
  const page = join(out, 'report.html')
  const shown = embeddedJson(page, 'alignctl-rows') as Array<{row: number}>
  const lines = embeddedJson(page, 'alignctl-lines') as number[]
  const inputs = embedded(page)
  // Honesty rows have no score: a seeded sample of 1,000 rows, and every row without a score (fewer than the bound of 250).
  const scores = readFileSync(join(out, 'scores.jsonl'), 'utf8').split('\n')
  const errorRows = scores.filter((l) => l.includes('"honesty":{"error"')).map((l) => (JSON.parse(l) as {row: number}).row)
  assert.ok(errorRows.length > 0 && errorRows.length < 250)
  for (const row of errorRows) assert.ok(shown.some((s) => s.row === row), `error row ${row} shown`)
  assert.ok(shown.length >= 1000 && shown.length <= 1000 + errorRows.length, String(shown.length))
  assert.match(readFileSync(page, 'utf8'), new RegExp(`This page shows ${shown.length} of the 5000 rows: .*<a href="scores.jsonl">scores.jsonl</a> has every row`))
  shown.forEach((row, i) => {
    assert.deepEqual(JSON.parse(scores[lines[i]! - 1]!), row)
    assert.equal(inputs[i]!.line, row.row + 1)
  })
  // The histogram-free honesty page stays small: the rows' inputs are those shown only.
  assert.ok(statSync(page).size < 2_000_000, `${statSync(page).size} bytes`)

  rmSync(page)
  const again = await runCli(['report', join(out, 'report.json'), '--format', 'html'])
  assert.equal(again.code, 0, again.stderr)
  assert.deepEqual(embeddedJson(page, 'alignctl-rows'), shown)
  assert.deepEqual(embeddedJson(page, 'alignctl-lines'), lines)
  assert.deepEqual(embedded(page), inputs)
})
