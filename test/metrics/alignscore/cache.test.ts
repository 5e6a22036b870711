import assert from 'node:assert/strict'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {before, test} from 'node:test'

import {FIXTURES, readValidReport, runCli, tempDir} from '../../helpers/cli.js'

const dir = join(FIXTURES, 'alignscore')
const tiny = join(dir, 'tiny')
let pack: string
let changed: string

before(async () => {
  pack = join(tempDir(), 'alignscore-tiny')
  const converted = await runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--out', pack])
  assert.equal(converted.code, 0, converted.stderr)
  // Row 40 (in the second reference group of 32) gets another claim.
  const rows = readFileSync(join(dir, 'pairs.jsonl'), 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as {claim: string})
  rows[40]!.claim += ' The keeper also kept bees.'
  changed = join(tempDir(), 'changed.jsonl')
  writeFileSync(changed, rows.map((r) => JSON.stringify(r)).join('\n') + '\n')
})

const evalAlignScore = (home: string, input: string, mode: string, extra: string[] = []) => {
  const out = tempDir()
  return runCli(['eval', '-m', 'alignscore', '-i', input, '--model', pack, '-p', `mode=${mode}`, '-o', out, '--format', 'json', ...extra], {env: {ALIGNCTL_HOME: home}}).then((result) => {
    assert.equal(result.code, 0, result.stderr)
    return {out, metric: readValidReport(out).metrics['alignscore']!}
  })
}

for (const [mode, scope] of [['nli_sp', 'row'], ['nli', 'group']] as const) {
  test(`${mode}: one changed row re-scores its ${scope === 'row' ? 'row' : 'group of 32'}; the scores equal a run without the cache`, async () => {
    const home = tempDir()
    const first = await evalAlignScore(home, join(dir, 'pairs.jsonl'), mode)
    assert.deepEqual(first.metric.cache, {hits: 0, misses: 65})
    const cached = await evalAlignScore(home, changed, mode)
    assert.deepEqual(cached.metric.cache, scope === 'row' ? {hits: 64, misses: 1} : {hits: 33, misses: 32})
    const computed = await evalAlignScore(tempDir(), changed, mode, ['--no-cache'])
    assert.ok(readFileSync(join(cached.out, 'scores.jsonl')).equals(readFileSync(join(computed.out, 'scores.jsonl'))))
    assert.equal(JSON.stringify(cached.metric.summary), JSON.stringify(computed.metric.summary))
    const again = await evalAlignScore(home, changed, mode)
    assert.deepEqual(again.metric.cache, {hits: 65, misses: 0})
  })
}

test('a re-converted pack (int8) under the same folder is another model: every row is a miss', async () => {
  const home = tempDir()
  const mine = join(tempDir(), 'pack')
  const convert = (precision: string) => runCli(['models', 'convert', '--checkpoint', join(tiny, 'AlignScore-tiny.ckpt'), '--config', join(tiny, 'config.json'), '--tokenizer', join(tiny, 'tokenizer.json'), '--arch', 'alignscore', '--precision', precision, '--out', mine])
  let converted = await convert('fp32')
  assert.equal(converted.code, 0, converted.stderr)
  const run = async () => {
    const out = tempDir()
    const result = await runCli(['eval', '-m', 'alignscore', '-i', join(dir, 'pairs.jsonl'), '--model', mine, '-o', out, '--format', 'json'], {env: {ALIGNCTL_HOME: home}})
    assert.equal(result.code, 0, result.stderr)
    return readValidReport(out).metrics['alignscore']!.cache
  }
  assert.deepEqual(await run(), {hits: 0, misses: 65})
  assert.deepEqual(await run(), {hits: 65, misses: 0})
  rmSync(mine, {recursive: true})
  converted = await convert('int8')
  assert.equal(converted.code, 0, converted.stderr)
  assert.deepEqual(await run(), {hits: 0, misses: 65})
})
