import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import type {PackManifest} from '../../../src/models/pack.js'
import {makeMaskedSumPack} from '../../helpers/packs.js'
import {FIXTURES, runCli, tempDir} from '../../helpers/cli.js'

const makePack = (dir: string, overrides: Partial<PackManifest> = {}) => makeMaskedSumPack(dir, overrides)

test('models verify accepts a sound pack and names the graph signature', async () => {
  const dir = await makePack(join(tempDir(), 'pack'))
  const result = await runCli(['models', 'verify', dir, '--json'])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(JSON.parse(result.stdout), {dir, name: 'masked-sum', files: 2, inputs: ['input_ids', 'attention_mask'], outputs: ['masked_sum']})
})

test('models verify rejects a changed file, a missing file and a graph that breaks its manifest', async () => {
  const changed = await makePack(join(tempDir(), 'pack'))
  // Same size, different bytes: only the sha256 can tell.
  const bytes = readFileSync(join(changed, 'tokenizer.json'))
  bytes[0] = bytes[0] === 0x20 ? 0x0a : 0x20
  writeFileSync(join(changed, 'tokenizer.json'), bytes)
  const sha = await runCli(['models', 'verify', changed])
  assert.equal(sha.code, 2)
  assert.match(sha.stderr, /tokenizer\.json: sha256 [0-9a-f]{64} does not match the manifest/)

  const missing = await makePack(join(tempDir(), 'pack'))
  writeFileSync(join(missing, 'model.onnx'), '')
  assert.match((await runCli(['models', 'verify', missing])).stderr, /model\.onnx: 0 bytes where the manifest records \d+/)

  const wrong = await makePack(join(tempDir(), 'pack'), {outputs: [{name: 'tri_logits', type: 'float32', dims: ['batch', 3]}]})
  const mismatch = await runCli(['models', 'verify', wrong])
  assert.equal(mismatch.code, 2)
  assert.match(mismatch.stderr, /the graph does not match .*output "tri_logits" is missing from the graph; the graph has an output "masked_sum" the manifest does not list/)

  const none = await runCli(['models', 'verify', tempDir()])
  assert.match(none.stderr, /not a model pack \(no alignctl-model\.json\)/)
})

test('models list shows known models and cached packs; models rm removes one', async () => {
  const home = tempDir()
  await makePack(join(home, 'models', 'my-model'))
  const env = {ALIGNCTL_HOME: home}
  const listed = await runCli(['models', 'list', '--json'], {env})
  assert.equal(listed.code, 0, listed.stderr)
  const entries = JSON.parse(listed.stdout) as Array<{name: string; cached: boolean; kind: string; bytes?: number}>
  assert.deepEqual(entries.filter((e) => e.kind === 'known').map((e) => [e.name, e.cached]), [
    ['alignscore-base', false],
    ['alignscore-large', false],
    ['ctc-e-bert', false],
    ['ctc-e-roberta', false],
    ['ctc-e-roberta-mnli', false],
  ])
  const mine = entries.find((e) => e.name === 'my-model')
  assert.equal(mine?.cached, true)
  assert.ok((mine?.bytes ?? 0) > 300)
  assert.equal((await runCli(['models', 'verify', 'my-model'], {env})).code, 0)

  assert.equal((await runCli(['models', 'rm', 'my-model'], {env})).code, 0)
  assert.equal(existsSync(join(home, 'models', 'my-model')), false)
  const again = await runCli(['models', 'rm', 'my-model'], {env})
  assert.equal(again.code, 2)
  assert.match(again.stderr, /No cached model named "my-model"/)
  assert.match((await runCli(['models', 'verify', 'nope'], {env})).stderr, /Model "nope" is not in the cache .*\n?.*models pull nope/)
  assert.ok(readFileSync(join(FIXTURES, 'models/masked-sum.onnx')).length > 0)
})

test('convert cleans up staging folders that an interrupted conversion left behind', async () => {
  const parent = tempDir()
  // A pid that cannot be alive.
  mkdirSync(join(parent, 'pack.partial-999999999'))
  const result = await runCli(['models', 'convert', '--checkpoint', join(FIXTURES, 'alignscore/tiny/AlignScore-tiny.ckpt'), '--config', join(FIXTURES, 'alignscore/tiny/config.json'), '--tokenizer', join(FIXTURES, 'alignscore/tiny/tokenizer.json'), '--arch', 'alignscore', '--out', join(parent, 'pack')])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(readdirSync(parent), ['pack'])
  const missing = await runCli(['models', 'convert', '--checkpoint', join(FIXTURES, 'alignscore/tiny/AlignScore-tiny.ckpt'), '--config', join(FIXTURES, 'alignscore/tiny/config.json'), '--tokenizer', join(parent, 'nope.json'), '--arch', 'alignscore', '--out', join(parent, 'other')])
  assert.equal(missing.code, 2)
  assert.match(missing.stderr, /nope\.json: no such file \(--tokenizer\)/)
})

test('models verify parses the JSON files: a manifest written over a damaged tokenizer.json does not hide it', async () => {
  const dir = await makePack(join(tempDir(), 'pack'))
  const tokenizer = join(dir, 'tokenizer.json')
  writeFileSync(tokenizer, '{"model": {"vocab": ')
  // Record the damaged bytes, as a pack made from a damaged download would.
  const manifest = JSON.parse(readFileSync(join(dir, 'alignctl-model.json'), 'utf8')) as PackManifest
  const bytes = readFileSync(tokenizer)
  for (const file of manifest.files) {
    if (file.path === 'tokenizer.json') Object.assign(file, {size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex')})
  }
  writeFileSync(join(dir, 'alignctl-model.json'), JSON.stringify(manifest))
  const result = await runCli(['models', 'verify', dir])
  assert.equal(result.code, 2, result.stderr)
  assert.ok(result.stderr.replace(/\s*\n\s*›?\s*/g, ' ').includes(`${tokenizer}: not valid JSON (`), result.stderr)
})
