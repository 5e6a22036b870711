import assert from 'node:assert/strict'
import {test} from 'node:test'

import {checkClassesParam, nliClasses} from '../../../metrics/alignscore/score.js'
import {softmax} from '../../../src/kernel/stats/index.js'

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
