import assert from 'node:assert/strict'
import {test} from 'node:test'

import type {StatDeclaration} from '../../src/kernel/interfaces/index.js'
import {checkStatDeclarations, matchStat, statSupport, valueAt} from '../../src/kernel/stat-declarations.js'

const stat = (path: string, extra: Partial<StatDeclaration> = {}): StatDeclaration => ({path, direction: 'higher', kind: 'quality', meaning: path, ...extra})

test('a summary path matches an exact declaration before a pattern, and the more specific pattern first', () => {
  const declarations = [stat('byDataset.*.*'), stat('byDataset.*.n', {direction: 'none', kind: 'count'}), stat('byDataset.xsum.n', {meaning: 'exact'})]
  assert.equal(matchStat('byDataset.xsum.n', declarations)!.declaration.meaning, 'exact')
  assert.equal(matchStat('byDataset.cnn.n', declarations)!.declaration.path, 'byDataset.*.n')
  assert.deepEqual(matchStat('byDataset.cnn.rocAuc', declarations)!.captures, ['cnn', 'rocAuc'])
  assert.equal(matchStat('byDataset.cnn', declarations), undefined)
  assert.equal(matchStat('mean', declarations), undefined)
})

test('a key with dots in it (a judge called gpt-4.1) matches a `*` and is found in the summary', () => {
  const declarations = [stat('factors.*.*.tau', {support: 'factors.*.*.n'})]
  const match = matchStat('factors.words.gpt-4.1.tau', declarations)!
  assert.deepEqual(match.captures, ['words', 'gpt-4.1'])
  const summary = {factors: {words: {'gpt-4.1': {tau: 0.3, n: 12}}}}
  assert.equal(valueAt(summary, 'factors.words.gpt-4.1.tau'), 0.3)
  assert.equal(statSupport(match, summary, 99), 12)
  // Inherited properties are not summary keys.
  assert.equal(valueAt({}, 'constructor'), undefined)
})

test('support comes from the summary with the matched keys filled in, else the scored rows', () => {
  const declarations = [stat('byDataset.*.rocAuc', {support: 'byDataset.*.n'}), stat('mean')]
  const summary = {byDataset: {cnn: {n: 7}, xsum: {}}}
  assert.equal(statSupport(matchStat('byDataset.cnn.rocAuc', declarations)!, summary, 100), 7)
  assert.equal(statSupport(matchStat('byDataset.xsum.rocAuc', declarations)!, summary, 100), undefined)
  assert.equal(statSupport(matchStat('mean', declarations)!, summary, 100), 100)
  assert.equal(valueAt({a: {b: [1]}}, 'a.b.0'), undefined)
})

test('declarations are checked: each problem named with its index and path', () => {
  assert.deepEqual(checkStatDeclarations([stat('mean')]), [])
  assert.match(checkStatDeclarations(undefined).join(), /"stats" must list/)
  const problems = checkStatDeclarations([{path: 'a..b'}, stat('x', {direction: 'sideways' as never}), stat('y', {direction: 'none'}), stat('z', {meaning: ' '}), stat('z'), stat('r', {range: {min: 'low' as never}})])
  assert.deepEqual(problems, [
    'stats[0] ("a..b") needs a dotted "path" such as "mean" or "byDataset.*.rocAuc"',
    'stats[0] ("a..b") needs "direction": higher, lower or none',
    'stats[0] ("a..b") needs "kind": quality, count or descriptive',
    'stats[0] ("a..b") needs a one-sentence "meaning"',
    'stats[1] ("x") needs "direction": higher, lower or none',
    'stats[2] ("y") is a quality stat, so it needs a direction (higher or lower)',
    'stats[3] ("z") needs a one-sentence "meaning"',
    'stats[4] ("z") is declared twice',
    'stats[5] ("r") "range" must be {min?: number, max?: number}',
  ])
})
