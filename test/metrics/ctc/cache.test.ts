import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {FIXTURES, readValidReport, runCli, tempDir} from '../../helpers/cli.js'
import {ctcPack} from '../../helpers/ctc-packs.js'

test('ctc: a run whose rows all come from the cache has the same scores and summary (settings included)', async () => {
  const home = tempDir()
  const pack = await ctcPack('e-roberta-l1')
  // The summarization rows (two of them per-row errors, which are cached too).
  const rows = readFileSync(join(FIXTURES, 'ctc/rows.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"id": "sum-') || l.includes('"id":"sum-'))
  assert.ok(rows.length >= 3)
  const input = join(tempDir(), 'summaries.jsonl')
  writeFileSync(input, rows.join('\n') + '\n')
  const args = (out: string) => ['eval', '--metric', 'ctc', '--param', 'aspect=consistency,relevance', '--model', pack, '--input', input, '--out', out, '--format', 'json']
  const first = tempDir()
  const computed = await runCli(args(first), {env: {ALIGNCTL_HOME: home}})
  assert.equal(computed.code, 0, computed.stderr)
  const second = tempDir()
  const cached = await runCli(args(second), {env: {ALIGNCTL_HOME: home}})
  assert.equal(cached.code, 0, cached.stderr)
  const a = readValidReport(first).metrics['ctc']!
  const b = readValidReport(second).metrics['ctc']!
  assert.equal(a.cache!.hits, 0)
  assert.equal(b.cache!.misses, 0)
  assert.equal(b.cache!.hits, a.cache!.misses)
  assert.ok(readFileSync(join(second, 'scores.jsonl')).equals(readFileSync(join(first, 'scores.jsonl'))))
  assert.equal(JSON.stringify(b.summary), JSON.stringify(a.summary))
  assert.equal(JSON.stringify(b.errors), JSON.stringify(a.errors))
  assert.ok(b.errors.length > 0)
  assert.equal((b.summary['settings'] as {aligner: string}).aligner, 'E-roberta')
})
