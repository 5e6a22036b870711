import assert from 'node:assert/strict'
import {join} from 'node:path'
import {after, before, test} from 'node:test'

import type {LoadedModel, TextRequest} from '../../src/kernel/interfaces/index.js'
import {Engine} from '../../src/engine/engine.js'
import {loadTokenizer} from '../../src/engine/tokenizer/index.js'
import {openPack} from '../../src/models/pack.js'
import {FIXTURES, tempDir} from '../helpers/cli.js'
import {ctcPack} from '../helpers/ctc-packs.js'
import {makeMaskedSumPack} from '../helpers/packs.js'

const tokenizer = loadTokenizer(join(FIXTURES, 'tokenizers/roberta-bpe/tokenizer.json'))
let engine: Engine
let model: LoadedModel

before(async () => {
  const dir = await makeMaskedSumPack(join(tempDir(), 'pack'))
  engine = new Engine({device: 'auto', workers: 1, threads: 1, batchSize: 3, maxTokens: 40, resolvePack: (ref) => openPack(ref)})
  model = await engine.load(dir)
})
after(() => engine.close())

/** What the masked-sum graph computes for a request: the sum of its real token ids. */
function expectedSum(request: TextRequest): number {
  const options = {maxLength: 16, strategy: request.truncation}
  const encoding = request.second === undefined ? tokenizer.encode(request.first, options) : tokenizer.encodePair(request.first, request.second, options)
  return encoding.ids.reduce((s, id) => s + id, 0)
}

test('requests of mixed lengths come back in request order, each unaffected by padding', async () => {
  const texts = ['a', 'the cat sat on the mat', 'hello', 'a much longer sentence about the weather in the evening', 'b c', 'end.']
  const requests: TextRequest[] = texts.map((first, i) => (i % 2 === 0 ? {first, truncation: 'longest_first'} : {first, second: texts[i - 1]!, truncation: 'only_first'}))
  let progressed = 0
  const outputs = await model.run(requests, {outputs: ['masked_sum'], onProgress: (n) => (progressed += n)})
  assert.equal(outputs.length, requests.length)
  outputs.forEach((output, i) => assert.equal(output['masked_sum']![0], expectedSum(requests[i]!), `request ${i}`))
  assert.equal(progressed, requests.length)
})

test('fits says whether a strategy can reach the maximum length', () => {
  assert.equal(model.fits({first: 'a b c', second: 'd', truncation: 'only_first'}), true)
  const longClaim = 'word '.repeat(40)
  assert.equal(model.fits({first: 'a', second: longClaim, truncation: 'only_first'}), false)
  assert.equal(model.fits({first: 'a', second: longClaim, truncation: 'longest_first'}), true)
})

test('a request that cannot be cut is a runtime error naming it', async () => {
  await assert.rejects(model.run([{first: 'a', truncation: 'only_first'}, {first: 'a', second: 'word '.repeat(40), truncation: 'only_first'}], {outputs: ['masked_sum']}), /Request 1 cannot be cut to 16 tokens with only_first/)
})

test('usage records the pack and the provider, with the CUDA fallback reason', async () => {
  const usage = await engine.usage()
  assert.equal((usage.model as {name: string}).name, 'masked-sum')
  const device = usage.device as {provider: string; fallbacks: Array<{provider: string}>; workers: number; threads: number}
  assert.equal(device.provider, 'cpu')
  assert.deepEqual(device.fallbacks.map((f) => f.provider), ['cuda'])
  assert.deepEqual([device.workers, device.threads], [1, 1])
})

test('two workers run batches side by side and results still come back in request order', async () => {
  const dir = await makeMaskedSumPack(join(tempDir(), 'pack2'))
  const twin = new Engine({device: 'cpu', workers: 2, threads: 1, cores: 2, batchSize: 2, resolvePack: (ref) => openPack(ref)})
  try {
    const pair = await twin.load(dir)
    const requests: TextRequest[] = Array.from({length: 25}, (_, i) => ({first: `${'word '.repeat(1 + (i * 7) % 11)}${i}`, truncation: 'longest_first' as const}))
    const outputs = await pair.run(requests, {outputs: ['masked_sum']})
    outputs.forEach((output, i) => assert.equal(output['masked_sum']![0], expectedSum(requests[i]!), `request ${i}`))
    const usage = await twin.usage()
    assert.equal((usage.device as {workers: number}).workers, 2)
  } finally {
    await twin.close()
  }
})

test('an output without a batch axis (the D pack\'s bias) comes whole to every request; sequence outputs only their real tokens', async () => {
  const d = new Engine({device: 'cpu', workers: 1, threads: 1, batchSize: 8, maxTokens: 1000, resolvePack: (ref) => openPack(ref)})
  try {
    const pack = await d.load(await ctcPack('d-roberta'))
    const requests: TextRequest[] = [{first: 'a b', second: 'c', truncation: 'only_second'}, {first: 'the council approved the budget', second: 'the city council met', truncation: 'only_second'}]
    const outputs = await pack.run(requests, {outputs: ['token_logits', 'token_logits_bias']})
    const dTokenizer = loadTokenizer(join(pack.info.dir, 'tokenizer.json'))
    outputs.forEach((o, i) => {
      assert.equal(o['token_logits_bias']!.length, 2)
      assert.deepEqual([...o['token_logits_bias']!], [...outputs[0]!['token_logits_bias']!])
      const r = requests[i]!
      assert.equal(o['token_logits']!.length, dTokenizer.encodePair(r.first, r.second!, {maxLength: 32, strategy: 'only_second'}).ids.length * 2)
    })
  } finally {
    await d.close()
  }
})
