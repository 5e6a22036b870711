import assert from 'node:assert/strict'
import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import type {AnyMetric} from '../../src/kernel/interfaces/index.js'
import {checkMetric, MetricRegistry, registerBuiltinMetrics, registerPluginMetrics} from '../../src/core/registry.js'
import {tempDir} from '../helpers/cli.js'

const metric = (id: string, extra: Partial<AnyMetric> = {}): AnyMetric => ({
  id,
  version: '1.0.0',
  description: `${id} metric`,
  inputs: [{name: 'default', description: 'rows', rowSchema: {type: 'object'}}],
  paramsSchema: {type: 'object'},
  stats: [],
  score: async (batch) => batch.map(() => ({value: 1})),
  summarize: () => ({}),
  ...extra,
})

test('a valid metric has no problems; an invalid one lists them all', () => {
  assert.deepEqual(checkMetric(metric('ok')), [])
  const problems = checkMetric({...metric('Bad Id'), version: '', score: undefined, paramsSchema: {type: 'nonsense'}} as unknown as AnyMetric)
  assert.equal(problems.length, 4, problems.join('\n'))
  assert.match(problems.join('\n'), /"id" must be lower-case/)
  assert.match(problems.join('\n'), /"score" must be a function/)
  assert.match(problems.join('\n'), /"paramsSchema" is not a valid JSON Schema/)
  assert.deepEqual(checkMetric(metric('two', {inputs: [...metric('a').inputs, {name: 'b', description: 'b', rowSchema: {}}]})), ['a metric with several inputs must define "combine" to join them into rows'])
  const judged = {paramsSchema: {type: 'object', properties: {judge: {type: 'string'}}}}
  assert.deepEqual(checkMetric(metric('judged', {...judged, judgeParam: 'judge'})), [])
  assert.deepEqual(checkMetric(metric('judged', {...judged, judgeParam: 'grader'})), ['"judgeParam" must name a param declared in "paramsSchema"'])
})

test('the registry rejects duplicates, naming both sources, and unknown ids list the known ones', () => {
  const registry = new MetricRegistry()
  registry.register(metric('b'), 'built-in')
  registry.register(metric('a'), 'some-plugin')
  assert.deepEqual(registry.list().map((r) => r.metric.id), ['a', 'b'])
  assert.throws(() => registry.register(metric('a'), 'other-plugin'), /metric "a" is defined twice: by some-plugin and by other-plugin/)
  assert.throws(
    () => registry.get('c'),
    (error: AlignctlError) => error.exitCode === ExitCode.usage && /Unknown metric "c"\. Known metrics: a, b\./.test(error.message),
  )
})

test('built-in metrics are discovered from metrics/<id>/index.js default exports', async () => {
  const dir = tempDir()
  for (const id of ['beta', 'alpha']) {
    mkdirSync(join(dir, id))
    writeFileSync(
      join(dir, id, 'index.js'),
      `export default {id: '${id}', version: '0.0.1', description: 'd', inputs: [{name: 'default', description: 'r', rowSchema: {type: 'object'}}], paramsSchema: {type: 'object'}, stats: [], async score(b) { return b.map(() => ({value: 0})) }, summarize() { return {} }}\n`,
    )
  }
  mkdirSync(join(dir, 'README-only'))
  const registry = new MetricRegistry()
  await registerBuiltinMetrics(registry, dir)
  assert.deepEqual(registry.list().map((r) => [r.metric.id, r.source]), [['alpha', 'built-in'], ['beta', 'built-in']])
})

test('the shipped built-in metrics all register', async () => {
  const registry = new MetricRegistry()
  await registerBuiltinMetrics(registry)
  for (const {metric} of registry.list()) assert.deepEqual(checkMetric(metric), [])
})

test('plugin hook results register one metric or several; a failing hook names the plugin', () => {
  const registry = new MetricRegistry()
  registerPluginMetrics(registry, {successes: [{plugin: {name: 'p1'}, result: metric('one')}, {plugin: {name: 'p2'}, result: [metric('two'), metric('three')]}], failures: []})
  assert.deepEqual(registry.list().map((r) => `${r.metric.id}@${r.source}`), ['one@p1', 'three@p2', 'two@p2'])
  assert.throws(() => registerPluginMetrics(registry, {successes: [], failures: [{plugin: {name: 'broken'}, error: new Error('boom')}]}), /Plugin broken failed to register its metrics: boom/)
  assert.throws(() => registerPluginMetrics(registry, {successes: [{plugin: {name: 'p3'}, result: {id: 'x'}}], failures: []}), /metric "x" from p3 is not a valid metric/)
})
