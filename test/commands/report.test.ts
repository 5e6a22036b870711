import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, test} from 'node:test'

import {FIXTURES, runCli, tempDir, tempFile} from '../helpers/cli.js'
import {linkTemplatePlugin} from '../helpers/template.js'

let out: string
before(async () => {
  const dataHome = await linkTemplatePlugin()
  out = tempDir()
  const result = await runCli(['eval', '-m', 'exact-match', '-i', join(FIXTURES, 'exact-match/qa.jsonl'), '-o', out, '--format', 'json'], {dataHome})
  assert.equal(result.code, 0, result.stderr)
})

test('report re-renders HTML with the summary and the rows', async () => {
  const file = join(tempDir(), 'page.html')
  const result = await runCli(['report', join(out, 'report.json'), '--format', 'html', '--output', file])
  assert.equal(result.code, 0, result.stderr)
  const html = readFileSync(file, 'utf8')
  assert.match(html, /<th scope="row">exactMatch<\/th><td>0\.6667<\/td>/)
  assert.match(html, /"id":"q6"/)
  // Self-contained: no external scripts, styles or images.
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=/)
})

test('report prints Markdown to stdout with --output -', async () => {
  const result = await runCli(['report', join(out, 'report.json'), '--format', 'md', '--output', '-'])
  assert.equal(result.code, 0, result.stderr)
  assert.match(result.stdout, /^## alignctl report/)
  assert.match(result.stdout, /\| exactMatch \| 0\.6667 \|/)
})

test('report rejects a file that is not a report, naming the field', async () => {
  const result = await runCli(['report', tempFile('report.json', JSON.stringify({schema: 'other'})), '--format', 'md'])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /not an alignctl v1 report: .*field "schema": must be "alignctl\.report\/v1"/)
})

test('report refuses a scores.jsonl line without an integer row, naming file and line', async () => {
  const dir = tempDir()
  copyFileSync(join(out, 'report.json'), join(dir, 'report.json'))
  writeFileSync(join(dir, 'scores.jsonl'), '{"row": 0}\n{"row": "\\"><img src=x>"}\n')
  const result = await runCli(['report', join(dir, 'report.json'), '--format', 'html', '--output', join(dir, 'r.html')])
  assert.equal(result.code, 2)
  assert.match(result.stderr, /scores\.jsonl:2: field "row": must be an integer/)
  const unwritable = await runCli(['report', join(out, 'report.json'), '--format', 'md', '--output', join(dir, 'no', 'such', 'dir', 'x.md')])
  assert.equal(unwritable.code, 3)
  assert.match(unwritable.stderr.replace(/\s*\n\s*›?\s*/g, ' '), /x\.md: cannot write the report: its folder does not exist \(ENOENT\)\. .*Create that folder first, or choose another file with --output\./)
})

test('report without --format says which formats there are, not oclif\'s "Missing required flag"', async () => {
  const result = await runCli(['report', join(out, 'report.json')])
  assert.equal(result.code, 2, result.stderr)
  assert.match(result.stderr, /alignctl report needs --format/)
  assert.match(result.stderr, /--format html \(report\.html\) or --format md \(summary\.md\)/)
  assert.doesNotMatch(result.stderr, /Missing required flag/)
})
