import assert from 'node:assert/strict'
import {test} from 'node:test'

import {addUsage} from '../../src/core/run-usage.js'

const stats = (n: number) => ({requests: n, batches: n, tokens: 10 * n, computedTokens: 12 * n, tokenizeSeconds: 0.1 * n, runtimeSeconds: 0.25 * n})

test('usage adds up: model stats pack by pack, seconds; the later process describes the model and device', () => {
  const first = {model: {name: 'p', dir: '/a', stats: stats(1)}, device: {provider: 'cpu', workers: 1}, seconds: 2}
  const second = {model: {name: 'p', dir: '/a', stats: stats(2)}, device: {provider: 'cpu', workers: 2}, seconds: 3}
  assert.deepEqual(addUsage(first, second), {model: {name: 'p', dir: '/a', stats: {requests: 3, batches: 3, tokens: 30, computedTokens: 36, tokenizeSeconds: 0.3, runtimeSeconds: 0.75}}, device: {provider: 'cpu', workers: 2}, seconds: 5})
  assert.deepEqual(addUsage(undefined, second), second)
})

test('a process that loaded no model (every row restored) keeps the earlier counts; other packs are listed', () => {
  const first = {model: {name: 'p', dir: '/a', stats: stats(1)}, device: {provider: 'cpu'}, seconds: 2}
  assert.deepEqual(addUsage(first, {seconds: 1}), {...first, seconds: 3})
  const both = addUsage(first, {model: {packs: [{name: 'p', dir: '/a', stats: stats(1)}, {name: 'q', dir: '/b', stats: stats(4)}]}, seconds: 1})
  assert.deepEqual(both.model, {packs: [{name: 'p', dir: '/a', stats: {...stats(2), tokenizeSeconds: 0.2, runtimeSeconds: 0.5}}, {name: 'q', dir: '/b', stats: stats(4)}]})
})
