import assert from 'node:assert/strict'
import {test} from 'node:test'

import {Dataset} from '../../src/core/datasets/dataset.js'
import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import type {AnyMetric} from '../../src/kernel/interfaces/index.js'
import {runMetric} from '../../src/core/runner.js'
import {tempFile} from '../helpers/cli.js'
import {silentLogger} from '../helpers/metric.js'

const input = {name: 'default', description: 'numbers', rowSchema: {type: 'object', required: ['x'], properties: {x: {type: 'number'}}}}

function doubler(overrides: Partial<AnyMetric> = {}): AnyMetric & {batches: number[][]} {
  const batches: number[][] = []
  return {
    id: 'double',
    version: '1',
    description: 'doubles x',
    inputs: [input],
    paramsSchema: {type: 'object'},
    stats: [],
    batches,
    async score(batch: Array<{x: number}>) {
      batches.push(batch.map((r) => r.x))
      // Finish later batches first, to show that order does not depend on timing.
      await new Promise((r) => setTimeout(r, 10 - batches.length))
      return batch.map((r) => (r.x < 0 ? {error: 'x is negative'} : {value: 2 * r.x}))
    },
    summarize: (scored) => ({sum: scored.reduce((s, r) => s + (r.value as number), 0), rows: scored.map((r) => r.row)}),
    ...overrides,
  }
}

const run = (metric: AnyMetric, file: string, extra: {onError?: 'fail' | 'skip'; batchSize?: number} = {}) =>
  runMetric(metric, {
    params: {},
    datasets: {default: new Dataset(file, {input})},
    onError: extra.onError ?? 'fail',
    batchSize: extra.batchSize ?? 2,
    logger: silentLogger,
    progress: {start() {}, advance() {}, stop() {}},
    signal: new AbortController().signal,
  })

test('rows go through in batches, results keep input order, per-row errors are kept', async () => {
  const metric = doubler()
  const file = tempFile('n.jsonl', [1, 2, -3, 4, 5].map((x) => JSON.stringify({x, id: `r${x}`})).join('\n'))
  const result = await run(metric, file)
  assert.deepEqual(metric.batches, [[1, 2], [-3, 4], [5]])
  assert.deepEqual(result.results!.map((r) => ('value' in r ? r.value : r.error)), [2, 4, 'x is negative', 8, 10])
  assert.deepEqual(result.results!.map((r) => r.id), ['r1', 'r2', 'r-3', 'r4', 'r5'])
  assert.deepEqual(result.errors, [{row: 2, input: 'default', line: 3, stage: 'score', message: 'x is negative'}])
  assert.deepEqual(result.summary, {sum: 24, rows: [0, 1, 3, 4]})
  assert.equal(result.inputs['default']!.rows, 5)
})

test('skipped rows keep their place and never reach the metric', async () => {
  const metric = doubler()
  const file = tempFile('n.jsonl', '{"x": 1}\n{"x": "one"}\n{"x": 3}\n')
  const result = await run(metric, file, {onError: 'skip'})
  // A skipped row does not cut the batch short.
  assert.deepEqual(metric.batches, [[1, 3]])
  assert.equal(result.skipped, 1)
  assert.deepEqual(result.results!.map((r) => r.row), [0, 1, 2])
  assert.equal(result.errors[0]!.stage, 'input')
})

test('with --on-error fail, a bad row stops the run before any scoring', async () => {
  const metric = doubler()
  const file = tempFile('n.jsonl', '{"x": 1}\n{"x": "one"}\n')
  await assert.rejects(run(metric, file), (e: AlignctlError) => e.exitCode === ExitCode.usage && /n\.jsonl:2: field "x": must be number/.test(e.message))
  assert.deepEqual(metric.batches, [])
})

test('a metric that throws, or returns the wrong number of results, is a runtime failure (exit 3)', async () => {
  const file = tempFile('n.jsonl', '{"x": 1}\n{"x": 2}\n{"x": 3}\n')
  const throwing = doubler({score: async () => { throw new Error('model exploded') }})
  await assert.rejects(run(throwing, file), (e: AlignctlError) => e.exitCode === ExitCode.runtime && /Metric "double" failed on rows 0-1: model exploded/.test(e.message))
  const short = doubler({score: async () => [{value: 1}]})
  await assert.rejects(run(short, file), (e: AlignctlError) => e.exitCode === ExitCode.runtime && /returned 1 results for a batch of 2 rows/.test(e.message))
})

