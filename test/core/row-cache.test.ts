import assert from 'node:assert/strict'
import {join} from 'node:path'
import {test} from 'node:test'

import {Dataset} from '../../src/core/datasets/dataset.js'
import type {PackIdentity} from '../../src/core/model-identity.js'
import {ResultCache} from '../../src/core/result-cache.js'
import {cacheDecision, RowCache, type CacheContext} from '../../src/core/row-cache.js'
import {runMetric} from '../../src/core/runner.js'
import type {AnyMetric} from '../../src/kernel/interfaces/index.js'
import {tempDir, tempFile} from '../helpers/cli.js'
import {silentLogger} from '../helpers/metric.js'

const input = {name: 'default', description: 'numbers', rowSchema: {type: 'object', required: ['x'], properties: {x: {type: 'number'}}}}

/** Doubles x; with `group`, adds the sum of x over the row's group of `group` rows in the batch (a result that depends on neighbours). */
function metric(overrides: Partial<AnyMetric> & {group?: number} = {}): AnyMetric & {scored: number[][]} {
  const scored: number[][] = []
  const group = overrides.group
  return {
    id: 'double',
    version: '1',
    description: 'doubles x',
    inputs: [input],
    paramsSchema: {type: 'object'},
    stats: [],
    scored,
    async score(batch: Array<{x: number}>, ctx) {
      scored.push(batch.map((r) => r.x))
      const sums = new Map<number, number>()
      if (group !== undefined) batch.forEach((r, i) => sums.set(Math.floor(ctx.rows[i]! / group), (sums.get(Math.floor(ctx.rows[i]! / group)) ?? 0) + r.x))
      return batch.map((r, i) => (r.x < 0 ? {error: `row ${ctx.rows[i]}: x is negative`} : {value: {double: 2 * r.x, ...(group === undefined ? {} : {group: sums.get(Math.floor(ctx.rows[i]! / group))})}}))
    },
    summarize: (rows) => ({sum: rows.reduce((s, r) => s + (r.value as {double: number}).double, 0), n: rows.length}),
    ...(group === undefined ? {} : {rowGroup: group, cache: 'group' as const}),
    ...overrides,
  }
}

const fp32: PackIdentity = {sha256: 'a'.repeat(64), manifest: 'b'.repeat(64), precision: 'fp32', quantization: null}

async function run(m: AnyMetric, rows: number[], store: ResultCache, options: {params?: Record<string, unknown>; packs?: PackIdentity[]; batchSize?: number} = {}) {
  const file = tempFile('n.jsonl', rows.map((x) => JSON.stringify({x, id: `v${x}`})).join('\n'))
  const params = options.params ?? {}
  const decision = cacheDecision(m, params, options.packs ?? [], undefined)
  assert.notEqual(decision.scope, false)
  const context: CacheContext = {metric: m.id, version: m.version, params, packs: options.packs ?? [], device: null}
  const cache = new RowCache(store, context, decision as Extract<typeof decision, {scope: 'row' | 'group'}>)
  const result = await runMetric(m, {
    params,
    datasets: {default: new Dataset(file, {input})},
    onError: 'fail',
    batchSize: options.batchSize ?? 2,
    logger: silentLogger,
    progress: {start() {}, advance() {}, stop() {}},
    signal: new AbortController().signal,
    cache,
  })
  return {result, hits: cache.hits, misses: cache.misses}
}

const openStore = () => ResultCache.open(join(tempDir(), 'results.sqlite'), silentLogger)!

test('a re-run of the same rows scores nothing and gives identical results and summary', async () => {
  const store = openStore()
  const rows = [1, 2, -3, 4, 5]
  const first = await run(metric(), rows, store)
  assert.deepEqual([first.hits, first.misses], [0, 5])
  const again = metric()
  const second = await run(again, rows, store)
  assert.deepEqual([second.hits, second.misses], [5, 0])
  assert.deepEqual(again.scored, [], 'nothing was scored')
  assert.equal(JSON.stringify(second.result.results), JSON.stringify(first.result.results))
  assert.deepEqual(second.result.summary, first.result.summary)
  assert.deepEqual(second.result.errors, first.result.errors)
  store.close()
})

