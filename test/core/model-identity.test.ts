import assert from 'node:assert/strict'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {packIdentity, runPackIdentities} from '../../src/core/model-identity.js'
import {MANIFEST, openPack} from '../../src/models/pack.js'
import type {AnyMetric} from '../../src/kernel/interfaces/index.js'
import {tempDir} from '../helpers/cli.js'
import {makeMaskedSumPack} from '../helpers/packs.js'

test('a pack\'s identity is its weights, deciding manifest fields and quantization, not its name or source', async () => {
  const a = await openPack(await makeMaskedSumPack(join(tempDir(), 'a')))
  const renamed = await openPack(await makeMaskedSumPack(join(tempDir(), 'b'), {name: 'other-name', source: {converter: 'elsewhere'}}))
  assert.deepEqual(packIdentity(renamed), packIdentity(a))
  const id = packIdentity(a)
  assert.equal(id.sha256, a.manifest.files.find((f) => f.path === 'model.onnx')!.sha256)
  assert.equal(id.precision, 'fp32')
  assert.equal(id.quantization, null)
  const longer = await openPack(await makeMaskedSumPack(join(tempDir(), 'c'), {maxLength: 32}))
  assert.notEqual(packIdentity(longer).manifest, id.manifest)
  const int8 = await openPack(await makeMaskedSumPack(join(tempDir(), 'd'), {precision: 'int8'}))
  // An int8 pack made before quantization was recorded quantized per batch.
  assert.deepEqual(packIdentity(int8).quantization, {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-batch'})
  // Other weights under the same manifest: the listed hash changes, so the identity does.
  const dir = await makeMaskedSumPack(join(tempDir(), 'e'))
  const manifest = JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8')) as {files: Array<{path: string; sha256: string}>}
  manifest.files.find((f) => f.path === 'model.onnx')!.sha256 = 'f'.repeat(64)
  writeFileSync(join(dir, MANIFEST), JSON.stringify(manifest))
  assert.notEqual(packIdentity(await openPack(dir)).sha256, id.sha256)
})

test('the packs a run uses: resolved in the order the metric names them; none without models; unknown without packs', async () => {
  const dir = await makeMaskedSumPack(join(tempDir(), 'p'))
  const resolved: string[] = []
  const resolvePack = async (ref: string) => {
    resolved.push(ref)
    return openPack(dir)
  }
  const base = {id: 'm', version: '1', description: '', inputs: [], paramsSchema: {}, stats: [], score: async () => [], summarize: () => ({})} as unknown as AnyMetric
  assert.deepEqual(await runPackIdentities(base, {}, undefined, resolvePack), [])
  assert.equal(await runPackIdentities({...base, models: [{name: 'x', description: ''}]}, {}, undefined, resolvePack), undefined)
  const named = {...base, models: [{name: 'x', description: ''}], packs: (p: Record<string, unknown>, model: string | undefined) => [model ?? 'x', String(p['second']), model ?? 'x']}
  const ids = await runPackIdentities(named, {second: 'y'}, 'given', resolvePack)
  assert.equal(ids!.length, 3)
  assert.deepEqual(resolved, ['given', 'y'], 'each pack is resolved once')
})
