import assert from 'node:assert/strict'
import {copyFileSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
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