test('only new or changed rows are scored; a cached error is reused only at its own row', async () => {
  const store = openStore()
  await run(metric(), [1, 2, -3, 4], store)
  const m = metric()
  // Row 1 changed; the row with the error moved from row 2 to row 3 (its message names the row).
  const {result, hits, misses} = await run(m, [1, 7, 4, -3], store)
  assert.deepEqual([hits, misses], [2, 2])
  assert.deepEqual(m.scored, [[7, -3]])
  assert.deepEqual(result.results!.map((r) => ('error' in r ? r.error : (r.value as {double: number}).double)), [2, 14, 8, 'row 3: x is negative'])
  assert.deepEqual(result.results!.map((r) => r.id), ['v1', 'v7', 'v4', 'v-3'])
  store.close()
})

test('another metric version, other params or another pack are misses', async () => {
  const store = openStore()
  const rows = [1, 2, 3]
  await run(metric(), rows, store, {packs: [fp32]})
  assert.equal((await run(metric(), rows, store, {packs: [fp32]})).hits, 3)
  assert.equal((await run(metric({version: '2'}), rows, store, {packs: [fp32]})).misses, 3)
  assert.equal((await run(metric(), rows, store, {packs: [fp32], params: {threshold: 0.5}})).misses, 3)
  const reconverted = {...fp32, sha256: 'c'.repeat(64)}
  assert.equal((await run(metric(), rows, store, {packs: [reconverted]})).misses, 3)
  const int8: PackIdentity = {...fp32, precision: 'int8', quantization: {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-token'}}
  assert.equal((await run(metric(), rows, store, {packs: [int8]})).misses, 3)
  store.close()
})

test('group scope: a group is reused only whole, and its results equal a computed run', async () => {
  const store = openStore()
  const rows = [1, 2, 3, 4, 5, 6, 7]
  await run(metric({group: 2}), rows, store)
  const changed = [1, 2, 3, 40, 5, 6, 7]
  const m = metric({group: 2})
  const cached = await run(m, changed, store)
  // Row 3 changed: its whole group (rows 2 and 3) is scored again, the other groups come from the cache.
  assert.deepEqual([cached.hits, cached.misses], [5, 2])
  assert.deepEqual(m.scored, [[3, 40]])
  const computed = await run(metric({group: 2}), changed, openStore())
  assert.equal(JSON.stringify(cached.result.results), JSON.stringify(computed.result.results))
  assert.deepEqual(cached.result.summary, computed.result.summary)
  store.close()
})

test('batches end at row group boundaries, so no group is split across two score calls', async () => {
  const m = metric({group: 2})
  await run(m, [1, 2, 3, 4, 5, 6, 7], openStore(), {batchSize: 3})
  assert.deepEqual(m.scored, [[1, 2, 3, 4], [5, 6, 7]])
})

test('what is never cached: a metric that opts out, a judge, packs it does not name, per-batch int8', () => {
  const perBatch: PackIdentity = {...fp32, precision: 'int8', quantization: {weights: 'int8-symmetric-per-channel', activations: 'uint8-dynamic-per-batch'}}
  assert.deepEqual(cacheDecision(metric(), {}, [], undefined), {scope: 'row', group: 1})
  assert.deepEqual(cacheDecision(metric({group: 4}), {}, [], undefined), {scope: 'group', group: 4})
  assert.equal(cacheDecision(metric({cache: (p) => (p['llm'] === undefined ? 'row' : false)}), {llm: 'x'}, [], undefined).scope, false)
  assert.match((cacheDecision(metric(), {}, [], 'exact') as {reason: string}).reason, /judge "exact"/)
  assert.match((cacheDecision(metric(), {}, undefined, undefined) as {reason: string}).reason, /without naming them/)
  assert.match((cacheDecision(metric(), {}, [perBatch], undefined) as {reason: string}).reason, /per batch/)
})
