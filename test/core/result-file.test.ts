import assert from 'node:assert/strict'
import {test} from 'node:test'

import {ResultFile} from '../../src/core/result-file.js'
import {tempFile} from '../helpers/cli.js'

test('results are read back by row from a partial file out of row order, past its header and usage lines; a cut last line is no result', async () => {
  const rows = [
    {row: 3, id: 'c', value: {score: 0.3}},
    {row: 0, value: 1},
    {row: 2, error: 'bad input'},
    {row: 1, id: 'b', value: {text: 'ü, 日本 and "quotes"\n'}},
    {row: 12, value: [1, 2]},
  ]
  const lines = [JSON.stringify({fingerprint: {metric: 'm'}}), ...rows.slice(0, 2).map((r) => JSON.stringify(r)), JSON.stringify({usage: {seconds: 1}}), ...rows.slice(2).map((r) => JSON.stringify(r))]
  const file = tempFile('m.jsonl', lines.join('\n') + '\n{"row":13,"value":')
  const index = await ResultFile.index(file)
  assert.equal(index.end, 13)
  for (const r of rows) assert.deepEqual(await index.get(r.row), r)
  assert.equal(index.has(4), false)
  assert.equal(await index.get(4), undefined)
  assert.equal(await index.get(13), undefined)
  await index.close()
})

test('rows far apart in a large file are read through the windows, in any order', async () => {
  const rows = Array.from({length: 30_000}, (_, i) => ({row: i < 15_000 ? i + 15_000 : i - 15_000, value: {text: 'x'.repeat(i % 50)}}))
  const file = tempFile('big.jsonl', rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
  const index = await ResultFile.index(file)
  for (let row = 0; row < 30_000; row += 1) {
    const got = await index.get(row)
    assert.equal(got?.row, row)
  }
  await index.close()
})