test('combine joins several inputs into the rows to score', async () => {
  const left = {...input, name: 'left'}
  const right = {...input, name: 'right'}
  const metric = doubler({
    inputs: [left, right],
    combine: (inputs: Record<string, Array<{x: number}>>) => inputs['left']!.map((l, i) => ({x: l.x + inputs['right']![i]!.x})),
  })
  const result = await runMetric(metric, {
    params: {},
    datasets: {left: new Dataset(tempFile('l.jsonl', '{"x": 1}\n{"x": 2}\n'), {input: left}), right: new Dataset(tempFile('r.jsonl', '{"x": 10}\n{"x": 20}\n'), {input: right})},
    onError: 'fail',
    logger: silentLogger,
    progress: {start() {}, advance() {}, stop() {}},
    signal: new AbortController().signal,
  })
  assert.deepEqual(result.results!.map((r) => ('value' in r ? r.value : null)), [22, 44])
  assert.deepEqual(Object.keys(result.inputs), ['left', 'right'])
})

test('rows a checkpoint already holds are restored in place, not scored again, and new batches are saved', async () => {
  const metric = doubler()
  const file = tempFile('n.jsonl', [1, 2, 3, 4, 5].map((x) => JSON.stringify({x})).join('\n'))
  const saved: unknown[] = []
  const result = await runMetric(metric, {
    params: {},
    datasets: {default: new Dataset(file, {input})},
    onError: 'fail',
    batchSize: 2,
    logger: silentLogger,
    progress: {start() {}, advance() {}, stop() {}},
    signal: new AbortController().signal,
    checkpoint: async () => ({
      completed: new Map([
        [0, {row: 0, value: 2}],
        [1, {row: 1, error: 'saved error'}],
      ]),
      save: async (results) => void saved.push(...results),
    }),
  })
  assert.deepEqual(metric.batches, [[3, 4], [5]])
  assert.deepEqual(result.results!.map((r) => ('value' in r ? r.value : r.error)), [2, 'saved error', 6, 8, 10])
  assert.deepEqual(saved, [{row: 2, value: 6}, {row: 3, value: 8}, {row: 4, value: 10}])
  assert.deepEqual(result.errors.map((e) => [e.row, e.message]), [[1, 'saved error']])
  assert.deepEqual(result.summary, {sum: 26, rows: [0, 2, 3, 4]})
})

test('ctx.progress moves the bar inside a batch: fractions credited once, clamped, the rest at the end', async () => {
  const advances: number[] = []
  let started: [string, number] | undefined
  const metric = doubler({
    async score(batch: Array<{x: number}>, ctx) {
      ctx.progress?.(0.25)
      ctx.progress?.(0.1) // backwards: ignored
      ctx.progress?.(0.5)
      ctx.progress?.(Number.NaN)
      if (batch.length === 1) ctx.progress?.(7) // past the end: clamped to the batch
      return batch.map((r) => ({value: 2 * r.x}))
    },
  })
  const file = tempFile('n.jsonl', [1, 2, 3, 4, 5].map((x) => JSON.stringify({x})).join('\n'))
  await runMetric(metric, {
    params: {},
    datasets: {default: new Dataset(file, {input})},
    onError: 'fail',
    batchSize: 2,
    logger: silentLogger,
    progress: {start: (label, total) => (started = [label, total]), advance: (n) => advances.push(n), stop() {}},
    signal: new AbortController().signal,
  })
  assert.deepEqual(started, ['double', 5])
  // Batches of 2, 2, 1: a quarter, then up to a half, then the rest when the batch is done.
  assert.deepEqual(advances, [0.5, 0.5, 1, 0.5, 0.5, 1, 0.25, 0.25, 0.5])
  assert.equal(advances.reduce((a, b) => a + b, 0), 5)
})
