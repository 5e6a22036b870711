import assert from 'node:assert/strict'
import {test} from 'node:test'

import {keptRange, planTruncation} from '../../../src/engine/tokenizer/index.js'

const keep = (first: number, second: number | undefined) => ({kind: 'keep', keep: {first, second}})
const cannot = (reason: string) => ({kind: 'cannot-fit', reason})

test('inputs that fit are kept whole, whatever the strategy', () => {
  for (const strategy of ['longest_first', 'only_first', 'only_second'] as const) {
    assert.deepEqual(planTruncation(3, 4, 7, strategy), keep(3, 4))
    assert.deepEqual(planTruncation(3, undefined, 7, strategy), keep(3, undefined))
  }
})

test('a budget of 0 empties every text, even for only_first and only_second (tokenizers)', () => {
  assert.deepEqual(planTruncation(3, 4, 0, 'only_first'), keep(0, 0))
  assert.deepEqual(planTruncation(3, 4, 0, 'only_second'), keep(0, 0))
  assert.deepEqual(planTruncation(5, undefined, 0, 'only_second'), keep(0, undefined))
})

test('longest_first cuts only the longer text while the shorter fits beside it', () => {
  assert.deepEqual(planTruncation(10, undefined, 4, 'longest_first'), keep(4, undefined))
  assert.deepEqual(planTruncation(2, 10, 7, 'longest_first'), keep(2, 5))
  assert.deepEqual(planTruncation(10, 2, 7, 'longest_first'), keep(5, 2))
  assert.deepEqual(planTruncation(2, 10, 7, 'longest_first', 'transformers-python'), keep(2, 5))
})

test('longest_first with both texts cut: tokenizers gives the odd token to the longer (second on a tie), Python to the first', () => {
  assert.deepEqual(planTruncation(6, 6, 7, 'longest_first'), keep(3, 4))
  assert.deepEqual(planTruncation(6, 6, 7, 'longest_first', 'transformers-python'), keep(4, 3))
  assert.deepEqual(planTruncation(5, 9, 7, 'longest_first'), keep(3, 4))
  assert.deepEqual(planTruncation(5, 9, 7, 'longest_first', 'transformers-python'), keep(4, 3))
  // The first text longer: both rules agree.
  assert.deepEqual(planTruncation(9, 6, 7, 'longest_first'), keep(4, 3))
  assert.deepEqual(planTruncation(9, 6, 7, 'longest_first', 'transformers-python'), keep(4, 3))
  // Even budgets: no odd token, no difference.
  assert.deepEqual(planTruncation(10, 12, 4, 'longest_first'), keep(2, 2))
  assert.deepEqual(planTruncation(10, 12, 4, 'longest_first', 'transformers-python'), keep(2, 2))
})

test('the transformers-python rule equals removing one token at a time from the longer text, the second on ties', () => {
  for (let a = 0; a <= 12; a++) {
    for (let b = 0; b <= 12; b++) {
      for (let budget = 1; budget <= 25; budget++) {
        let [x, y] = [a, b]
        for (let n = a + b - budget; n > 0; n--) {
          if (x > y) x--
          else y--
        }
        assert.deepEqual(planTruncation(a, b, budget, 'longest_first', 'transformers-python'), keep(x, y), `${a} ${b} ${budget}`)
        // Both rules fill the budget exactly and never keep more than a text has.
        const plan = planTruncation(a, b, budget, 'longest_first')
        assert.equal(plan.kind, 'keep')
        if (plan.kind === 'keep') {
          assert.equal(plan.keep.first + plan.keep.second!, Math.min(a + b, budget), `${a} ${b} ${budget}`)
          assert.ok(plan.keep.first <= a && plan.keep.second! <= b)
        }
      }
    }
  }
})

test('only_first and only_second cut one text, and cannot fit when it would lose every token', () => {
  assert.deepEqual(planTruncation(10, 3, 5, 'only_first'), keep(2, 3))
  assert.deepEqual(planTruncation(3, 10, 5, 'only_second'), keep(3, 2))
  assert.deepEqual(planTruncation(3, 10, 5, 'only_first'), cannot('sequence-too-short'))
  // tokenizers requires strictly more tokens than it removes: 3 tokens, 3 to remove, cannot fit.
  assert.deepEqual(planTruncation(3, 5, 5, 'only_first'), cannot('sequence-too-short'))
  assert.deepEqual(planTruncation(5, 3, 5, 'only_second'), cannot('sequence-too-short'))
  assert.deepEqual(planTruncation(10, undefined, 5, 'only_second'), cannot('second-sequence-missing'))
  assert.deepEqual(planTruncation(10, undefined, 5, 'only_first'), keep(5, undefined))
})

test('keptRange keeps the head for right truncation and the tail for left', () => {
  assert.deepEqual(keptRange(10, 4, 'right'), [0, 4])
  assert.deepEqual(keptRange(10, 4, 'left'), [6, 10])
  assert.deepEqual(keptRange(3, 4, 'left'), [0, 3])
  assert.deepEqual(keptRange(3, 0, 'left'), [3, 3])
})
