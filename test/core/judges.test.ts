import assert from 'node:assert/strict'
import {test} from 'node:test'

import {AlignctlError, ExitCode} from '../../src/kernel/errors.js'
import type {Judge} from '../../src/kernel/interfaces/index.js'
import {checkJudge, JudgeRegistry, registerPluginJudges} from '../../src/core/judges.js'

const judge = (id: string, extra: Partial<Judge> = {}): Judge => ({
  id,
  version: '1.0.0',
  description: `${id} judge`,
  judge: async (items) => items.map(() => ({correct: false})),
  ...extra,
})

test('a valid judge has no problems; an invalid one lists them all', () => {
  assert.deepEqual(checkJudge(judge('ok')), [])
  const problems = checkJudge({id: 'Bad Id', version: '', judge: 'nope'} as unknown as Judge)
  assert.deepEqual(problems, [
    '"id" must be lower-case letters, digits and dashes',
    '"version" must be a non-empty string',
    '"description" must be a string',
    '"judge" must be a function',
  ])
  assert.deepEqual(checkJudge(null as unknown as Judge), ['it is not an object'])
})

test('the judge registry rejects duplicates, naming both sources, and unknown ids list the known ones', () => {
  const registry = new JudgeRegistry()
  registry.register(judge('nli'), 'plugin-a')
  registry.register(judge('exact'), 'plugin-b')
  assert.deepEqual(registry.list().map((r) => `${r.judge.id}@${r.source}`), ['exact@plugin-b', 'nli@plugin-a'])
  assert.equal(registry.get('nli').description, 'nli judge')
  assert.equal(registry.has('nli'), true)
  assert.equal(registry.has('qa'), false)
  assert.throws(() => registry.register(judge('nli'), 'plugin-c'), /judge "nli" is defined twice: by plugin-a and by plugin-c/)
  assert.throws(() => registry.register({id: 'x'} as Judge, 'plugin-d'), (error: AlignctlError) => error.exitCode === ExitCode.runtime && /judge "x" from plugin-d is not a valid judge/.test(error.message))
  assert.throws(
    () => registry.get('qa', '--param honesty.judge'),
    (error: AlignctlError) => error.exitCode === ExitCode.usage && error.message === '--param honesty.judge: Unknown judge "qa". Known judges: exact, nli.',
  )
  assert.throws(() => new JudgeRegistry().get('qa'), /^AlignctlError: Unknown judge "qa"\. Known judges: none\.$/)
})

test('plugin hook results register one judge or several; a failing hook names the plugin', () => {
  const registry = new JudgeRegistry()
  registerPluginJudges(registry, {
    successes: [
      {plugin: {name: 'p1'}, result: judge('one')},
      {plugin: {name: 'p2'}, result: [judge('two'), judge('three')]},
      {plugin: {name: 'p3'}, result: undefined},
    ],
    failures: [],
  })
  assert.deepEqual(registry.list().map((r) => `${r.judge.id}@${r.source}`), ['one@p1', 'three@p2', 'two@p2'])
  assert.throws(() => registerPluginJudges(registry, {successes: [], failures: [{plugin: {name: 'broken'}, error: new Error('boom')}]}), /Plugin broken failed to register its judges: boom/)
})
