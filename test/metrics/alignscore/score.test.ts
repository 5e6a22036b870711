import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {AlignScoreParams} from '../../../metrics/alignscore/schemas.js'
import {checkClassesParam, nliClasses, scoreBatch} from '../../../metrics/alignscore/score.js'
import {softmax} from '../../../src/kernel/stats/index.js'
import type {LoadedModel, MetricContext, RequestOutputs, RunOptions, TextRequest} from '../../../src/kernel/interfaces/index.js'
import {silentLogger} from '../../helpers/metric.js'

test('nliClasses is the softmax of the three-way logits, in the head\'s order aligned, neutral, contradict', () => {
  const logits = Float32Array.from([2, 0.5, -1])
  const [a, n, c] = softmax(logits)
  assert.deepEqual(nliClasses(logits), {aligned: a, neutral: n, contradict: c})
  assert.ok(a! > n! && n! > c!)
})

test('classes=true is refused outside the nli modes, with the fix', () => {
  for (const mode of ['nli_sp', 'nli'] as const) checkClassesParam({mode, classes: true})
  for (const mode of ['bin_sp', 'reg_sp', 'bin', 'reg'] as const) {
    checkClassesParam({mode, classes: false})
    assert.throws(() => checkClassesParam({mode, classes: true}), /needs the three-way NLI head, and mode \w+ reads the (binary|regression) head/)
  }
})

test('scoreBatch reports the chunk × sentence pairs done through ctx.progress, as the engine finishes them', async () => {
  const fractions: number[] = []
  const model: LoadedModel = {
    info: {name: 'fake', dir: '/nowhere', task: 'alignscore', precision: 'fp32', maxLength: 512, outputs: ['tri_logits']},
    fits: () => true,
    async run(requests: readonly TextRequest[], options: RunOptions): Promise<RequestOutputs[]> {
      // As the engine does: one call per finished model batch, with how many requests it held.
      for (let i = 0; i < requests.length; i += 2) options.onProgress?.(Math.min(2, requests.length - i))
      return requests.map(() => ({tri_logits: Float32Array.from([1, 0, 0])}))
    },
  }
  const claim = 'Paris is in France. It is large.'
  const rows = [{context: 'Paris is the capital of France.', claim}, {context: 'Rome is in Italy.', claim: 'Rome is in Italy.'}]
  const ctx: MetricContext<AlignScoreParams> = {
    params: {mode: 'nli_sp', referenceBatchSize: 32, punkt: '3.8', classes: false},
    logger: silentLogger,
    signal: new AbortController().signal,
    rows: [0, 1],
    progress: (fraction) => fractions.push(fraction),
  }
  const results = await scoreBatch(rows, ctx, model)
  assert.equal(results.length, 2)
  // 2 + 1 pairs (one chunk each), finished two at a time: two thirds, then all.
  assert.deepEqual(fractions, [2 / 3, 1])
})
